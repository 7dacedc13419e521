import Lexer
import Testing

@Suite("Tokenizer: errors, spans and recovery")
struct ErrorTests {
  @Test func unterminatedString() {
    #expect(Lex.errors("let s = \"abc\nlet t = 1") == ["1:9-1:13: unterminated string"])
    #expect(Lex.errors("let s = \"abc\r\nx") == ["1:9-1:13: unterminated string"])
    #expect(Lex.errors("\"abc") == ["1:1-1:5: unterminated string"])
    #expect(Lex.errors("\"abc\\") == ["1:1-1:6: unterminated string"])
  }

  @Test func unterminatedStringRecoversOnTheNextLine() {
    let (tokens, diagnostics, _) = Lex.run("let s = \"abc\nlet t = 1")
    #expect(diagnostics.count == 1)
    #expect(
      tokens.map(\.kind) == [
        .keyword(.let), .identifier("s"), .punct(.assign), .string([.text("abc")]), .newline,
        .keyword(.let), .identifier("t"), .punct(.assign), .int(1), .eof,
      ])
  }

  @Test func invalidEscapes() {
    #expect(Lex.errors(#""a\qb""#) == [#"1:3-1:5: invalid escape '\q'"#])
    #expect(Lex.errors(#""\é""#) == [#"1:2-1:4: invalid escape '\é'"#])
    #expect(Lex.errors(#""\`""#) == [#"1:2-1:4: invalid escape '\`'"#])
    #expect(Lex.errors(#""\u41""#) == [#"1:2-1:4: invalid unicode escape '\u'"#])
    #expect(Lex.errors(#""\u{}""#) == [#"1:2-1:5: invalid unicode escape '\u{'"#])
    #expect(Lex.errors(#""\u{zz}""#) == [#"1:2-1:5: invalid unicode escape '\u{'"#])
    #expect(Lex.errors(#""\u{41""#) == [#"1:2-1:7: invalid unicode escape '\u{41'"#])
    #expect(Lex.errors(#""\u{123456789}""#) == [#"1:2-1:13: invalid unicode escape '\u{12345678'"#])
    #expect(Lex.errors(#""\u{D800}""#) == [#"1:2-1:10: invalid unicode scalar in '\u{D800}'"#])
    #expect(Lex.errors(#""\u{110000}""#) == [#"1:2-1:12: invalid unicode scalar in '\u{110000}'"#])
  }

  @Test func invalidEscapeKeepsTheCharacter() {
    let (tokens, _, _) = Lex.run(#""a\qb""#)
    #expect(tokens.first?.kind == .string([.text("aqb")]))
    #expect(Lex.run(#""\q""#).diagnostics.first?.hint == #"escapes are \n \t \r \0 \\ \" \$ \u{…}"#)
  }

  @Test func unterminatedCommand() {
    #expect(Lex.errors("x = `ls\ny\n") == ["1:5-1:6: unterminated command"])
    let (tokens, _, _) = Lex.run("`ls")
    #expect(tokens.map(\.kind) == [.command([.text("ls")]), .eof])
  }

  @Test func unterminatedInterpolation() {
    #expect(Lex.errors("s = \"a ${b\nc") == ["1:8-1:10: unterminated interpolation"])
    #expect(Lex.errors("s = \"a ${b") == ["1:8-1:10: unterminated interpolation"])
    #expect(Lex.errors("s = \"${ f(\n1) }\"").first == "1:6-1:8: unterminated interpolation")
    // A command ends with the line of its broken interpolation too.
    #expect(Lex.errors("`a ${b\nc\n") == ["1:4-1:6: unterminated interpolation"])
    let (tokens, _, _) = Lex.run("s = \"a ${b\nc")
    #expect(tokens.map(\.kind).suffix(3) == [.newline, .identifier("c"), .eof])
  }

  @Test func forgottenClosingBrace() {
    // The `"` or `` ` `` meant to close the literal starts one inside the interpolation; only
    // the missing `}` is reported, and the brackets of the line are forgotten.
    let cases = [
      ("print(\"hello ${name\")\nprint(name)", "1:14-1:16"),
      ("print(`echo ${name`)\nprint(name)", "1:13-1:15"),
    ]
    for (text, place) in cases {
      let (tokens, diagnostics, source) = Lex.run(text)
      #expect(
        diagnostics.map { Lex.describe($0, in: source) } == [
          "\(place): unterminated interpolation"
        ])
      #expect(
        tokens.map(\.kind).suffix(6) == [
          .newline, .identifier("print"), .punct(.lparen), .identifier("name"), .punct(.rparen),
          .eof,
        ])
    }
  }

  @Test func bracketsOfABrokenLineAreForgotten() {
    #expect(
      Lex.run("f(g(\"abc\nx").tokens.map(\.kind) == [
        .identifier("f"), .punct(.lparen), .identifier("g"), .punct(.lparen),
        .string([.text("abc")]), .newline, .identifier("x"), .eof,
      ])
    // Brackets opened on earlier lines stay open.
    #expect(
      Lex.run("f(\n\"abc\nx)").tokens.map(\.kind) == [
        .identifier("f"), .punct(.lparen), .string([.text("abc")]), .identifier("x"),
        .punct(.rparen), .eof,
      ])
  }

  @Test func literalsInsideInterpolationsStayOnOneLine() {
    #expect(Lex.errors("\"${ `a\nx = 1") == ["1:2-1:4: unterminated interpolation"])
    #expect(
      Lex.errors("\"${ `a` + \"\"\" }\"") == [
        "1:11-1:14: a multi-line string cannot be inside an interpolation"
      ])
    #expect(Lex.errors("`${ `a` }`") == [])
  }

  @Test func unterminatedInterpolationTokens() {
    let (tokens, _, source) = Lex.run("\"${b\n")
    guard case .string(let parts) = tokens[0].kind, case .code(let inner, let span) = parts[0]
    else {
      Issue.record("unexpected: \(tokens)")
      return
    }
    #expect(source.text(of: span) == "${b")
    #expect(
      inner == [
        Token(.identifier("b"), Span(file: 0, start: 3, end: 4)),
        Token(.eof, Span(file: 0, start: 4, end: 4)),
      ])
  }

  @Test func multilineStringErrors() {
    #expect(Lex.errors("s = \"\"\"\n  a\n") == ["1:5-1:8: unterminated multi-line string"])
    #expect(Lex.errors("s = \"\"\"") == ["1:5-1:8: unterminated multi-line string"])
    #expect(
      Lex.errors("\"\"\"\n    a\n  b\n    \"\"\"") == [
        "3:1-3:3: line is indented less than the closing '\"\"\"'"
      ])
    #expect(
      Lex.errors("\"\"\"\nb\n  \"\"\"") == [
        "2:1-2:2: line is indented less than the closing '\"\"\"'"
      ])
    #expect(
      Lex.errors("\"\"\"\n  \ta\n\t  \"\"\"") == [
        "2:1-2:4: line is indented less than the closing '\"\"\"'"
      ])
    #expect(
      Lex.errors("\"\"\"\n  a\\\n  b\n  \"\"\"") == [
        "2:4-2:5: invalid escape '\\' at end of line"
      ])
  }

  @Test func textAfterOpeningDelimiter() {
    #expect(
      Lex.errors("s = \"\"\"abc\"\"\"\nx") == ["1:5-1:8: expected a line break after '\"\"\"'"])
    let (tokens, _, _) = Lex.run("s = \"\"\"abc\"\"\"\nx")
    #expect(
      tokens.map(\.kind) == [
        .identifier("s"), .punct(.assign), .string([]), .newline, .identifier("x"), .eof,
      ])
    // Without a closer on the same line, the string goes on from the next line.
    #expect(
      Lex.errors("\"\"\" x\n  a\n  \"\"\"") == ["1:1-1:4: expected a line break after '\"\"\"'"])
  }

  @Test func strayCharacters() {
    #expect(Lex.errors("if !ok {}") == ["1:4-1:5: unexpected character '!'"])
    #expect(Lex.run("!x").diagnostics.first?.hint == "use 'not' for negation")
    #expect(Lex.errors("a && b || c") == ["1:3-1:5: unexpected '&&'", "1:8-1:10: unexpected '||'"])
    #expect(Lex.run("a && b").diagnostics.first?.hint == "use 'and'")
    #expect(
      Lex.errors("a & b | c") == [
        "1:3-1:4: unexpected character '&'", "1:7-1:8: unexpected character '|'",
      ])
    #expect(
      Lex.errors("@ ^ ~ \\ '") == [
        "1:1-1:2: unexpected character '@'", "1:3-1:4: unexpected character '^'",
        "1:5-1:6: unexpected character '~'", "1:7-1:8: unexpected character '\\'",
        "1:9-1:10: unexpected character '''",
      ])
    #expect(Lex.errors("$x") == ["1:1-1:2: unexpected character '$'"])
    #expect(Lex.errors("a..b") == ["1:2-1:4: unexpected '..'"])
  }

  @Test func nonASCIICharacters() {
    #expect(Lex.errors("café = 1") == ["1:4-1:5: unexpected character 'é'"])
    #expect(
      Lex.run("café").diagnostics.first?.hint == "names may use only ASCII letters, digits and '_'")
    #expect(Lex.errors("x =\u{00A0}1") == ["1:4-1:5: unexpected character U+00A0"])
    #expect(
      Lex.errors("“hi”") == [
        "1:1-1:2: unexpected character '“'", "1:4-1:5: unexpected character '”'",
      ])
    #expect(
      Lex.errors("a\u{7}b\u{0}") == [
        "1:2-1:3: unexpected character U+0007", "1:4-1:5: unexpected character U+0000",
      ])
    #expect(Lex.errors("😀") == ["1:1-1:2: unexpected character '😀'"])
    let (tokens, _, _) = Lex.run("café = 1")
    #expect(tokens.map(\.kind) == [.identifier("caf"), .punct(.assign), .int(1), .eof])
  }

  @Test func manyErrorsInOneFile() {
    let text = """
      let a = 5x
      let b = "bad \\q escape"
      let c = !a
      let d = "open
      let e = 0b2
      """
    #expect(
      Lex.errors(text) == [
        "1:10-1:11: invalid duration unit 'x'",
        "2:14-2:16: invalid escape '\\q'",
        "3:9-3:10: unexpected character '!'",
        "4:9-4:14: unterminated string",
        "5:11-5:12: invalid digit '2' in binary literal",
      ])
  }

  @Test func interpolationNestingLimit() {
    let depth = 40
    let text = String(repeating: "\"${", count: depth) + String(repeating: "}\"", count: depth)
    let (tokens, diagnostics, _) = Lex.run(text)
    #expect(diagnostics.map(\.message) == ["interpolation is nested too deeply (limit 32)"])
    #expect(tokens.last?.kind == .eof)
  }

  @Test func renderedDiagnostic() {
    var sources = SourceMap()
    let source = SourceFile(name: "play.hf", text: "let x = 1\nlet s = \"abc\nlet y = !x\n")
    let file = sources.add(source)
    let (_, diagnostics) = Tokenizer.tokenize(source, fileIndex: file)
    #expect(
      diagnostics.map { $0.rendered(in: sources) } == [
        """
        play.hf:2:9: error: unterminated string
           2 | let s = "abc
             |         ^~~~
              = hint: a string ends on its own line; use \"\"\" for a multi-line string
        """,
        """
        play.hf:3:9: error: unexpected character '!'
           3 | let y = !x
             |         ^
              = hint: use 'not' for negation
        """,
      ])
  }

  @Test func renderedDiagnosticWithTabsAndUnicode() {
    var sources = SourceMap()
    let source = SourceFile(name: "t.hf", text: "\tlet é = \"ü\\x\"")
    sources.add(source)
    let (_, diagnostics) = Tokenizer.tokenize(source, fileIndex: 0)
    #expect(
      diagnostics.map { $0.rendered(in: sources) } == [
        """
        t.hf:1:6: error: unexpected character 'é'
           1 | \tlet é = "ü\\x"
             | \t    ^
              = hint: names may use only ASCII letters, digits and '_'
        """,
        """
        t.hf:1:12: error: invalid escape '\\x'
           1 | \tlet é = "ü\\x"
             | \t          ^~
              = hint: escapes are \\n \\t \\r \\0 \\\\ \\" \\$ \\u{…}
        """,
      ])
  }
}
