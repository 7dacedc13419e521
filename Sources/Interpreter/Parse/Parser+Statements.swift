import Lexer

// MARK: - Statement lists and blocks

extension Parser {
  /// Parses statements up to the end of the file or, in a block, up to its `}` (not consumed).
  /// A broken statement is reported, skipped and parsing goes on with the next one.
  mutating func parseStatements(inBlock: Bool) -> [Stmt] {
    var statements: [Stmt] = []
    while true {
      switch kind {
      case .newline, .punct(.semicolon):
        advance()
        continue
      case .eof:
        return statements
      case .punct(.rbrace):
        if inBlock { return statements }
        report("unmatched '}'", at: current.span)
        advance()
        continue
      default:
        break
      }
      let start = index
      let openerCount = openers.count
      do {
        if let statement = try parseStatement() { statements.append(statement) }
        try expectTerminator()
      } catch {
        synchronize(openerCount: openerCount)
        // Synchronizing stops without moving only at a keyword that starts a statement; when
        // that is where this statement began (it failed on its first token, e.g. for nesting
        // too deeply), step over the keyword and skip the rest of the statement, so that every
        // turn of the loop consumes something.
        if index == start {
          advance()
          synchronize(openerCount: openers.count)
        }
      }
    }
  }

  /// Requires the end of a statement: a newline or `;` (consumed), or a `}` or the end of the
  /// file (left for the caller).
  mutating func expectTerminator() throws(ParseError) {
    switch kind {
    case .newline, .punct(.semicolon): advance()
    case .punct(.rbrace), .eof: break
    default: throw fail(expected("newline or ';' after statement"))
    }
  }

  /// Parses `{ statements }`; `owner` names what the block belongs to in the message when the
  /// `{` is missing: `expected '{' to open the 'if' body, found …`.
  mutating func parseBlock(for owner: String) throws(ParseError) -> Block {
    guard at(.lbrace) else { throw fail(expected("'{' to open the \(owner) body")) }
    try enter()
    defer { leave() }
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    blockDepth += 1
    defer {
      allowsTrailingClosure = trailing
      blockDepth -= 1
    }
    let statements = parseStatements(inBlock: true)
    let end = try close(opener, expecting: "'}'", noun: "block")
    return Block(statements, span: opener.span.to(end))
  }
}

// MARK: - Statements

extension Parser {
  /// Parses one statement; nil when it was parsed but is dropped because of a reported error
  /// (so that later stages do not report it again).
  mutating func parseStatement() throws(ParseError) -> Stmt? {
    switch kind {
    case .keyword(.let): return try parseBinding(mutable: false)
    case .keyword(.var): return try parseBinding(mutable: true)
    case .keyword(.fn):
      if case .identifier = nextKind { return try parseFunctionDeclaration() }
    case .keyword(.param): return try parseParam()
    case .keyword(.import): return try parseImport()
    case .keyword(.if): return try parseIf()
    case .keyword(.for): return try parseFor()
    case .keyword(.while): return try parseWhile()
    case .keyword(.break): return Stmt(.breakLoop, advance().span)
    case .keyword(.continue): return Stmt(.continueLoop, advance().span)
    case .keyword(.return): return try parseReturn()
    case .keyword(.try): return try parseTry()
    default: break
    }
    return try parseExpressionStatement()
  }

  /// `let name = value`, `var name [= value]`.
  mutating func parseBinding(mutable: Bool) throws(ParseError) -> Stmt {
    let keyword = advance()
    let word = mutable ? "var" : "let"
    guard case .identifier(let text) = kind else { throw fail(expected("name after '\(word)'")) }
    let name = Name(text, advance().span)
    if mutable && !at(.assign) {
      return Stmt(.binding(name: name, value: nil, mutable: true), keyword.span.to(name.span))
    }
    guard match(.assign) else { throw fail(expected("'=' after '\(word) \(text)'")) }
    skipNewlinesBeforeOperand()
    let value = try parseExpression()
    return Stmt(.binding(name: name, value: value, mutable: mutable), keyword.span.to(value.span))
  }

