/// One lexical token with the span it covers.
public struct Token: Sendable, Hashable {
  /// What kind of token, with its payload.
  public var kind: Kind
  /// Where it is in the source.
  public var span: Span

  /// Makes a token.
  public init(_ kind: Kind, _ span: Span) {
    self.kind = kind
    self.span = span
  }

  /// The token kinds.
  public enum Kind: Sendable, Hashable {
    /// A name: `hosts`, `kubeadm`, `_x1`.
    case identifier(String)
    /// A reserved word.
    case keyword(Keyword)
    /// An integer literal, `42`, `1_000`, `0xff`.
    case int(Int)
    /// A float literal, `1.5`, `1e6`, `2.5e-3`.
    case float(Double)
    /// A duration literal in nanoseconds: `500ms`, `2s`, `1h30m`.
    case duration(Int64)
    /// A string literal, `"…"` or `"""…"""`, split into text and `${…}` parts.
    case string([StringPart])
    /// A command literal, `` `…` ``, split into text and `${…}` parts.
    case command([StringPart])
    /// Punctuation or an operator.
    case punct(Punct)
    /// A line break that may end a statement. Not emitted inside `(…)` or `[…]`.
    case newline
    /// The end of input.
    case eof
  }
}

/// A piece of a string or command literal.
public enum StringPart: Sendable, Hashable {
  /// Literal text, escapes already decoded.
  case text(String)
  /// An interpolation `${…}`: the tokens between the braces (ending with `.eof`), and the span
  /// of the whole `${…}`.
  case code([Token], Span)
}

/// The reserved words.
public enum Keyword: String, Sendable, Hashable, CaseIterable {
  case `let`, `var`, `fn`, param, `import`
  case `if`, `else`, `for`, `in`, `while`, `break`, `continue`, `return`
  case `try`, `catch`
  case step, on, parallel, sudo, local
  case `true`, `false`, `nil`
  case and, or, not
}

/// Punctuation and operators.
public enum Punct: String, Sendable, Hashable, CaseIterable {
  case lparen = "(", rparen = ")", lbracket = "[", rbracket = "]", lbrace = "{", rbrace = "}"
  case comma = ",", colon = ":", semicolon = ";", dot = "."
  case closedRange = "...", halfOpenRange = "..<"
  case plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
  case assign = "=", plusAssign = "+=", minusAssign = "-=", starAssign = "*=", slashAssign = "/="
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">="
  case question = "?", coalesce = "??", arrow = "->"
}

extension Token.Kind: CustomStringConvertible {
  /// How a token is named in messages: `'='`, `identifier 'x'`, `end of file`.
  public var description: String {
    switch self {
    case .identifier(let name): return "identifier '\(name)'"
    case .keyword(let keyword): return "'\(keyword.rawValue)'"
    case .int(let value): return "number \(value)"
    case .float(let value): return "number \(value)"
    case .duration: return "duration"
    case .string: return "string"
    case .command: return "command"
    case .punct(let punct): return "'\(punct.rawValue)'"
    case .newline: return "end of line"
    case .eof: return "end of file"
    }
  }
}
