import Interpreter

/// Related built-ins documented under one heading; a family with a `module` is also a
/// namespace (`json.encode`).
public struct BuiltinFamily: Sendable {
  /// The heading in `docs/stdlib.md`.
  public var title: String
  /// The module name when the family is a namespace, nil for global built-ins.
  public var module: String?
  /// One line about the family (shown under the heading, and as the module's help).
  public var help: String
  /// The built-ins, in documentation order.
  public var builtins: [Builtin]

  /// Makes a family.
  public init(title: String, module: String? = nil, help: String, builtins: [Builtin]) {
    self.title = title
    self.module = module
    self.help = help
    self.builtins = builtins
  }
}
