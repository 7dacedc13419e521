import Lexer

/// Thrown to unwind to the enclosing statement once an error has been recorded.
struct ParseError: Error {}

// MARK: - Reporting

extension Parser {
  /// Records an error (unless one is already being recovered from) and returns the error to
  /// throw, which unwinds to the enclosing statement list.
  mutating func fail(
    _ message: String, at span: Span? = nil, notes: [Diagnostic.Note] = [], hint: String? = nil
  ) -> ParseError {
    record(message, at: span ?? current.span, notes: notes, hint: hint)
    panicking = true
    return ParseError()
  }

  /// Records an error after which parsing can go on as if nothing happened.
  mutating func report(_ message: String, at span: Span) {
    record(message, at: span, notes: [])
  }

  /// Appends a diagnostic, keeping one error per position (so nested unclosed brackets report
  /// once at the end of the file).
  private mutating func record(
    _ message: String, at span: Span, notes: [Diagnostic.Note], hint: String? = nil
  ) {
    guard !panicking else { return }
    if let last = diagnostics.last, last.span.file == span.file, last.span.start == span.start {
      return
    }
    diagnostics.append(Diagnostic(.error, message, at: span, hint: hint, notes: notes))
  }

  /// The 1-based line of a span, when the source is known.
  func line(of span: Span) -> Int? {
    source?.lineColumn(of: span.start).line
  }
}

// MARK: - Nesting

extension Parser {
  /// Enters one level of nesting, refusing to go past `depthLimit`.
  mutating func enter() throws(ParseError) {
    guard depth < Parser.depthLimit else {
      throw fail("nesting is too deep (limit \(Parser.depthLimit))")
    }
    depth += 1
  }

  /// Leaves a level entered with `enter()`.
  mutating func leave() {
    depth -= 1
  }
}

// MARK: - Brackets

extension Parser {
  /// Consumes an opening bracket and remembers it until its closing one.
  @discardableResult
  mutating func open() -> Opener {
    let token = advance()
    var punct = Punct.lparen
    if case .punct(let found) = token.kind { punct = found }
    let opener = Opener(punct: punct, span: token.span)
    openers.append(opener)
    return opener
  }

  /// Consumes the bracket closing `opener` and returns its span, or fails with
  /// `expected WHAT, found …`. At the end of the file the message names the opening line
  /// instead, with a note pointing at the opener.
  mutating func close(_ opener: Opener, expecting what: String, noun: String) throws(ParseError)
    -> Span
  {
    let closer: Punct
    switch opener.punct {
    case .lbracket: closer = .rbracket
    case .lbrace: closer = .rbrace
    default: closer = .rparen
    }
    if at(closer) {
      if !openers.isEmpty { openers.removeLast() }
      return advance().span
    }
    let note = Diagnostic.Note("\(noun) opened here", at: opener.span)
    if atEnd && !inInterpolation {
      if let missing = missingBraceByIndentation() {
        throw fail(missing.message, at: missing.span, notes: missing.notes, hint: missing.hint)
      }
      let place = line(of: opener.span).map { " opened at line \($0)" } ?? ""
      throw fail(
        "expected '\(closer.rawValue)' to close the \(noun)\(place), found end of file",
        notes: [note])
    }
    let distant = line(of: opener.span).map { $0 != line(of: current.span) } ?? false
    throw fail(expected(what), notes: distant ? [note] : [])
  }
}

// MARK: - Synchronizing

extension Parser {
  /// After an error: skips tokens up to the end of the broken statement, so that the next one
  /// parses cleanly. Stops after a newline or `;` at the statement's own bracket depth, before a
  /// `}` closing the enclosing block, before a keyword that starts a statement, or at the end.
  ///
  /// `openerCount` is the number of brackets that were open when the statement began; brackets
  /// opened since are still open and are skipped to their ends.
  mutating func synchronize(openerCount: Int) {
    var braces = 0
    var parens = 0
    if openerCount < openers.count {
      for opener in openers[openerCount...] {
        if opener.punct == .lbrace { braces += 1 } else { parens += 1 }
      }
      openers.removeSubrange(openerCount...)
    }
    defer { panicking = false }
    while true {
      switch kind {
      case .eof:
        return
      case .newline, .punct(.semicolon):
        advance()
        if braces == 0 { return }
      case .punct(.lbrace):
        braces += 1
        advance()
      case .punct(.rbrace):
        if braces == 0 { return }
        braces -= 1
        advance()
      case .punct(.lparen), .punct(.lbracket):
        parens += 1
        advance()
      case .punct(.rparen), .punct(.rbracket):
        parens = max(0, parens - 1)
        advance()
      case .keyword(let keyword):
        if braces == 0, Parser.onlyStartsStatements(keyword), !followsElse { return }
        if braces == 0, parens == 0, Parser.startsExpressionStatement(keyword) { return }
        advance()
      default:
        advance()
      }
    }
  }

  /// Whether the current token comes right after `else` (the `if` of `else if` does not start
  /// a statement).
  private var followsElse: Bool {
    guard index > 0, case .keyword(.else) = tokens[index - 1].kind else { return false }
    return true
  }

  /// Keywords that can only begin a statement, so are a safe place to resume anywhere.
  static func onlyStartsStatements(_ keyword: Keyword) -> Bool {
    switch keyword {
    case .let, .var, .param, .import, .if, .for, .while, .return, .try, .break, .continue:
      return true
    default:
      return false
    }
  }

  /// Keywords that begin statements but may also appear inside an expression.
  static func startsExpressionStatement(_ keyword: Keyword) -> Bool {
    keyword == .fn || keyword == .step || keyword == .on
  }
}
