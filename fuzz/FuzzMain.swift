// libFuzzer entry point: lex, parse, check and render the diagnostics of arbitrary bytes.
//
// Built by fuzz/build.sh (not by SwiftPM: libFuzzer supplies `main`). Any crash, trap
// (array index, integer overflow, force unwrap), sanitizer report, timeout or out-of-memory
// is a bug in Lexer or Interpreter: the design promises "never a crash" for any input.
//
// With HAFLOW_FUZZ_STRICT=1 the harness also checks invariants and traps when one fails:
// every token and diagnostic span lies inside the file (or is `Span.unknown`), tokens come in
// source order, and the token stream ends with exactly one `.eof`.

import Interpreter
import Lexer

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps results observable so the optimizer cannot drop the work.
nonisolated(unsafe) private var blackHole = 0

/// Read once: whether invariant violations abort.
nonisolated(unsafe) private var strict: Bool? = nil

private func violation(_ message: String, _ source: SourceFile) -> Never {
  var escaped = ""
  for byte in source.bytes {
    switch byte {
    case 0x20..<0x7f where byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\""):
      escaped.append(Character(UnicodeScalar(byte)))
    default:
      escaped += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
  }
  let report = Array("haflow-fuzz invariant violated: \(message)\ninput: \"\(escaped)\"\n".utf8)
  _ = report.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
  abort()
}

private func checkSpan(_ span: Span, in source: SourceFile, _ what: String) {
  if span == .unknown { return }
  if span.file != 0 || span.start < 0 || span.end > source.bytes.count || span.start > span.end {
    violation("\(what) span \(span) outside file of \(source.bytes.count) bytes", source)
  }
}

private func checkTokens(_ tokens: [Token], in source: SourceFile, nested: Bool) {
  var previousEnd = 0
  for (index, token) in tokens.enumerated() {
    checkSpan(token.span, in: source, "token \(token.kind)")
    if token.span.start < previousEnd && !nested {
      violation("token \(index) \(token.kind) at \(token.span) overlaps the previous one", source)
    }
    previousEnd = token.span.end
    if case .eof = token.kind, index != tokens.count - 1 {
      violation("eof token at \(index) of \(tokens.count)", source)
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
    if case .eof = last.kind {} else { violation("token stream does not end with eof", source) }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  if strict == nil {
    strict = getenv("HAFLOW_FUZZ_STRICT").map { String(cString: $0) == "1" } ?? false
  }
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
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

  if strict == true {
    checkTokens(lexed.tokens, in: source, nested: false)
    for diagnostic in lexed.diagnostics + parseDiagnostics + checkDiagnostics {
      checkSpan(diagnostic.span, in: source, "diagnostic '\(diagnostic.message)'")
      for note in diagnostic.notes { checkSpan(note.span, in: source, "note '\(note.message)'") }
    }
  }
  return 0
}
