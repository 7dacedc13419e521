import Interpreter
import Lexer
import Testing

@Suite("Parser: errors and recovery")
struct ParserErrorTests {
  @Test(
    "every message, one broken statement at a time",
    arguments: [
      ("let = 3", "1:5: expected name after 'let', found '='"),
      ("var 1", "1:5: expected name after 'var', found number 1"),
      ("let y 4", "1:7: expected '=' after 'let y', found number 4"),
      ("let y += 4", "1:7: expected '=' after 'let y', found '+='"),
      ("fn f { }", "1:6: expected '(' after 'fn f', found '{'"),
      ("fn f(1) { }", "1:6: expected parameter name, found number 1"),
      ("fn f(a b) { }", "1:8: expected ',' or ')' after parameter, found identifier 'b'"),
      ("fn f() return 1", "1:8: expected '{' to open the function body, found 'return'"),
      ("param : int", "1:7: expected name after 'param', found ':'"),
      ("param x: 3", "1:10: expected type after ':', found number 3"),
      (
        "param p: strng",
        "1:10: unknown param type 'strng' (expected one of: string, int, float, bool, duration, list, map, secret)"
      ),
      ("param q\n", "1:8: expected ':' or '=' after 'param q', found end of line"),
      ("fn f() {\n  param x = 1\n}", "2:3: 'param' is only allowed at the top level of a file"),
      ("if a {\n  import \"x.hf\"\n}", "2:3: 'import' is only allowed at the top level of a file"),
      ("import x", "1:8: expected file path string after 'import', found identifier 'x'"),
      ("import \"${x}.hf\"", "1:9: an import path cannot contain interpolation"),
      ("if x then { }", "1:6: expected '{' to open the 'if' body, found identifier 'then'"),
      ("if x { } else y { }", "1:15: expected '{' or 'if' after 'else', found identifier 'y'"),
      ("for (x) in xs { }", "1:5: expected loop variable name after 'for', found '('"),
      ("for k, in m { }", "1:8: expected second loop variable name after ',', found 'in'"),
      ("for x of xs { }", "1:7: expected 'in' after the loop variable, found identifier 'of'"),
      ("for k, v of m { }", "1:10: expected 'in' after the loop variables, found identifier 'of'"),
      ("for x in xs\n{ }", "1:12: expected '{' to open the 'for' body, found end of line"),
      ("while x do { }", "1:9: expected '{' to open the 'while' body, found identifier 'do'"),
      ("try a()", "1:5: expected '{' to open the 'try' body, found identifier 'a'"),
      ("try { }\nx()", "1:8: expected 'catch' after the 'try' block, found end of line"),
      ("try { } catch e f()", "1:17: expected '{' to open the 'catch' body, found identifier 'f'"),
      ("step \"s\" parallel { }", "1:10: expected '{' to open the step body, found 'parallel'"),
      (
        "on h parallel(limit: 2) do",
        "1:25: expected '{' to open the 'on' body, found identifier 'do'"
      ),
      ("let f = fn 3", "1:12: expected '(' or '{' after 'fn', found number 3"),
      ("f() = 1", "1:1: invalid assignment target"),
      ("1 = 2", "1:1: invalid assignment target"),
      ("xs[1...] = 2", "1:1: invalid assignment target"),
      ("a + b = c", "1:1: invalid assignment target"),
      ("print(1 +)", "1:10: expected expression, found ')'"),
      ("let x = )", "1:9: expected expression, found ')'"),
      ("x = a == not b", "1:10: expected expression, found 'not'"),
      ("a < b < c", "1:7: comparison operators cannot be chained"),
      ("a == b in c", "1:8: comparison operators cannot be chained"),
      ("1...2...3", "1:6: range operators cannot be chained"),
      ("a ? b\n", "1:6: expected ':' in conditional expression, found end of line"),
      ("a.(b)", "1:3: expected member name after '.', found '('"),
      ("f(a b)", "1:5: expected ',' or ')' after argument, found identifier 'b'"),
      ("xs[1, 2]", "1:5: expected ']' after subscript, found ','"),
      ("xs[]", "1:4: expected expression, found ']'"),
      ("(a b)", "1:4: expected ')' after expression, found identifier 'b'"),
      ("[a b]", "1:4: expected ',' or ']' after list element, found identifier 'b'"),
      (
        "x = {1: 2}",
        "1:6: expected map key (a string, a name or a parenthesized expression), found number 1"
      ),
      (
        "x = {true: 2}",
        "1:6: expected map key (a string, a name or a parenthesized expression), found 'true'"
      ),
      ("x = {a = 1}", "1:8: expected ':' after map key, found '='"),
      ("x = {a: 1 b: 2}", "1:11: expected ',' or '}' after map entry, found identifier 'b'"),
      ("x = {a: 1\nlet y = 2", "2:1: expected ',' or '}' after map entry, found 'let'"),
      ("let x = 1 2", "1:11: expected newline or ';' after statement, found number 2"),
      ("f x", "1:3: expected newline or ';' after statement, found identifier 'x'"),
      ("}", "1:1: unmatched '}'"),
      ("else { }", "1:1: expected expression, found 'else'"),
      (
        "log(\"${a b}\")",
        "1:10: expected '}' after the interpolated expression, found identifier 'b'"
      ),
    ])
  func messages(source: String, expected: String) {
    #expect(ParserTest.errors(source) == [expected])
  }

