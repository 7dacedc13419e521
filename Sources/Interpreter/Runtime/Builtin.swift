import Lexer

/// One entry of the built-in table: name, parameters, one line of help and the body.
///
/// `--help`, `docs/stdlib.md`, the REPL's completion and the static checker all read the table.
public struct Builtin: Sendable {
  /// The qualified name, `len` or `kubeadm.parse_init`.
  public var name: String {
    didSet { parameterList = Builtin.parameterList(name, parameters) }
  }
  /// The parameters, in order.
  public var parameters: [BuiltinParameter] {
    didSet { parameterList = Builtin.parameterList(name, parameters) }
  }
  /// The parameters as the argument binder sees them (kept in step with `parameters`).
  public private(set) var parameterList: ParameterList
  /// One line of help.
  public var help: String
  /// The implementation.
  public var body: @Sendable (inout BuiltinCall) throws -> Value
  /// Whether it works on the host of the enclosing `on` (the checker reports a call outside
  /// any); see `BuiltinFacts`.
  public var hostUse: HostUse = .none
  /// The type of value it returns, when always the same and worth checking members of.
  public var returns: StaticType?

  /// Makes a table entry.
  public init(
    _ name: String, _ parameters: [BuiltinParameter], help: String,
    body: @escaping @Sendable (inout BuiltinCall) throws -> Value
  ) {
    self.name = name
    self.parameters = parameters
    self.help = help
    self.body = body
    self.parameterList = Builtin.parameterList(name, parameters)
  }

  private static func parameterList(_ name: String, _ parameters: [BuiltinParameter])
    -> ParameterList
  {
    ParameterList(
      name: name, names: parameters.map(\.name),
      isOptional: parameters.map { $0.kind != .required },
      isVariadic: parameters.last?.kind == .variadic,
      usage: "\(name)(" + parameters.map(\.display).joined(separator: ", ") + ")")
  }

  /// Binds arguments to the parameters like a call does: one slot per parameter, nil for an
  /// optional one left out, a list for a variadic one. Throws the first problem.
  public func bindArguments(_ positional: [Value], named: [(String, Value)]) throws -> [Value?] {
    try Calls.bind(
      self, positional + named.map(\.1),
      labels: [String?](repeating: nil, count: positional.count) + named.map(\.0), span: .unknown)
  }

  /// The short name, without the module: `parse_init`.
  public var shortName: String {
    name.split(separator: ".").last.map(String.init) ?? name
  }

  /// `name(a, b = …, rest…)` for docs and completion.
  public var signature: String { parameterList.usage }

  /// The fewest positional arguments a call must pass.
  public var requiredCount: Int { parameters.filter { $0.kind == .required }.count }
  /// Whether the last parameter takes any number of values.
  public var isVariadic: Bool { parameters.last?.kind == .variadic }
}

/// A parameter of a built-in.
public struct BuiltinParameter: Sendable, Hashable {
  /// How a parameter is passed.
  public enum Kind: Sendable, Hashable {
    /// Must be given.
    case required
    /// May be left out; the text says what it defaults to (shown in docs).
    case optional(String)
    /// Takes all remaining positional arguments as a list.
    case variadic
  }
  /// The name, usable as a label: `timeout:`.
  public var name: String
  /// How it is passed.
  public var kind: Kind
  /// What its values must be, when the checker can tell a literal that cannot be.
  public var expects: ArgumentKind?

  /// Makes a parameter.
  public init(_ name: String, _ kind: Kind = .required) {
    self.name = name
    self.kind = kind
  }

  /// A required parameter.
  public static func req(_ name: String) -> BuiltinParameter { .init(name, .required) }
  /// An optional parameter with the default shown in docs.
  public static func opt(_ name: String, _ defaultText: String) -> BuiltinParameter {
    .init(name, .optional(defaultText))
  }
  /// A variadic parameter.
  public static func rest(_ name: String) -> BuiltinParameter { .init(name, .variadic) }

  var display: String {
    switch kind {
    case .required: name
    case .optional(let text): "\(name) = \(text)"
    case .variadic: "\(name)…"
    }
  }
}

/// One call of a built-in: the arguments bound to the parameters, where the call is, and the
/// run it belongs to.
public struct BuiltinCall {
  /// One slot per parameter, in order; nil when an optional one was not given. A variadic
  /// parameter's slot holds a list.
  public var arguments: [Value?]
  /// The built-in being called (for error messages).
  public let builtin: Builtin
  /// The call's source span.
  public let span: Span
  /// The interpreter, to call closures and reach the run's effects.
  public let context: any CallContext

  /// Makes a call record.
  public init(arguments: [Value?], builtin: Builtin, span: Span, context: any CallContext) {
    self.arguments = arguments
    self.builtin = builtin
    self.span = span
    self.context = context
  }
}

/// What a built-in may ask of the interpreter running it.
public protocol CallContext {
  /// Calls a function value with positional and named arguments.
  func call(_ function: Function, _ arguments: [Value], named: [(String, Value)]) throws -> Value
  /// The host of the enclosing `on` block, if any.
  var currentHost: Host? { get }
  /// The run's effects and state.
  var run: RunContext { get }
}

/// How a built-in uses the host of the enclosing `on`.
public enum HostUse: Sendable, Hashable {
  /// It needs none.
  case none
  /// It works on that host; outside `on` it fails, unless the parameter named here (e.g.
  /// `locally`) is given as true.
  case enclosing(unless: String?)
}

/// The type of a value as the checker knows it before the run (`Value.typeName`'s names).
public enum StaticType: String, Sendable, Hashable {
  case `nil`, bool, int, float, string, duration, list, map, function, command, secret, host
  case result, module
}

/// What a parameter's values must be, for the static checks of literal arguments.
public enum ArgumentKind: Sendable, Hashable {
  /// A duration (`2s`); an int or float literal is an error.
  case duration
  /// File permissions as an octal string (`"0640"`); an int literal is an error.
  case octalMode
  /// The name of an inventory host; a literal is checked when the inventory is known.
  case hostName
  /// The name of an inventory group; a literal is checked when the inventory is known.
  case groupName
}

/// Facts about the built-ins the checker uses beyond their parameter lists, declared once for
/// the table by the library that makes it: which built-ins work on the enclosing `on`'s host,
/// what some return, and what the parameters of a given name take (across the library a
/// parameter name means one thing: every `timeout:` is a duration, every `mode:` an octal
/// string).
public struct BuiltinFacts: Sendable {
  /// Built-in name → the parameter that makes it run here instead (nil: none).
  public var hostBound: [String: String?]
  /// Built-in name → what it returns.
  public var returns: [String: StaticType]
  /// Parameter name → what it takes, in every built-in that has one.
  public var parameterKinds: [String: ArgumentKind]
  /// Built-in name → parameter name → what it takes, for one built-in's parameter.
  public var arguments: [String: [String: ArgumentKind]]

  /// Makes facts.
  public init(
    hostBound: [String: String?] = [:], returns: [String: StaticType] = [:],
    parameterKinds: [String: ArgumentKind] = [:], arguments: [String: [String: ArgumentKind]] = [:]
  ) {
    self.hostBound = hostBound
    self.returns = returns
    self.parameterKinds = parameterKinds
    self.arguments = arguments
  }
}