  /// `fn name(params) { body }`.
  mutating func parseFunctionDeclaration() throws(ParseError) -> Stmt {
    let keyword = advance()
    guard case .identifier(let text) = kind else { throw fail(expected("function name")) }
    let name = Name(text, advance().span)
    guard at(.lparen) else { throw fail(expected("'(' after 'fn \(text)'")) }
    let parameters = try parseParameters()
    let body = try parseBlock(for: "function")
    let span = keyword.span.to(body.span)
    let decl = FunctionDecl(name: name, parameters: parameters, body: body, span: span)
    return Stmt(.function(decl), span)
  }

  /// `(a, b = 1)`, the current token being the `(`.
  mutating func parseParameters() throws(ParseError) -> [Parameter] {
    let opener = open()
    var parameters: [Parameter] = []
    while !at(.rparen) && !atEnd {
      guard case .identifier(let text) = kind else { throw fail(expected("parameter name")) }
      let name = Name(text, advance().span)
      var defaultValue: Expr?
      if match(.assign) { defaultValue = try parseExpression() }
      parameters.append(Parameter(name: name, defaultValue: defaultValue))
      if !match(.comma) { break }
    }
    _ = try close(opener, expecting: "',' or ')' after parameter", noun: "'('")
    return parameters
  }

  /// `param name[: type] [= default]`, at the top level only.
  mutating func parseParam() throws(ParseError) -> Stmt? {
    let keyword = advance()
    let misplaced = blockDepth > 0
    if misplaced {
      report("'param' is only allowed at the top level of a file", at: keyword.span)
    }
    guard case .identifier(let text) = kind else { throw fail(expected("name after 'param'")) }
    let name = Name(text, advance().span)
    var type: ParamType?
    var typeSpan: Span?
    if match(.colon) {
      guard case .identifier(let typeName) = kind else { throw fail(expected("type after ':'")) }
      let token = advance()
      typeSpan = token.span
      type = ParamType(rawValue: typeName)
      if type == nil {
        let valid = ParamType.allCases.map(\.rawValue).joined(separator: ", ")
        report("unknown param type '\(typeName)' (expected one of: \(valid))", at: token.span)
      }
    }
    var defaultValue: Expr?
    if match(.assign) {
      skipNewlinesBeforeOperand()
      defaultValue = try parseExpression()
    } else if typeSpan == nil {
      throw fail(expected("':' or '=' after 'param \(text)'"))
    }
    let end = defaultValue?.span ?? typeSpan ?? name.span
    let decl = ParamDecl(name: name, type: type, typeSpan: typeSpan, defaultValue: defaultValue)
    return misplaced ? nil : Stmt(.param(decl), keyword.span.to(end))
  }

  /// `import "path.hf"`, at the top level only.
  mutating func parseImport() throws(ParseError) -> Stmt? {
    let keyword = advance()
    var valid = true
    if blockDepth > 0 {
      report("'import' is only allowed at the top level of a file", at: keyword.span)
      valid = false
    }
    guard case .string(let parts) = kind else {
      throw fail(expected("file path string after 'import'"))
    }
    let token = advance()
    var path = ""
    for part in parts {
      switch part {
      case .text(let text): path += text
      case .code(_, let span):
        report("an import path cannot contain interpolation", at: span)
        valid = false
      }
    }
    guard valid else { return nil }
    return Stmt(.importFile(path: path, pathSpan: token.span), keyword.span.to(token.span))
  }

