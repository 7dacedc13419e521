import Lexer

/// A statement node with its source span.
public struct Stmt: Sendable, Hashable {
  /// What kind of statement.
  public var kind: Kind
  /// The source it covers.
  public var span: Span

  /// Makes a statement node.
  public init(_ kind: Kind, _ span: Span) {
    self.kind = kind
    self.span = span
  }

  /// The statement kinds.
  public indirect enum Kind: Sendable, Hashable {
    /// An expression evaluated for its effect.
    case expression(Expr)
    /// `let name = value` (`mutable: false`) or `var name = value` (`var name` alone: nil).
    case binding(name: Name, value: Expr?, mutable: Bool)
    /// `fn name(…) { … }`.
    case function(FunctionDecl)
    /// `param name: type = default`.
    case param(ParamDecl)
    /// `import "path.hf"`.
    case importFile(path: String, pathSpan: Span)
    /// `target = value`, `target += value`, … where target is a name, index or member chain.
    case assign(target: Expr, op: AssignOp, value: Expr)
    /// `if cond { … } else if … { … } else { … }`; an `else if` is an else block holding
    /// one `if` statement.
    case ifElse(condition: Expr, then: Block, otherwise: Block?)
    /// `for x in xs { … }` or `for k, v in m { … }`.
    case forIn(names: [Name], iterable: Expr, body: Block)
    /// `while cond { … }`.
    case whileLoop(condition: Expr, body: Block)
    case breakLoop
    case continueLoop
    /// `return` or `return value`.
    case returnValue(Expr?)
    /// `try { … } catch e { … }` (the name is optional).
    case tryCatch(body: Block, errorName: Name?, handler: Block)
  }
}

/// Compound assignment operators.
public enum AssignOp: String, Sendable, Hashable {
  case assign = "=", add = "+=", subtract = "-=", multiply = "*=", divide = "/="
}

/// `{ statements }` with the span of its braces.
public struct Block: Sendable, Hashable {
  /// The statements in order.
  public var statements: [Stmt]
  /// From `{` to `}`.
  public var span: Span
  /// Makes a block.
  public init(_ statements: [Stmt], span: Span) {
    self.statements = statements
    self.span = span
  }
}

/// `param name: type = default`; the type is optional when a default is given.
public struct ParamDecl: Sendable, Hashable {
  /// The parameter's name, as given with `-p name=value`.
  public var name: Name
  /// The declared type, if any.
  public var type: ParamType?
  /// Where the type was written.
  public var typeSpan: Span?
  /// The default; a param without one is required.
  public var defaultValue: Expr?
  /// Makes a param declaration.
  public init(name: Name, type: ParamType?, typeSpan: Span?, defaultValue: Expr?) {
    self.name = name
    self.type = type
    self.typeSpan = typeSpan
    self.defaultValue = defaultValue
  }
}

/// The types a `param` may declare.
public enum ParamType: String, Sendable, Hashable, CaseIterable {
  case string, int, float, bool, duration, list, map, secret
}

/// A parsed file.
public struct Program: Sendable, Hashable {
  /// The top-level statements.
  public var statements: [Stmt]
  /// The file index in the run's `SourceMap`.
  public var file: Int
  /// Makes a program.
  public init(statements: [Stmt], file: Int) {
    self.statements = statements
    self.file = file
  }
}
