import Lexer
import Testing

@Suite("Tokenizer: multi-line strings")
struct MultilineStringTests {
  @Test func indentationOfTheClosingLineIsRemoved() {
    let text = "\"\"\"\n    apiVersion: v1\n      kind: Pod\n    \"\"\""
    #expect(Lex.single(text) == .string([.text("apiVersion: v1\n  kind: Pod")]))
  }

  @Test func firstAndLastNewlineAreNotPartOfTheValue() {
    #expect(Lex.single("\"\"\"\na\n\"\"\"") == .string([.text("a")]))
    #expect(Lex.single("\"\"\"\n\na\n\n\"\"\"") == .string([.text("\na\n")]))
    #expect(Lex.single("\"\"\"\n\"\"\"") == .string([]))
    #expect(Lex.single("\"\"\"   \n  x\n  \"\"\"") == .string([.text("x")]))
  }

  @Test func blankLinesMayBeShort() {
    let text = "  let s = \"\"\"\n    a\n\n  \n      \n    b\n    \"\"\""
    let kinds = Lex.kinds(text)
    #expect(kinds.last == .string([.text("a\n\n\n  \nb")]))
  }

  @Test func tabsAsIndentation() {
    #expect(Lex.single("\"\"\"\n\t\tx\n\t\t\ty\n\t\t\"\"\"") == .string([.text("x\n\ty")]))
  }

  @Test func quotesInsideAreText() {
    let text = "\"\"\"\n  say \"hi\" and \"\"\"no\"\"\"\n  \\\"\"\"\n  \"\"\""
    #expect(Lex.single(text) == .string([.text("say \"hi\" and \"\"\"no\"\"\"\n\"\"\"")]))
  }

  @Test func escapesAndInterpolation() {
    let text = "\"\"\"\n    a\\tb \\u{41}\n    ${x} and ${y}\n      ${z}\n    \"\"\""
    #expect(Lex.literal(text) == "a\tb A\n${x} and ${y}\n  ${z}")
  }

  @Test func escapedWhitespaceIsNotIndentation() {
    // `\t` at a line start is text, not indentation to strip or check.
    #expect(Lex.single("\"\"\"\n  \\t x\n  \"\"\"") == .string([.text("\t x")]))
  }

  @Test func tokensAfterTheClosingDelimiter() {
    #expect(
      Lex.kinds("f(\"\"\"\n  x\n  \"\"\", 2)\ny") == [
        .identifier("f"), .punct(.lparen), .string([.text("x")]), .punct(.comma), .int(2),
        .punct(.rparen), .newline, .identifier("y"),
      ])
  }

  @Test func crlfLineEndings() {
    #expect(Lex.single("\"\"\"\r\n  a\r\n  b\r\n  \"\"\"") == .string([.text("a\nb")]))
  }

  @Test func multiByteText() {
    #expect(Lex.single("\"\"\"\n  日本 🎉\n  \"\"\"") == .string([.text("日本 🎉")]))
  }

  @Test func noNewlineTokensInside() {
    #expect(
      Lex.kinds("a\n\"\"\"\nx\n\ny\n\"\"\"\nb") == [
        .identifier("a"), .newline, .string([.text("x\n\ny")]), .newline, .identifier("b"),
      ])
  }
}
