// Target `script`: lex, parse, check and render the diagnostics of arbitrary bytes.
//
// With HAFLOW_FUZZ_STRICT=1: every token and diagnostic span lies inside the file (or is
// `Span.unknown`), tokens come in source order, and the token stream ends with exactly one
// `.eof`.

import Interpreter
import Lexer

private func checkSpan(_ span: Span, in source: SourceFile, _ what: String) {
  if span == .unknown { return }
  if span.file != 0 || span.start < 0 || span.end > source.bytes.count || span.start > span.end {
    violation("\(what) span \(span) outside file of \(source.bytes.count) bytes", source.bytes)
  }
}

private func checkTokens(_ tokens: [Token], in source: SourceFile, nested: Bool) {
  var previousEnd = 0
  for (index, token) in tokens.enumerated() {
    checkSpan(token.span, in: source, "token \(token.kind)")
    if token.span.start < previousEnd && !nested {
      violation(
        "token \(index) \(token.kind) at \(token.span) overlaps the previous one", source.bytes)
    }
    previousEnd = token.span.end
    if case .eof = token.kind, index != tokens.count - 1 {
      violation("eof token at \(index) of \(tokens.count)", source.bytes)
    }
    switch token.kind {
    case .string(let parts), .command(let parts):
      for part in parts {
        if case .code(let inner, let span) = part {
          checkSpan(span, in: source, "interpolation")
          checkTokens(inner, in: source, nested: true)
        }
      }
    default: break
    }
  }
  if !nested, let last = tokens.last {
    if case .eof = last.kind {
    } else {
      violation("token stream does not end with eof", source.bytes)
    }
  }
}

func fuzzScript(_ bytes: UnsafeBufferPointer<UInt8>) {
  let text = String(decoding: bytes, as: UTF8.self)
  let source = SourceFile(name: "fuzz.hf", text: text)

  let lexed = Tokenizer.tokenize(source, fileIndex: 0)
  let (program, parseDiagnostics) = Parser.parse(source, fileIndex: 0)
  let checkDiagnostics = Checker.check(program, table: BuiltinTable())

  var sources = SourceMap()
  sources.add(source)
  var total = lexed.tokens.count + program.statements.count
  for diagnostic in lexed.diagnostics + parseDiagnostics + checkDiagnostics {
    total &+= diagnostic.rendered(in: sources).utf8.count
  }
  blackHole &+= total

  if strict {
    checkTokens(lexed.tokens, in: source, nested: false)
    for diagnostic in lexed.diagnostics + parseDiagnostics + checkDiagnostics {
      checkSpan(diagnostic.span, in: source, "diagnostic '\(diagnostic.message)'")
      for note in diagnostic.notes { checkSpan(note.span, in: source, "note '\(note.message)'") }
    }
  }
}
