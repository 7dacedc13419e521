import Lexer
import Testing

@Suite("Tokenizer: names, punctuation, comments, newlines")
struct BasicTokenTests {
  @Test func emptyInputIsJustEOF() {
    let (tokens, diagnostics, _) = Lex.run("")
    #expect(tokens == [Token(.eof, Span(file: 0, start: 0, end: 0))])
    #expect(diagnostics.isEmpty)
  }

  @Test func identifiers() {
    #expect(
      Lex.kinds("hosts _x1 A_b __ letx") == [
        .identifier("hosts"), .identifier("_x1"), .identifier("A_b"), .identifier("__"),
        .identifier("letx"),
      ])
  }

  @Test(arguments: Keyword.allCases)
  func keyword(_ keyword: Keyword) {
    #expect(Lex.single(keyword.rawValue) == .keyword(keyword))
    #expect(Lex.single(keyword.rawValue + "_") == .identifier(keyword.rawValue + "_"))
  }

  @Test(arguments: Punct.allCases)
  func punctuation(_ punct: Punct) {
    #expect(
      Lex.kinds("x \(punct.rawValue) y") == [.identifier("x"), .punct(punct), .identifier("y")])
  }

  @Test func longestMatch() {
    #expect(
      Lex.kinds("a...b..<c??d->e==f!=g<=h>=i+=j-=k*=l/=m") == [
        .identifier("a"), .punct(.closedRange), .identifier("b"), .punct(.halfOpenRange),
        .identifier("c"), .punct(.coalesce), .identifier("d"), .punct(.arrow), .identifier("e"),
        .punct(.equal), .identifier("f"), .punct(.notEqual), .identifier("g"),
        .punct(.lessEqual), .identifier("h"), .punct(.greaterEqual), .identifier("i"),
        .punct(.plusAssign), .identifier("j"), .punct(.minusAssign), .identifier("k"),
        .punct(.starAssign), .identifier("l"), .punct(.slashAssign), .identifier("m"),
      ])
    #expect(Lex.kinds("====") == [.punct(.equal), .punct(.equal)])
    #expect(Lex.kinds("....") == [.punct(.closedRange), .punct(.dot)])
    #expect(Lex.kinds("- >") == [.punct(.minus), .punct(.greater)])
    #expect(Lex.kinds("? ?") == [.punct(.question), .punct(.question)])
  }

  @Test func spansCoverTheTokenText() {
    #expect(
      Lex.texts("let x = f(1h30m, \"a${b}c\") # done\n`ls`") == [
        "let", "x", "=", "f", "(", "1h30m", ",", "\"a${b}c\"", ")", "\n", "`ls`", "",
      ])
    let (tokens, _, _) = Lex.run("ab  cd")
    #expect(
      tokens.map(\.span) == [
        Span(file: 0, start: 0, end: 2), Span(file: 0, start: 4, end: 6),
        Span(file: 0, start: 6, end: 6),
      ])
  }

  @Test func fileIndexIsStampedOnEverySpan() {
    let source = SourceFile(name: "t.hf", text: "a \"${b}\"\n")
    let (tokens, _) = Tokenizer.tokenize(source, fileIndex: 7)
    #expect(tokens.allSatisfy { $0.span.file == 7 })
    guard case .string(let parts) = tokens[1].kind, case .code(let inner, let span) = parts[0]
    else {
      Issue.record("expected an interpolated string")
      return
    }
    #expect(span.file == 7)
    #expect(inner.allSatisfy { $0.span.file == 7 })
  }

  @Test func comments() {
    #expect(Lex.kinds("# only a comment") == [])
    #expect(
      Lex.kinds("a # comment \"not a string\" `nor a command`\nb") == [
        .identifier("a"), .newline, .identifier("b"),
      ])
    #expect(Lex.kinds("#!/usr/bin/env haflow\nx") == [.identifier("x")])
  }

  @Test func newlinesCollapseAndNoneAtStart() {
    #expect(
      Lex.kinds("\n\n  \n# c\na\n\n\n# c\n\nb\n") == [
        .identifier("a"), .newline, .identifier("b"), .newline,
      ])
    #expect(Lex.kinds("a\r\nb\r\n") == [.identifier("a"), .newline, .identifier("b"), .newline])
    #expect(Lex.texts("a \n\n b") == ["a", "\n", "b", ""])
  }

  @Test func newlinesAreSuppressedInsideParensAndBrackets() {
    #expect(
      Lex.kinds("f(\n1,\n2\n)\n") == [
        .identifier("f"), .punct(.lparen), .int(1), .punct(.comma), .int(2), .punct(.rparen),
        .newline,
      ])
    #expect(Lex.kinds("[\n1\n]") == [.punct(.lbracket), .int(1), .punct(.rbracket)])
    #expect(
      Lex.kinds("[(\n)\n]") == [
        .punct(.lbracket), .punct(.lparen), .punct(.rparen), .punct(.rbracket),
      ])
  }

  @Test func bracesReenableNewlines() {
    #expect(
      Lex.kinds("{\na\n}") == [
        .punct(.lbrace), .newline, .identifier("a"), .newline, .punct(.rbrace),
      ])
    // A closure body inside call parentheses gets newlines; after its `}` they are off again.
    #expect(
      Lex.kinds("f(fn() {\na\nb\n}\n)") == [
        .identifier("f"), .punct(.lparen), .keyword(.fn), .punct(.lparen), .punct(.rparen),
        .punct(.lbrace), .newline, .identifier("a"), .newline, .identifier("b"), .newline,
        .punct(.rbrace), .punct(.rparen),
      ])
    // A `[` inside braces suppresses again.
    #expect(
      Lex.kinds("{[\n]\n}") == [
        .punct(.lbrace), .punct(.lbracket), .punct(.rbracket), .newline, .punct(.rbrace),
      ])
  }

  @Test func unbalancedClosers() {
    // A stray closer changes nothing.
    #expect(
      Lex.kinds(")\na\n]\nb\n}\nc") == [
        .punct(.rparen), .newline, .identifier("a"), .newline, .punct(.rbracket), .newline,
        .identifier("b"), .newline, .punct(.rbrace), .newline, .identifier("c"),
      ])
    // A mismatched closer does not pop: still inside `(`.
    #expect(
      Lex.kinds("(]\na)\nb") == [
        .punct(.lparen), .punct(.rbracket), .identifier("a"), .punct(.rparen), .newline,
        .identifier("b"),
      ])
    // `}` closes its `{` and the unclosed `(` inside it, so newlines come back.
    #expect(
      Lex.kinds("{ f(\n}\nx") == [
        .punct(.lbrace), .identifier("f"), .punct(.lparen), .punct(.rbrace), .newline,
        .identifier("x"),
      ])
  }

  @Test func byteOrderMarkIsSkipped() {
    let (tokens, diagnostics, _) = Lex.run("\u{FEFF}let")
    #expect(diagnostics.isEmpty)
    #expect(tokens.map(\.kind) == [.keyword(.let), .eof])
    #expect(tokens[0].span == Span(file: 0, start: 3, end: 6))
  }

  @Test func eofSpanIsTheEndOfFile() {
    let (tokens, _, _) = Lex.run("a\n")
    #expect(tokens.last == Token(.eof, Span(file: 0, start: 2, end: 2)))
  }

  @Test func tokenKindDescriptions() {
    #expect(Token.Kind.newline.description == "end of line")
    #expect(Token.Kind.punct(.arrow).description == "'->'")
  }
}
