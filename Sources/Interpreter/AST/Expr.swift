import Lexer

/// An expression node with its source span.
public struct Expr: Sendable, Hashable {
  /// What kind of expression.
  public var kind: Kind
  /// The source it covers.
  public var span: Span

  /// Makes an expression node.
  public init(_ kind: Kind, _ span: Span) {
    self.kind = kind
    self.span = span
  }

  /// The expression kinds.
  public indirect enum Kind: Sendable, Hashable {
    case nilLiteral
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// Nanoseconds.
    case duration(Int64)
    /// `"a ${b} c"`: parts in order.
    case string([Interpolated])
    /// `` `cmd ${x}` `` with its modifiers; evaluating it runs the command.
    case command(CommandLiteral)
    /// `sudo EXPR` / `local EXPR` on a non-literal operand: runs a command value.
    case runCommand(modifiers: CommandModifiers, operand: Expr)
    /// A name.
    case name(Name)
    /// `[a, b, c]`.
    case list([Expr])
    /// `{"k": v, k2: v2}`; bare identifier keys are strings.
    case map([MapEntry])
    /// `-x`, `not x`.
    case unary(UnaryOp, Expr, opSpan: Span)
    /// `a + b`, `a and b`, `a ?? b`; `opSpan` is the operator's position.
    case binary(BinaryOp, Expr, Expr, opSpan: Span)
    /// `f(a, b, name: c)` with an optional trailing block closure `f(x) { … }`.
    case call(callee: Expr, arguments: [Argument])
    /// `a[i]`.
    case index(Expr, Expr)
    /// `a[lo...hi]`, `a[lo..<hi]`, `a[lo...]`, `a[..<hi]`.
    case slice(Expr, lower: Expr?, upper: Expr?, closed: Bool)
    /// `a.b`.
    case member(Expr, Name)
    /// `fn(x, y = 1) { … }`.
    case function(FunctionDecl)
    /// `lo...hi` / `lo..<hi` outside brackets: a list of ints.
    case range(Expr, Expr, closed: Bool)
    /// `cond ? a : b`.
    case conditional(Expr, Expr, Expr)
    /// `step "name" [on …] { … }`: runs the block as a named step and yields its value.
    case step(StepExpr)
    /// `on HOSTS [parallel[(limit: N)]] { … }`: runs the block once per host; yields a map
    /// host name → block value.
    case on(OnExpr)
  }
}

/// A name and where it was written.
public struct Name: Sendable, Hashable {
  /// The identifier text.
  public var text: String
  /// Where it was written.
  public var span: Span
  /// Makes a name.
  public init(_ text: String, _ span: Span) {
    self.text = text
    self.span = span
  }
}

/// A piece of an interpolated string or command.
public enum Interpolated: Sendable, Hashable {
  /// Literal text.
  case text(String)
  /// `${expr}`.
  case expr(Expr)
}

/// `sudo` and `local` in front of a command.
public struct CommandModifiers: Sendable, Hashable {
  /// Run through `sudo -n`.
  public var sudo: Bool
  /// Run on the controller, not on the current host.
  public var local: Bool
  /// Makes modifiers.
  public init(sudo: Bool = false, local: Bool = false) {
    self.sudo = sudo
    self.local = local
  }
}

/// A command literal.
public struct CommandLiteral: Sendable, Hashable {
  /// The text and interpolations between the backticks.
  public var parts: [Interpolated]
  /// `sudo` / `local` written before it.
  public var modifiers: CommandModifiers
  /// Makes a command literal.
  public init(parts: [Interpolated], modifiers: CommandModifiers) {
    self.parts = parts
    self.modifiers = modifiers
  }
}

/// One `key: value` of a map literal.
public struct MapEntry: Sendable, Hashable {
  /// The key: a string literal, a bare identifier (as a string literal) or any expression in
  /// parentheses.
  public var key: Expr
  /// The value.
  public var value: Expr
  /// Makes an entry.
  public init(key: Expr, value: Expr) {
    self.key = key
    self.value = value
  }
}

/// One argument of a call: positional, or `name: value`.
public struct Argument: Sendable, Hashable {
  /// The label for a named argument.
  public var label: Name?
  /// The value.
  public var value: Expr
  /// Makes an argument.
  public init(label: Name? = nil, value: Expr) {
    self.label = label
    self.value = value
  }
}

/// Prefix operators.
public enum UnaryOp: String, Sendable, Hashable {
  case negate = "-", not = "not"
}

/// Infix operators.
public enum BinaryOp: String, Sendable, Hashable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">="
  case and, or, `in`, notIn = "not in", coalesce = "??"
}

/// `fn name(params) { body }` or an anonymous `fn(params) { body }`.
public struct FunctionDecl: Sendable, Hashable {
  /// The name, for declarations; nil for closures.
  public var name: Name?
  /// The parameters, in order.
  public var parameters: [Parameter]
  /// The body.
  public var body: Block
  /// The whole declaration.
  public var span: Span
  /// Makes a function declaration.
  public init(name: Name?, parameters: [Parameter], body: Block, span: Span) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.span = span
  }
}

/// A function parameter, `x` or `x = default`. Every parameter may be passed by name.
public struct Parameter: Sendable, Hashable {
  /// The name.
  public var name: Name
  /// The default value, evaluated at each call that omits it.
  public var defaultValue: Expr?
  /// Makes a parameter.
  public init(name: Name, defaultValue: Expr? = nil) {
    self.name = name
    self.defaultValue = defaultValue
  }
}

/// `step NAME [on HOSTS [parallel…]] { … }`.
public struct StepExpr: Sendable, Hashable {
  /// The step's name (usually a string literal).
  public var name: Expr
  /// An optional `on` clause: the body then runs once per host.
  public var target: OnClause?
  /// The body.
  public var body: Block
  /// Makes a step.
  public init(name: Expr, target: OnClause?, body: Block) {
    self.name = name
    self.target = target
    self.body = body
  }
}

/// `on HOSTS [parallel[(limit: N, …)]] { … }`.
public struct OnExpr: Sendable, Hashable {
  /// The hosts and how to run on them.
  public var target: OnClause
  /// The body.
  public var body: Block
  /// Makes an `on` expression.
  public init(target: OnClause, body: Block) {
    self.target = target
    self.body = body
  }
}

/// The `on HOSTS [parallel[(…)]]` part of `on` and `step`.
public struct OnClause: Sendable, Hashable {
  /// Evaluates to a host, a list of hosts, a group name or a host name.
  public var hosts: Expr
  /// `parallel` was written; its arguments (`limit: N`, `fail_fast: true`) if any.
  public var parallel: [Argument]?
  /// The span of `on HOSTS parallel(…)`.
  public var span: Span
  /// Makes an `on` clause.
  public init(hosts: Expr, parallel: [Argument]?, span: Span) {
    self.hosts = hosts
    self.parallel = parallel
    self.span = span
  }
}
