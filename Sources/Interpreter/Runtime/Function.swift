import Lexer

/// A callable value: a built-in from the table, or a closure made by `fn`.
public final class Function: Sendable {
  /// What is behind the function.
  public enum Kind: Sendable {
    case builtin(Builtin)
    case closure(Closure)
  }

  /// What is behind it.
  public let kind: Kind

  /// Makes a function value.
  public init(_ kind: Kind) { self.kind = kind }

  /// The name shown in errors and stack traces.
  public var name: String {
    switch kind {
    case .builtin(let builtin): builtin.name
    case .closure(let closure): closure.name
    }
  }
}

/// A compiled closure: its code and the values it captured when it was made.
///
/// Closures capture values, not variables, so a closure never keeps a scope alive.
public final class Closure: Sendable {
  /// The name (`fn name`) or `<closure>`.
  public let name: String
  /// Parameter names, in order.
  public let parameterNames: [String]
  let code: CompiledFunction
  let captures: [Value]

  init(name: String, parameterNames: [String], code: CompiledFunction, captures: [Value]) {
    self.name = name
    self.parameterNames = parameterNames
    self.code = code
    self.captures = captures
  }
}
