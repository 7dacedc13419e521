import Lexer
import Testing

@Suite("Tokenizer: robustness and speed")
struct RobustnessTests {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Checks the invariants the fuzzer checks: one final `.eof`, spans inside the file, tokens in
  /// order.
  static func checkInvariants(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let source = SourceFile(name: "r.hf", text: text)
    let (tokens, diagnostics) = Tokenizer.tokenize(source, fileIndex: 0)
    let count = source.bytes.count
    #expect(tokens.last?.kind == .eof, sourceLocation: sourceLocation)
    #expect(tokens.dropLast().allSatisfy { $0.kind != .eof }, sourceLocation: sourceLocation)
    var previousEnd = 0
    for token in tokens {
      #expect(
        token.span.start >= previousEnd, "\(text.debugDescription)", sourceLocation: sourceLocation)
      #expect(token.span.end <= count, sourceLocation: sourceLocation)
      previousEnd = token.span.end
    }
    for diagnostic in diagnostics {
      #expect(
        diagnostic.span.start >= 0 && diagnostic.span.end <= count, sourceLocation: sourceLocation)
      #expect(!diagnostic.message.isEmpty && !diagnostic.message.hasSuffix("."))
    }
  }

  @Test func randomBytes() {
    var generator = Generator(state: 42)
    for _ in 0..<2000 {
      let length = Int.random(in: 0..<80, using: &generator)
      let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
      Self.checkInvariants(String(decoding: bytes, as: UTF8.self))
    }
  }

  @Test func randomFragments() {
    let fragments = [
      "\"", "\"\"\"", "`", "${", "}", "{", "(", ")", "[", "]", "\n", "\\", "\\u{", "#", "1",
      "0x", "0b", "1.", "e", "5", "ms", "h", "let", " ", "\t", "\r\n", "..", ".", "!", "é", "$",
      "\\`", "x", "=", "?", "-", "_",
    ]
    var generator = Generator(state: 7)
    for _ in 0..<3000 {
      let count = Int.random(in: 0..<40, using: &generator)
      var text = ""
      for _ in 0..<count { text += fragments.randomElement(using: &generator) ?? "" }
      Self.checkInvariants(text)
    }
  }

  @Test func pathologicalInputs() {
    Self.checkInvariants(
      String(repeating: "(", count: 10_000) + String(repeating: "}", count: 10_000))
    Self.checkInvariants(String(repeating: "\"${", count: 5_000))
    Self.checkInvariants(String(repeating: "`${", count: 5_000))
    Self.checkInvariants(String(repeating: "\"\"\"\n${", count: 2_000))
    Self.checkInvariants(String(repeating: "{", count: 10_000) + "\n")
    Self.checkInvariants(String(repeating: "9", count: 10_000) + "h")
    Self.checkInvariants(String(repeating: "1h", count: 5_000))
    Self.checkInvariants(String(repeating: "\\u{", count: 5_000))
  }

  @Test func fiftyThousandLines() {
    var text = ""
    let lines = [
      "let x = f(a, b: \"text ${y + 1} more\", timeout: 1h30m)  # a comment",
      "step \"join ${i}\" on workers[1...] parallel(limit: 20) {",
      "  sudo `kubeadm join ${endpoint} --token ${token} \\",
      "    --discovery-token-ca-cert-hash ${hash}`",
      "}",
      "let m = {\"a\": 1, b: [1, 2.5, 0xff, 1e6]} ?? nil",
    ]
    for index in 0..<50_000 { text += lines[index % lines.count] + "\n" }
    let source = SourceFile(name: "big.hf", text: text)
    let clock = ContinuousClock()
    var tokenCount = 0
    let elapsed = clock.measure {
      tokenCount = Tokenizer.tokenize(source, fileIndex: 0).tokens.count
    }
    print(
      "tokenized 50,000 lines (\(source.bytes.count) bytes, \(tokenCount) tokens) in \(elapsed)")
    #expect(tokenCount > 400_000)
  }
}
