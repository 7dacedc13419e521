import Lexer

// MARK: - Literals and names

extension Parser {
  /// A literal, a name, a bracketed expression, a closure, a step or an `on` expression.
  mutating func parsePrimary() throws(ParseError) -> Expr {
    switch kind {
    case .int(let value): return Expr(.int(value), advance().span)
    case .float(let value): return Expr(.float(value), advance().span)
    case .duration(let value): return Expr(.duration(value), advance().span)
    case .string(let parts):
      let token = advance()
      return Expr(.string(try interpolate(parts)), token.span)
    case .command(let parts):
      let token = advance()
      let literal = CommandLiteral(parts: try interpolate(parts), modifiers: CommandModifiers())
      return Expr(.command(literal), token.span)
    case .identifier(let text):
      let span = advance().span
      return Expr(.name(Name(text, span)), span)
    case .keyword(.true): return Expr(.bool(true), advance().span)
    case .keyword(.false): return Expr(.bool(false), advance().span)
    case .keyword(.nil): return Expr(.nilLiteral, advance().span)
    case .keyword(.fn): return try parseClosure()
    case .keyword(.step): return try parseStep()
    case .keyword(.on): return try parseOn()
    case .punct(.lparen): return try parseParenthesized()
    case .punct(.lbracket): return try parseList()
    case .punct(.lbrace): return try parseMap()
    default: throw fail(expected("expression"))
    }
  }

  /// The parts of a string or command literal, parsing each `${…}` with its own parser.
  mutating func interpolate(_ parts: [StringPart]) throws(ParseError) -> [Interpolated] {
    var result: [Interpolated] = []
    result.reserveCapacity(parts.count)
    for part in parts {
      switch part {
      case .text(let text):
        result.append(.text(text))
      case .code(let tokens, _):
        try enter()
        defer { leave() }
        var inner = Parser(
          tokens: tokens, file: file, source: source, depth: depth, interpolation: true)
        let expr = inner.parseInterpolation()
        diagnostics += inner.diagnostics
        guard let expr else {
          panicking = true
          throw ParseError()
        }
        result.append(.expr(expr))
      }
    }
    return result
  }

  /// The single expression of a `${…}`; nil after reporting an error.
  private mutating func parseInterpolation() -> Expr? {
    do {
      skipNewlines()
      let expr = try parseExpression()
      skipNewlines()
      guard atEnd else { throw fail(expected("'}' after the interpolated expression")) }
      return expr
    } catch {
      return nil
    }
  }
}

// MARK: - Brackets

extension Parser {
  /// `( expr )`; the expression's span is widened to cover the parentheses.
  mutating func parseParenthesized() throws(ParseError) -> Expr {
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    defer { allowsTrailingClosure = trailing }
    skipNewlines()
    let inner = try parseExpression()
    skipNewlines()
    let end = try close(opener, expecting: "')' after expression", noun: "'('")
    return Expr(inner.kind, opener.span.to(end))
  }

  /// `[a, b, c]`, with an optional trailing comma.
  mutating func parseList() throws(ParseError) -> Expr {
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    defer { allowsTrailingClosure = trailing }
    var elements: [Expr] = []
    skipNewlines()
    while !at(.rbracket) && !atEnd {
      elements.append(try parseExpression())
      skipNewlines()
      if !match(.comma) { break }
      skipNewlines()
    }
    let end = try close(opener, expecting: "',' or ']' after list element", noun: "'['")
    return Expr(.list(elements), opener.span.to(end))
  }

  /// `{key: value, …}`: entries separated by `,` or line breaks; `{}` is the empty map.
  mutating func parseMap() throws(ParseError) -> Expr {
    let opener = open()
    let trailing = allowsTrailingClosure
    allowsTrailingClosure = true
    defer { allowsTrailingClosure = trailing }
    var entries: [MapEntry] = []
    skipNewlines()
    while !at(.rbrace) && !atEnd {
      let key = try parseMapKey()
      guard match(.colon) else { throw fail(expected("':' after map key")) }
      skipNewlinesBeforeOperand()
      let value = try parseExpression()
      entries.append(MapEntry(key: key, value: value))
      let comma = match(.comma)
      let newline = atNewline
      skipNewlines()
      // After a line break alone, only a key may follow: anything else (often a statement,
      // after a forgotten `}`) is reported as a missing separator or `}`, with the opener.
      if !comma && !(newline && atMapKey) { break }
    }
    let end = try close(opener, expecting: "',' or '}' after map entry", noun: "map literal")
    return Expr(.map(entries), opener.span.to(end))
  }

  /// Whether the current token can begin a map key.
  private var atMapKey: Bool {
    switch kind {
    case .string, .identifier, .punct(.lparen): return true
    case .keyword(let keyword):
      guard case .punct(.colon) = nextKind else { return false }
      return keyword != .true && keyword != .false && keyword != .nil
    default: return false
    }
  }

  /// A map key: a string, a bare name (the string of its text) or `(expr)`.
  private mutating func parseMapKey() throws(ParseError) -> Expr {
    switch kind {
    case .string(let parts):
      let token = advance()
      return Expr(.string(try interpolate(parts)), token.span)
    case .identifier(let text):
      let span = advance().span
      return Expr(.string([.text(text)]), span)
    case .keyword(let keyword) where keyword != .true && keyword != .false && keyword != .nil:
      guard case .punct(.colon) = nextKind else { break }
      let span = advance().span
      return Expr(.string([.text(keyword.rawValue)]), span)
    case .punct(.lparen):
      return try parseParenthesized()
    default:
      break
    }
    throw fail(expected("map key (a string, a name or a parenthesized expression)"))
  }
}

// MARK: - Closures, steps and `on`

extension Parser {
  /// `fn(params) { … }` or `fn { … }`.
  mutating func parseClosure() throws(ParseError) -> Expr {
    let keyword = advance()
    var parameters: [Parameter] = []
    if at(.lparen) {
      parameters = try parseParameters()
    } else if !at(.lbrace) {
      throw fail(expected("'(' or '{' after 'fn'"))
    }
    let body = try parseBlock(for: "function")
    let span = keyword.span.to(body.span)
    let decl = FunctionDecl(name: nil, parameters: parameters, body: body, span: span)
    return Expr(.function(decl), span)
  }

  /// `step NAME [on HOSTS [parallel[(…)]]] { … }`.
  mutating func parseStep() throws(ParseError) -> Expr {
    let keyword = advance()
    let name = try parseHeaderExpression()
    var target: OnClause?
    if at(.on) { target = try parseOnClause() }
    let body = try parseBlock(for: "step")
    let step = StepExpr(name: name, target: target, body: body)
    return Expr(.step(step), keyword.span.to(body.span))
  }

  /// `on HOSTS [parallel[(…)]] { … }`.
  mutating func parseOn() throws(ParseError) -> Expr {
    let target = try parseOnClause()
    let body = try parseBlock(for: "'on'")
    return Expr(.on(OnExpr(target: target, body: body)), target.span.to(body.span))
  }

  /// `on HOSTS [parallel[(args)]]`; `parallel` alone has no arguments.
  mutating func parseOnClause() throws(ParseError) -> OnClause {
    let keyword = advance()
    let hosts = try parseHeaderExpression()
    var parallel: [Argument]?
    var end = hosts.span
    if at(.parallel) {
      end = advance().span
      parallel = []
      if at(.lparen) {
        let (arguments, close) = try parseArguments()
        parallel = arguments
        end = close
      }
    }
    return OnClause(hosts: hosts, parallel: parallel, span: keyword.span.to(end))
  }
}
