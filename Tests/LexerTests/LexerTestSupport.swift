import Lexer
import Testing

/// Helpers shared by the tokenizer tests.
enum Lex {
  /// Tokenizes `text` as file 0.
  static func run(_ text: String) -> (
    tokens: [Token], diagnostics: [Diagnostic], source: SourceFile
  ) {
    let source = SourceFile(name: "test.hf", text: text)
    let (tokens, diagnostics) = Tokenizer.tokenize(source, fileIndex: 0)
    return (tokens, diagnostics, source)
  }

  /// The token kinds of `text`, without the final `.eof`, recording an issue for any diagnostic.
  static func kinds(_ text: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> [Token.Kind]
  {
    let (tokens, diagnostics, _) = run(text)
    #expect(
      diagnostics.isEmpty, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    #expect(tokens.last?.kind == .eof, sourceLocation: sourceLocation)
    return tokens.dropLast().map(\.kind)
  }

  /// The one token of `text` (besides `.eof`), recording an issue if there is not exactly one.
  static func single(_ text: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> Token.Kind?
  {
    let found = kinds(text, sourceLocation: sourceLocation)
    #expect(found.count == 1, "\(found)", sourceLocation: sourceLocation)
    return found.first
  }

  /// The source text of each token of `text`, the final `.eof` included.
  static func texts(_ text: String) -> [String] {
    let (tokens, _, source) = run(text)
    return tokens.map { source.text(of: $0.span) }
  }

  /// The diagnostics of `text` as `line:column-line:column: message` (start and end of span).
  static func errors(_ text: String) -> [String] {
    let (_, diagnostics, source) = run(text)
    return diagnostics.map { describe($0, in: source) }
  }

  /// `line:column-line:column: message` for one diagnostic.
  static func describe(_ diagnostic: Diagnostic, in source: SourceFile) -> String {
    let start = source.lineColumn(of: diagnostic.span.start)
    let end = source.lineColumn(of: diagnostic.span.end)
    return "\(start.line):\(start.column)-\(end.line):\(end.column): \(diagnostic.message)"
  }

  /// The value of a string token's parts, with each interpolation written as `${…}` around the
  /// source text of its tokens (without the `.eof`).
  static func flatten(_ parts: [StringPart], in source: SourceFile) -> String {
    var out = ""
    for part in parts {
      switch part {
      case .text(let text): out += text
      case .code(let tokens, _):
        out +=
          "${" + tokens.dropLast().map { source.text(of: $0.span) }.joined(separator: " ") + "}"
      }
    }
    return out
  }

  /// The text of the single string or command token in `text`, flattened.
  static func literal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String?
  {
    let (tokens, diagnostics, source) = run(text)
    #expect(
      diagnostics.isEmpty, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    guard tokens.count == 2 else {
      Issue.record("expected one token, got \(tokens.map(\.kind))", sourceLocation: sourceLocation)
      return nil
    }
    switch tokens[0].kind {
    case .string(let parts), .command(let parts): return flatten(parts, in: source)
    default:
      Issue.record("not a literal: \(tokens[0].kind)", sourceLocation: sourceLocation)
      return nil
    }
  }
}
