import Interpreter
import Lexer
import Testing

/// Helpers shared by the parser tests.
enum ParserTest {
  /// Lexes and parses `text` as file 0.
  static func parse(_ text: String) -> (
    program: Program, diagnostics: [Diagnostic], source: SourceFile
  ) {
    let source = SourceFile(name: "test.hf", text: text)
    let (program, diagnostics) = Parser.parse(source, fileIndex: 0)
    return (program, diagnostics, source)
  }

  /// The S-expression dump of `text`, recording an issue if it has any diagnostics.
  static func dump(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let (program, diagnostics, source) = parse(text)
    for diagnostic in diagnostics {
      let (line, column) = source.lineColumn(of: diagnostic.span.start)
      Issue.record(
        "unexpected diagnostic \(line):\(column): \(diagnostic.message)",
        sourceLocation: sourceLocation)
    }
    return ASTDump.dump(program)
  }

  /// The diagnostics of `text` as `line:column: message`.
  static func errors(_ text: String) -> [String] {
    let (_, diagnostics, source) = parse(text)
    return diagnostics.map {
      let (line, column) = source.lineColumn(of: $0.span.start)
      return "\(line):\(column): \($0.message)"
    }
  }

  /// The diagnostics of `text` as `line: message`.
  static func errorLines(_ text: String) -> [String] {
    let (_, diagnostics, source) = parse(text)
    return diagnostics.map { "\(source.lineColumn(of: $0.span.start).line): \($0.message)" }
  }

  /// The single expression of a one-statement program.
  static func expression(_ text: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> Expr?
  {
    let (program, diagnostics, _) = parse(text)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    guard program.statements.count == 1, case .expression(let expr) = program.statements[0].kind
    else {
      Issue.record("expected one expression statement", sourceLocation: sourceLocation)
      return nil
    }
    return expr
  }

  /// The text a span covers.
  static func text(_ span: Span, in source: SourceFile) -> String {
    source.text(of: span)
  }
}

/// A small deterministic random number generator (SplitMix64) for the robustness tests.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