  /// `if cond { … } [else if … | else { … }]`; `else` may start the line after the `}`.
  mutating func parseIf() throws(ParseError) -> Stmt {
    let keyword = advance()
    let condition = try parseHeaderExpression()
    let then = try parseBlock(for: "'if'")
    var otherwise: Block?
    skipNewlines(before: .else)
    if at(.else) {
      advance()
      if at(.if) {
        try enter()
        defer { leave() }
        let nested = try parseIf()
        otherwise = Block([nested], span: nested.span)
      } else if at(.lbrace) {
        otherwise = try parseBlock(for: "'else'")
      } else {
        throw fail(expected("'{' or 'if' after 'else'"))
      }
    }
    let span = keyword.span.to(otherwise?.span ?? then.span)
    return Stmt(.ifElse(condition: condition, then: then, otherwise: otherwise), span)
  }

  /// `for x in xs { … }`, `for k, v in m { … }`.
  mutating func parseFor() throws(ParseError) -> Stmt {
    let keyword = advance()
    guard case .identifier(let first) = kind else {
      throw fail(expected("loop variable name after 'for'"))
    }
    var names = [Name(first, advance().span)]
    if match(.comma) {
      guard case .identifier(let second) = kind else {
        throw fail(expected("second loop variable name after ','"))
      }
      names.append(Name(second, advance().span))
    }
    guard at(.in) else {
      throw fail(expected("'in' after the loop variable\(names.count > 1 ? "s" : "")"))
    }
    advance()
    let iterable = try parseHeaderExpression()
    let body = try parseBlock(for: "'for'")
    return Stmt(.forIn(names: names, iterable: iterable, body: body), keyword.span.to(body.span))
  }

  /// `while cond { … }`.
  mutating func parseWhile() throws(ParseError) -> Stmt {
    let keyword = advance()
    let condition = try parseHeaderExpression()
    let body = try parseBlock(for: "'while'")
    return Stmt(.whileLoop(condition: condition, body: body), keyword.span.to(body.span))
  }

  /// `return` or `return value`; a line end, `;` or `}` right after `return` means no value.
  mutating func parseReturn() throws(ParseError) -> Stmt {
    let keyword = advance()
    switch kind {
    case .newline, .eof, .punct(.semicolon), .punct(.rbrace):
      return Stmt(.returnValue(nil), keyword.span)
    default:
      let value = try parseExpression()
      return Stmt(.returnValue(value), keyword.span.to(value.span))
    }
  }

  /// `try { … } catch [name] { … }`; `catch` may start the line after the `}`.
  mutating func parseTry() throws(ParseError) -> Stmt {
    let keyword = advance()
    let body = try parseBlock(for: "'try'")
    skipNewlines(before: .catch)
    guard at(.catch) else { throw fail(expected("'catch' after the 'try' block")) }
    advance()
    var errorName: Name?
    if case .identifier(let text) = kind { errorName = Name(text, advance().span) }
    let handler = try parseBlock(for: "'catch'")
    return Stmt(
      .tryCatch(body: body, errorName: errorName, handler: handler),
      keyword.span.to(handler.span))
  }

  /// An expression, or an assignment when an assignment operator follows it.
  mutating func parseExpressionStatement() throws(ParseError) -> Stmt? {
    let target = try parseExpression()
    guard let op = assignOperator else { return Stmt(.expression(target), target.span) }
    advance()
    skipNewlinesBeforeOperand()
    let value = try parseExpression()
    guard Parser.isAssignable(target) else {
      report("invalid assignment target", at: target.span)
      return nil
    }
    return Stmt(.assign(target: target, op: op, value: value), target.span.to(value.span))
  }

  /// The assignment operator at the current token, if any.
  var assignOperator: AssignOp? {
    guard case .punct(let punct) = kind else { return nil }
    switch punct {
    case .assign: return .assign
    case .plusAssign: return .add
    case .minusAssign: return .subtract
    case .starAssign: return .multiply
    case .slashAssign: return .divide
    default: return nil
    }
  }

  /// Whether an expression is a name, or an index/member chain rooted at a name.
  static func isAssignable(_ target: Expr) -> Bool {
    var node = target
    while true {
      switch node.kind {
      case .name: return true
      case .index(let base, _), .member(let base, _): node = base
      default: return false
      }
    }
  }
}
