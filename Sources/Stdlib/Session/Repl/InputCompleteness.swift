import Interpreter
import Lexer

/// Decides whether REPL input is finished or needs another line: it does while a bracket,
/// brace, multi-line string or command is open, or when the last line ends in an operator or
/// a comma (the language's layout rules continue such a line).
public enum InputCompleteness {
  /// Whether `text` can be evaluated as it is.
  public static func isComplete(_ text: String) -> Bool {
    let (tokens, diagnostics) = Tokenizer.tokenize(
      SourceFile(name: "<input>", text: text), fileIndex: 0)
    if diagnostics.contains(where: { opensLiteral($0.message) }) { return false }
    if hasOpenBracket(tokens) { return false }
    let significant = tokens.last { token in
      switch token.kind {
      case .newline, .eof: false
      default: true
      }
    }
    guard let last = significant else { return true }
    // A line break after the last token: the operator was on an earlier line (not the last).
    return !continuesLine(last.kind)
  }

  /// Lexer errors that mean a literal is still open at the end of the input.
  static func opensLiteral(_ message: String) -> Bool {
    message == "unterminated multi-line string" || message == "unterminated command"
  }

  /// Whether a `(`, `[` or `{` is still open (a `}` also closes brackets opened inside it).
  static func hasOpenBracket(_ tokens: [Token]) -> Bool {
    var open: [Punct] = []
    for token in tokens {
      guard case .punct(let punct) = token.kind else { continue }
      switch punct {
      case .lparen, .lbracket, .lbrace: open.append(punct)
      case .rparen: if open.last == .lparen { open.removeLast() }
      case .rbracket: if open.last == .lbracket { open.removeLast() }
      case .rbrace:
        if let brace = open.lastIndex(of: .lbrace) { open.removeSubrange(brace...) }
      default: break
      }
    }
    return !open.isEmpty
  }

  /// Tokens after which a line goes on.
  static func continuesLine(_ kind: Token.Kind) -> Bool {
    switch kind {
    case .punct(let punct): return continuing.contains(punct)
    case .keyword(let keyword):
      return [.and, .or, .not, .in, .else, .sudo, .local].contains(keyword)
    default: return false
    }
  }

  static let continuing: Set<Punct> = [
    .comma, .colon, .dot, .closedRange, .halfOpenRange, .plus, .minus, .star, .slash, .percent,
    .assign, .plusAssign, .minusAssign, .starAssign, .slashAssign, .equal, .notEqual, .less,
    .lessEqual, .greater, .greaterEqual, .question, .coalesce, .arrow,
  ]
}