  @Test("a file with three broken statements yields exactly three errors at the right lines")
  func threeErrors() {
    let text = """
      let a = 1
      let = 3
      print(a)
      print(1 +)
      let b = a
      if a < b < 3 { print(b) }
      print(b)
      """
    #expect(
      ParserTest.errorLines(text) == [
        "2: expected name after 'let', found '='",
        "4: expected expression, found ')'",
        "6: comparison operators cannot be chained",
      ])
    let (program, _, _) = ParserTest.parse(text)
    #expect(
      ASTDump.dump(program) == "(let a 1)\n(call print a)\n(let b a)\n(call print b)")
  }

  @Test("an error inside a block leaves the rest of the block and the file intact")
  func errorInBlock() {
    let text = """
      fn f(x) {
        let y = )
        print(x)
        let = 1
        return x
      }
      f(1)
      """
    #expect(
      ParserTest.errorLines(text) == [
        "2: expected expression, found ')'",
        "4: expected name after 'let', found '='",
      ])
    let (program, _, _) = ParserTest.parse(text)
    #expect(ASTDump.dump(program) == "(fn f (x) {(call print x) (return x)})\n(call f 1)")
  }

  @Test("recovery skips to the end of a broken multi-line map literal")
  func errorInMap() {
    let text = """
      let m = {
        a: ,
        b: 2,
      }
      let n = 1
      """
    #expect(ParserTest.errorLines(text) == ["2: expected expression, found ','"])
    let (program, _, _) = ParserTest.parse(text)
    #expect(ASTDump.dump(program) == "(let n 1)")
  }

  @Test("recovery skips to the end of a broken closure argument")
  func errorInClosure() {
    let text = """
      each(xs, fn(x) {
        let = x
        log(x)
      })
      log(2)
      """
    #expect(ParserTest.errorLines(text) == ["2: expected name after 'let', found '='"])
    let (program, _, _) = ParserTest.parse(text)
    #expect(ASTDump.dump(program) == "(call each xs (fn (x) {(call log x)}))\n(call log 2)")
  }

  @Test("one error per broken statement: no cascades")
  func noCascade() {
    #expect(
      ParserTest.errorLines("let x = (1 + ) * 3 ) ]\nlet y = 2") == [
        "1: expected expression, found ')'"
      ])
    #expect(
      ParserTest.errorLines("f(a b c d e)\ng(1)") == [
        "1: expected ',' or ')' after argument, found identifier 'b'"
      ])
    #expect(
      ParserTest.errorLines("let x = 1; let = 2; let y = 3") == [
        "1: expected name after 'let', found '='"
      ])
  }

  @Test("extra '}' at the top level is reported and parsing continues")
  func unmatchedBrace() {
    let text = "let a = 1\n}\nlet b = 2\n}}"
    #expect(
      ParserTest.errors(text) == ["2:1: unmatched '}'", "4:1: unmatched '}'", "4:2: unmatched '}'"])
    let (program, _, _) = ParserTest.parse(text)
    #expect(ASTDump.dump(program) == "(let a 1)\n(let b 2)")
  }

  @Test("an unclosed block names the line that opened it, with a note there")
  func unclosedBlock() throws {
    let text = "let a = 1\n\nif a {\n  print(a)\n"
    let (program, diagnostics, source) = ParserTest.parse(text)
    #expect(diagnostics.count == 1)
    let diagnostic = try #require(diagnostics.first)
    #expect(
      diagnostic.message == "expected '}' to close the block opened at line 3, found end of file")
    #expect(diagnostic.notes.map(\.message) == ["block opened here"])
    let note = try #require(diagnostic.notes.first)
    #expect(source.lineColumn(of: note.span.start) == (3, 6))
    #expect(source.text(of: note.span) == "{")
    #expect(ASTDump.dump(program) == "(let a 1)")
  }

  @Test("a missing '}' is blamed on the block the indentation says, and what it swallowed")
  func missingBraceByIndentation() throws {
    let text = """
      step "a" on "web" {
        if ready {
          run_it()

        cleanup()
      }

      step "b" {
        report()
      }

      """
    let (_, diagnostics, source) = ParserTest.parse(text)
    #expect(diagnostics.count == 1)
    let diagnostic = try #require(diagnostics.first)
    #expect(diagnostic.message == "expected '}' to close the 'if' block opened at line 2")
    #expect(source.lineColumn(of: diagnostic.span.start) == (2, 12))
    #expect(diagnostic.hint == "add '}' after line 3 to close 'if'")
    #expect(
      diagnostic.notes.map(\.message) == [
        "this '}' is indented like step \"a\" (line 1) but closes 'if'",
        "step \"b\" was swallowed: read as part of step \"a\"",
      ])
    #expect(diagnostic.notes.map { source.lineColumn(of: $0.span.start).line } == [6, 8])
  }

  @Test("when the indentation agrees, the innermost open block is the one")
  func missingBraceAtTheEnd() {
    let messages = ParserTest.errors("step \"a\" {\n  if x {\n    y()\n  }\n")
    #expect(
      messages == ["5:1: expected '}' to close the block opened at line 1, found end of file"])
  }

  @Test("nested unclosed blocks report once")
  func nestedUnclosed() {
    let messages = ParserTest.errors("fn f() {\n  if a {\n    while b {\n      c()\n")
    #expect(messages.count == 1)
    #expect(
      messages.first?.hasSuffix(
        "expected '}' to close the block opened at line 3, found end of file") == true)
  }

  @Test(
    "unclosed brackets name the opening line",
    arguments: [
      (
        "f(1,\n 2", "expected ')' to close the '(' opened at line 1, found end of file",
        "'(' opened here"
      ),
      (
        "x = [1,\n 2", "expected ']' to close the '[' opened at line 1, found end of file",
        "'[' opened here"
      ),
      (
        "x = (1 +\n 2", "expected ')' to close the '(' opened at line 1, found end of file",
        "'(' opened here"
      ),
      (
        "x = xs[1", "expected ']' to close the '[' opened at line 1, found end of file",
        "'[' opened here"
      ),
      (
        "x = {\n  a: 1,\n",
        "expected '}' to close the map literal opened at line 1, found end of file",
        "map literal opened here"
      ),
    ])
  func unclosedBrackets(source: String, message: String, note: String) {
    let (_, diagnostics, _) = ParserTest.parse(source)
    #expect(diagnostics.map(\.message) == [message])
    #expect(diagnostics.first?.notes.map(\.message) == [note])
  }

  @Test("a missing ')' found on a later line gets a note at the '('")
  func distantOpener() {
    let (program, diagnostics, source) = ParserTest.parse("f(1, 2\nlet ok = 1")
    #expect(diagnostics.map(\.message) == ["expected ',' or ')' after argument, found 'let'"])
    let note = diagnostics.first?.notes.first
    #expect(note?.message == "'(' opened here")
    #expect(note.map { source.lineColumn(of: $0.span.start).line } == 1)
    #expect(ASTDump.dump(program) == "(let ok 1)")
  }

  @Test("errors render as file:line:col: error: message")
  func rendering() {
    let source = SourceFile(name: "play.hf", text: "let a = 1\nlet = 3\n")
    let (_, diagnostics) = Parser.parse(source, fileIndex: 0)
    var sources = SourceMap()
    sources.add(source)
    let rendered = diagnostics.map { $0.rendered(in: sources) }
    #expect(rendered.count == 1)
    #expect(
      rendered.first?.hasPrefix("play.hf:2:5: error: expected name after 'let', found '='") == true)
  }

  @Test("an empty interpolation and a malformed token array are errors, not crashes")
  func handBuiltTokens() {
    let span = Span(file: 0, start: 0, end: 1)
    let code = StringPart.code(
      [Token(.eof, Span(file: 0, start: 3, end: 3))], Span(file: 0, start: 1, end: 4))
    let tokens = [
      Token(.string([.text("a"), code]), Span(file: 0, start: 0, end: 5)), Token(.eof, span),
    ]
    let (_, diagnostics) = Parser.parse(tokens: tokens, fileIndex: 0)
    #expect(diagnostics.map(\.message) == ["expected expression, found '}'"])

    let (empty, emptyDiagnostics) = Parser.parse(tokens: [], fileIndex: 0)
    #expect(empty.statements.isEmpty && emptyDiagnostics.isEmpty)

    let unterminated = [Token(.keyword(.let), span), Token(.identifier("x"), span)]
    let (_, unterminatedDiagnostics) = Parser.parse(tokens: unterminated, fileIndex: 0)
    #expect(
      unterminatedDiagnostics.map(\.message) == ["expected '=' after 'let x', found end of file"])
  }

  @Test("without a source, unclosed-bracket messages leave out the line")
  func withoutSource() {
    let span = Span(file: 0, start: 0, end: 1)
    let tokens = [
      Token(.keyword(.if), span), Token(.identifier("a"), span), Token(.punct(.lbrace), span),
      Token(.eof, span),
    ]
    let (_, diagnostics) = Parser.parse(tokens: tokens, fileIndex: 0)
    #expect(diagnostics.map(\.message) == ["expected '}' to close the block, found end of file"])
  }
}
