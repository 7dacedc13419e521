import Lexer
import Testing

@Suite("Tokenizer: integers, floats and durations")
struct NumberTests {
  @Test func integers() {
    #expect(Lex.single("0") == .int(0))
    #expect(Lex.single("42") == .int(42))
    #expect(Lex.single("007") == .int(7))
    #expect(Lex.single("1_000_000") == .int(1_000_000))
    #expect(Lex.single("0xff") == .int(255))
    #expect(Lex.single("0xDead_Beef") == .int(0xDEAD_BEEF))
    #expect(Lex.single("0b101") == .int(5))
    #expect(Lex.single("0b1111_0000") == .int(240))
    #expect(Lex.single("9223372036854775807") == .int(Int.max))
    #expect(Lex.single("0x7fffffffffffffff") == .int(Int.max))
  }

  @Test func floats() {
    #expect(Lex.single("1.5") == .float(1.5))
    #expect(Lex.single("0.25") == .float(0.25))
    #expect(Lex.single("1e6") == .float(1e6))
    #expect(Lex.single("2.5e-3") == .float(2.5e-3))
    #expect(Lex.single("1E+2") == .float(100))
    #expect(Lex.single("1_000.000_1") == .float(1000.0001))
  }

  @Test func rangesAreNotFloats() {
    #expect(Lex.kinds("1...3") == [.int(1), .punct(.closedRange), .int(3)])
    #expect(Lex.kinds("0..<n") == [.int(0), .punct(.halfOpenRange), .identifier("n")])
    #expect(
      Lex.kinds("xs[1...]") == [
        .identifier("xs"), .punct(.lbracket), .int(1), .punct(.closedRange), .punct(.rbracket),
      ])
    #expect(Lex.kinds("1.5...2.5") == [.float(1.5), .punct(.closedRange), .float(2.5)])
    #expect(Lex.kinds("1.x") == [.int(1), .punct(.dot), .identifier("x")])
    #expect(Lex.kinds("1.e5") == [.int(1), .punct(.dot), .identifier("e5")])
  }

  @Test func durations() {
    let second: Int64 = 1_000_000_000
    #expect(Lex.single("500ms") == .duration(500_000_000))
    #expect(Lex.single("2s") == .duration(2 * second))
    #expect(Lex.single("10m") == .duration(600 * second))
    #expect(Lex.single("2h") == .duration(7200 * second))
    #expect(Lex.single("1d") == .duration(86_400 * second))
    #expect(Lex.single("1h30m") == .duration(5400 * second))
    #expect(Lex.single("1m30s") == .duration(90 * second))
    #expect(Lex.single("1s500ms") == .duration(1_500_000_000))
    #expect(Lex.single("3us") == .duration(3000))
    #expect(Lex.single("7ns") == .duration(7))
    #expect(Lex.single("0s") == .duration(0))
    #expect(Lex.single("1_000ms") == .duration(second))
    #expect(
      Lex.single("1d2h3m4s5ms6us7ns")
        == .duration(
          86_400 * second + 7200 * second + 180 * second + 4 * second + 5_000_000 + 6000 + 7))
    #expect(
      Lex.kinds("2s...5s") == [
        .duration(2 * second), .punct(.closedRange), .duration(5 * second),
      ])
  }

  @Test func largestDurationFits() {
    #expect(Lex.single("9223372036854775807ns") == .duration(Int64.max))
  }

  @Test func numberErrors() {
    #expect(Lex.errors("x = 9223372036854775808") == ["1:5-1:24: integer literal is too large"])
    #expect(Lex.errors("0x1_0000_0000_0000_0000") == ["1:1-1:24: integer literal is too large"])
    #expect(Lex.errors("0x") == ["1:1-1:3: expected hex digits after '0x'"])
    #expect(Lex.errors("0b_") == ["1:1-1:4: expected binary digits after '0b'"])
    #expect(Lex.errors("0xfg1 1") == ["1:4-1:6: invalid digit 'g' in hex literal"])
    #expect(Lex.errors("0b102") == ["1:5-1:6: invalid digit '2' in binary literal"])
    #expect(Lex.errors("1e999") == ["1:1-1:6: float literal is too large"])
    #expect(Lex.errors("1.5s") == ["1:4-1:5: invalid suffix 's' on float literal"])
    #expect(Lex.errors("2.5e") == ["1:4-1:5: invalid suffix 'e' on float literal"])
  }

  @Test func durationErrors() {
    #expect(Lex.errors("5x") == ["1:2-1:3: invalid duration unit 'x'"])
    #expect(Lex.errors("10min") == ["1:3-1:6: invalid duration unit 'min'"])
    #expect(Lex.errors("1h30x5") == ["1:5-1:6: invalid duration unit 'x'"])
    #expect(Lex.errors("1e") == ["1:2-1:3: invalid duration unit 'e'"])
    #expect(Lex.errors("30m1h") == ["1:5-1:6: duration units out of order: 'h' after 'm'"])
    #expect(Lex.errors("1s1s") == ["1:4-1:5: duration units out of order: 's' after 's'"])
    #expect(Lex.errors("1h30") == ["1:3-1:5: missing duration unit after '30'"])
    #expect(Lex.errors("9223372036854775807s") == ["1:1-1:21: duration literal is too large"])
    #expect(Lex.errors("106751d24h") == ["1:1-1:11: duration literal is too large"])
    #expect(
      Lex.errors("99999999999999999999ns") == ["1:1-1:23: duration literal is too large"])
  }

  @Test func badNumbersStayOneToken() {
    let (tokens, _, _) = Lex.run("5xyz12 + 0xzz + 1.5abc + 1h30")
    #expect(
      tokens.map(\.kind) == [
        .duration(0), .punct(.plus), .int(0), .punct(.plus), .float(1.5), .punct(.plus),
        .duration(0), .eof,
      ])
  }

  @Test func durationHints() {
    let (_, diagnostics, _) = Lex.run("5x 1.5s")
    #expect(
      diagnostics.map(\.hint) == [
        "duration units are d, h, m, s, ms, us and ns",
        "durations are whole numbers of units: write 1s500ms, not 1.5s",
      ])
  }
}
