import Interpreter
import Lexer

/// What of an input the REPL's history file may keep: the input with every string literal
/// written inside a `secret(…)` call (but its `label:`) replaced by `"<redacted>"`, and every
/// secret value the session already knows redacted, so `secret("hunter2", label: "pw")` is
/// kept as `secret("<redacted>", label: "pw")`.
public enum HistoryRedaction {
  /// What replaces a secret literal.
  public static let placeholder = "\"<redacted>\""

  /// `text` as the history keeps it.
  public static func redact(_ text: String, secrets: SecretMatcher = .empty) -> String {
    let source = SourceFile(name: "<history>", text: text)
    let tokens = Tokenizer.tokenize(source, fileIndex: 0).tokens
    var spans: [Span] = []
    var index = 0
    while index + 1 < tokens.count {
      guard case .identifier("secret") = tokens[index].kind,
        case .punct(.lparen) = tokens[index + 1].kind
      else {
        index += 1
        continue
      }
      // Every string literal up to the matching ')'.
      var depth = 0
      index += 1
      while index < tokens.count {
        switch tokens[index].kind {
        case .punct(.lparen), .punct(.lbracket), .punct(.lbrace): depth += 1
        case .punct(.rparen), .punct(.rbracket), .punct(.rbrace): depth -= 1
        case .string:
          let labelled =
            index >= 2 && tokens[index - 2].kind == .identifier("label")
            && tokens[index - 1].kind == .punct(.colon)
          if !labelled || depth > 1 { spans.append(tokens[index].span) }
        default: break
        }
        index += 1
        if depth <= 0 { break }
      }
    }
    var bytes = Array(text.utf8)
    for span in spans.reversed() where span.start <= span.end && span.end <= bytes.count {
      bytes.replaceSubrange(span.start..<span.end, with: placeholder.utf8)
    }
    return secrets.redact(String(decoding: bytes, as: UTF8.self))
  }
}
