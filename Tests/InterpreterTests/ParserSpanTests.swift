import Interpreter
import Lexer
import Testing

@Suite("Parser: spans")
struct ParserSpanTests {
  /// Parses one statement and returns it with its source.
  private func statement(_ text: String) -> (Stmt, SourceFile)? {
    let (program, diagnostics, source) = ParserTest.parse(text)
    #expect(diagnostics.isEmpty)
    guard let first = program.statements.first else { return nil }
    return (first, source)
  }

  @Test("binary nodes cover both operands and keep the operator's span")
  func binary() throws {
    let (stmt, source) = try #require(statement("let x = 1 + 2 * 3"))
    #expect(source.text(of: stmt.span) == "let x = 1 + 2 * 3")
    guard case .binding(let name, let value?, false) = stmt.kind else {
      Issue.record("not a let")
      return
    }
    #expect(source.text(of: name.span) == "x")
    #expect(source.text(of: value.span) == "1 + 2 * 3")
    guard case .binary(.add, let left, let right, let opSpan) = value.kind else {
      Issue.record("not an addition")
      return
    }
    #expect(source.text(of: opSpan) == "+")
    #expect(source.text(of: left.span) == "1")
    #expect(source.text(of: right.span) == "2 * 3")
    guard case .binary(.multiply, _, _, let innerOp) = right.kind else {
      Issue.record("not a multiplication")
      return
    }
    #expect(source.text(of: innerOp) == "*")
  }

  @Test("'not in' and prefix operators")
  func operators() throws {
    let (stmt, source) = try #require(statement("x not in -ys"))
    guard case .expression(let expr) = stmt.kind,
      case .binary(.notIn, _, let right, let opSpan) = expr.kind,
      case .unary(.negate, _, let minus) = right.kind
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.text(of: opSpan) == "not in")
    #expect(source.text(of: right.span) == "-ys")
    #expect(source.text(of: minus) == "-")
  }

  @Test("parentheses widen the inner expression's span")
  func parentheses() throws {
    let (stmt, source) = try #require(statement("(a + b) * c"))
    guard case .expression(let expr) = stmt.kind,
      case .binary(.multiply, let left, _, _) = expr.kind
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.text(of: expr.span) == "(a + b) * c")
    #expect(source.text(of: left.span) == "(a + b)")
  }

  @Test("postfix chains and trailing closures")
  func postfix() throws {
    let (stmt, source) = try #require(statement("m.f(a, b: 1) { x }[0].y"))
    guard case .expression(let member) = stmt.kind, case .member(let index, let name) = member.kind,
      case .index(let call, _) = index.kind,
      case .call(let callee, let arguments) = call.kind
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.text(of: member.span) == "m.f(a, b: 1) { x }[0].y")
    #expect(source.text(of: name.span) == "y")
    #expect(source.text(of: index.span) == "m.f(a, b: 1) { x }[0]")
    #expect(source.text(of: call.span) == "m.f(a, b: 1) { x }")
    #expect(source.text(of: callee.span) == "m.f")
    #expect(arguments.count == 3)
    #expect(arguments[1].label.map { source.text(of: $0.span) } == "b")
    #expect(source.text(of: arguments[2].value.span) == "{ x }")
  }

  @Test("statements and blocks")
  func statements() throws {
    let text = "if a {\n  f()\n} else {\n  g()\n}"
    let (stmt, source) = try #require(statement(text))
    #expect(source.text(of: stmt.span) == text)
    guard case .ifElse(_, let then, let otherwise?) = stmt.kind else {
      Issue.record("not an if/else")
      return
    }
    #expect(source.text(of: then.span) == "{\n  f()\n}")
    #expect(source.text(of: otherwise.span) == "{\n  g()\n}")
    #expect(source.text(of: then.statements[0].span) == "f()")
  }

  @Test("functions, params and imports")
  func declarations() throws {
    let (fnStmt, source) = try #require(statement("fn add(a, b = 1) { return a + b }"))
    guard case .function(let decl) = fnStmt.kind else {
      Issue.record("not a function")
      return
    }
    #expect(source.text(of: decl.span) == "fn add(a, b = 1) { return a + b }")
    #expect(decl.name.map { source.text(of: $0.span) } == "add")
    #expect(source.text(of: decl.parameters[1].name.span) == "b")
    #expect(source.text(of: decl.body.statements[0].span) == "return a + b")

    let (paramStmt, paramSource) = try #require(statement("param endpoint: string = \"x\""))
    guard case .param(let param) = paramStmt.kind else {
      Issue.record("not a param")
      return
    }
    #expect(paramSource.text(of: paramStmt.span) == "param endpoint: string = \"x\"")
    #expect(param.typeSpan.map { paramSource.text(of: $0) } == "string")
    #expect(param.type == .string)

    let (importStmt, importSource) = try #require(statement("import \"lib.hf\""))
    guard case .importFile(let path, let pathSpan) = importStmt.kind else {
      Issue.record("not an import")
      return
    }
    #expect(path == "lib.hf")
    #expect(importSource.text(of: pathSpan) == "\"lib.hf\"")
  }

  @Test("steps and on clauses")
  func steps() throws {
    let text = "let r = step \"a\" on hosts parallel(limit: 2) { 1 }"
    let (stmt, source) = try #require(statement(text))
    guard case .binding(_, let value?, _) = stmt.kind, case .step(let step) = value.kind,
      let target = step.target
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.text(of: value.span) == "step \"a\" on hosts parallel(limit: 2) { 1 }")
    #expect(source.text(of: target.span) == "on hosts parallel(limit: 2)")
    #expect(source.text(of: step.body.span) == "{ 1 }")
    #expect(target.parallel?.first?.label?.text == "limit")

    let (onStmt, onSource) = try #require(statement("on hosts parallel { 1 }"))
    guard case .expression(let onExpr) = onStmt.kind, case .on(let on) = onExpr.kind else {
      Issue.record("not an on")
      return
    }
    #expect(onSource.text(of: onExpr.span) == "on hosts parallel { 1 }")
    #expect(onSource.text(of: on.target.span) == "on hosts parallel")
    #expect(on.target.parallel == [])
  }

  @Test("interpolated expressions point into the file")
  func interpolation() throws {
    let (stmt, source) = try #require(statement("log(\"a ${b + c} d\")"))
    guard case .expression(let call) = stmt.kind, case .call(_, let arguments) = call.kind,
      case .string(let parts) = arguments[0].value.kind, parts.count == 3,
      case .expr(let inner) = parts[1]
    else {
      Issue.record("unexpected shape")
      return
    }
    #expect(source.text(of: inner.span) == "b + c")
    #expect(source.text(of: arguments[0].value.span) == "\"a ${b + c} d\"")
  }

  @Test("spans carry the file index")
  func fileIndex() {
    let source = SourceFile(name: "x.hf", text: "let x = [1, f(2)]")
    let (program, diagnostics) = Parser.parse(source, fileIndex: 3)
    #expect(diagnostics.isEmpty)
    #expect(program.file == 3)
    #expect(program.statements.first?.span.file == 3)
    guard case .binding(let name, let value?, _)? = program.statements.first?.kind else {
      Issue.record("not a let")
      return
    }
    #expect(name.span.file == 3)
    #expect(value.span.file == 3)
  }
}
