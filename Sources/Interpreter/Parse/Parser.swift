import Lexer

/// Turns tokens into a `Program`: a recursive-descent parser with precedence climbing for
/// binary operators, error recovery at statement boundaries and a nesting limit.
///
/// Like swift-syntax, it is a struct whose `mutating` consumers advance an index into the token
/// array; the array itself is never copied.
public struct Parser {
  /// How deeply expressions and blocks may nest before the parser gives up on a statement.
  public static let depthLimit = 200

  /// The tokens, ending with `.eof`.
  let tokens: [Token]
  /// The index of the current token; never past the final `.eof`.
  var index = 0
  /// The file index stamped on every span the parser makes.
  let file: Int
  /// The source, when known: used for line numbers in messages about unclosed brackets.
  let source: SourceFile?
  /// Errors found so far, in the order found.
  var diagnostics: [Diagnostic] = []
  /// Set by an error, cleared when the parser has synchronized: suppresses cascades.
  var panicking = false
  /// How deeply the current construct is nested (expressions and blocks).
  var depth = 0
  /// How many blocks enclose the current statement: 0 at the top level of the file.
  var blockDepth = 0
  /// Whether a call may take a trailing closure here; false in `if`/`while`/`for` headers, the
  /// hosts of `on` and step names, where a `{` opens the body instead.
  var allowsTrailingClosure = true
  /// Brackets opened and not yet closed, innermost last; lets recovery skip to their ends.
  var openers: [Opener] = []
  /// Whether the tokens are those of one `${…}` interpolation.
  let inInterpolation: Bool
  /// The `}` the indentation says is missing, once worked out (empty: none).
  var auditedBrace: [MissingBrace]?

  /// An open bracket: which one and where.
  struct Opener {
    var punct: Punct
    var span: Span
  }

  init(tokens: [Token], file: Int, source: SourceFile?, depth: Int = 0, interpolation: Bool = false)
  {
    if case .eof = tokens.last?.kind {
      self.tokens = tokens
    } else {
      // A malformed array: give it an end so that every loop has something to stop at.
      let end = tokens.last.map { Span(file: file, start: $0.span.end, end: $0.span.end) }
      self.tokens = tokens + [Token(.eof, end ?? Span(file: file, start: 0, end: 0))]
    }
    self.file = file
    self.source = source
    self.depth = depth
    self.inInterpolation = interpolation
  }

  /// Lexes and parses one file.
  ///
  /// The diagnostics are the tokenizer's and the parser's merged in source order. Parser errors
  /// on a line that already has a tokenizer error are left out: they are usually echoes of it.
  public static func parse(_ source: SourceFile, fileIndex: Int) -> (
    program: Program, diagnostics: [Diagnostic]
  ) {
    let lexed = Tokenizer.tokenize(source, fileIndex: fileIndex)
    var parser = Parser(tokens: lexed.tokens, file: fileIndex, source: source)
    let program = parser.parseProgram()
    let lexerLines = Set(
      lexed.diagnostics.filter { $0.severity == .error }.map {
        source.lineColumn(of: $0.span.start).line
      })
    let parserDiagnostics = parser.diagnostics.filter {
      !lexerLines.contains(source.lineColumn(of: $0.span.start).line)
    }
    let all = Diagnostic.inSourceOrder(lexed.diagnostics + parserDiagnostics)
    return (program, Diagnostic.capped(all))
  }

  /// Parses an already-lexed token array (ends with `.eof`).
  ///
  /// Pass the `source` the tokens came from to have line numbers in messages about unclosed
  /// brackets ("… opened at line 3").
  public static func parse(tokens: [Token], fileIndex: Int, source: SourceFile? = nil) -> (
    program: Program, diagnostics: [Diagnostic]
  ) {
    var parser = Parser(tokens: tokens, file: fileIndex, source: source)
    let program = parser.parseProgram()
    return (program, parser.diagnostics)
  }

  /// Parses the whole token array as a file.
  mutating func parseProgram() -> Program {
    let statements = parseStatements(inBlock: false)
    return Program(statements: statements, file: file)
  }
}

// MARK: - Looking at tokens

extension Parser {
  /// The current token.
  var current: Token { tokens[index] }

  /// The kind of the current token.
  var kind: Token.Kind { tokens[index].kind }

  /// The kind of the token after the current one (`.eof` at the end).
  var nextKind: Token.Kind { tokens[min(index + 1, tokens.count - 1)].kind }

  /// The span of the token before the current one: where a construct ends.
  var previousSpan: Span { tokens[max(0, index - 1)].span }

  /// Whether the current token is the given punctuation.
  func at(_ punct: Punct) -> Bool {
    if case .punct(let found) = tokens[index].kind { return found == punct }
    return false
  }

  /// Whether the current token is the given keyword.
  func at(_ keyword: Keyword) -> Bool {
    if case .keyword(let found) = tokens[index].kind { return found == keyword }
    return false
  }

  /// Whether the current token is the end of input.
  var atEnd: Bool {
    if case .eof = tokens[index].kind { return true }
    return false
  }

  /// Whether the current token is a line break.
  var atNewline: Bool {
    if case .newline = tokens[index].kind { return true }
    return false
  }

  /// Moves to the next token (never past `.eof`) and returns the one moved over.
  @discardableResult
  mutating func advance() -> Token {
    let token = tokens[index]
    if index < tokens.count - 1 { index += 1 }
    return token
  }

  /// Consumes the given punctuation if it is current.
  mutating func match(_ punct: Punct) -> Bool {
    guard at(punct) else { return false }
    advance()
    return true
  }

  /// Skips line breaks.
  mutating func skipNewlines() {
    while atNewline { advance() }
  }

  /// Skips line breaks when the next line starts with something that can begin an expression,
  /// so that `x = ⏎ 1` continues but `x = ⏎ ⏎ let y` reports the end of the first line.
  mutating func skipNewlinesBeforeOperand() {
    guard atNewline else { return }
    var ahead = index
    while ahead < tokens.count - 1, case .newline = tokens[ahead].kind { ahead += 1 }
    if Parser.canStartExpression(tokens[ahead].kind) { index = ahead }
  }

  /// Skips line breaks if the first token after them is `keyword` (`} ⏎ else`).
  mutating func skipNewlines(before keyword: Keyword) {
    guard atNewline else { return }
    var ahead = index
    while ahead < tokens.count - 1, case .newline = tokens[ahead].kind { ahead += 1 }
    if case .keyword(keyword) = tokens[ahead].kind { index = ahead }
  }

  /// Whether a token can be the first of an expression.
  static func canStartExpression(_ kind: Token.Kind) -> Bool {
    switch kind {
    case .identifier, .int, .float, .duration, .string, .command: return true
    case .keyword(let keyword):
      switch keyword {
      case .true, .false, .nil, .not, .sudo, .local, .fn, .step, .on: return true
      default: return false
      }
    case .punct(let punct):
      switch punct {
      case .lparen, .lbracket, .lbrace, .minus: return true
      default: return false
      }
    case .newline, .eof: return false
    }
  }

  /// How a token is named in messages: `'='`, `identifier 'x'`, `end of line`.
  func describe(_ token: Token) -> String {
    if inInterpolation, case .eof = token.kind { return "'}'" }
    return token.kind.description
  }

  /// `expected WHAT, found TOKEN` for the current token.
  func expected(_ what: String) -> String {
    "expected \(what), found \(describe(current))"
  }
}
