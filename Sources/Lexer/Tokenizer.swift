/// Turns the text of a source file into tokens.
///
/// The tokenizer works on UTF-8 bytes, never stops at an error (it reports it and goes on), and
/// always ends the token array with exactly one `.eof`. See "Lexical structure" in
/// `docs/language.md` for the rules and the list of messages.
public enum Tokenizer {
  /// Tokens (always ending with one `.eof`) and diagnostics for a source file.
  public static func tokenize(_ source: SourceFile, fileIndex: Int) -> (
    tokens: [Token], diagnostics: [Diagnostic]
  ) {
    var scanner = Scanner(bytes: source.bytes, file: fileIndex)
    return scanner.run()
  }
}

/// The tokenizer's state: the bytes, a position in them and the diagnostics found so far.
///
/// Token-level scanning is `scanTokens`; literals, numbers and stray characters are scanned by
/// the extensions in the other `Tokenizer+…` files. Every scanning function consumes at least
/// one byte, so every loop makes progress.
struct Scanner {
  /// How deeply `${…}` may nest inside strings inside `${…}`; bounds the recursion.
  static let interpolationLimit = 32

  /// The source bytes.
  let bytes: [UInt8]
  /// The file index stamped on every span.
  let file: Int
  /// The offset of the next byte to look at.
  var pos = 0
  /// Problems found so far.
  var diagnostics: [Diagnostic] = []
  /// How many `${…}` enclose the current position.
  var interpolationDepth = 0
  /// Set when a literal was cut short at a line break (an unterminated string or
  /// interpolation): brackets opened on that line are then forgotten, so that the line break
  /// still ends the statement and the next line is lexed afresh.
  var brokenLine = false

  /// Starts at the beginning of `bytes`, after a byte order mark if there is one.
  init(bytes: [UInt8], file: Int) {
    self.bytes = bytes
    self.file = file
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
  }

  /// Lexes the whole file.
  mutating func run() -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var tokens: [Token] = []
    tokens.reserveCapacity(bytes.count / 4 + 1)
    _ = scanTokens(into: &tokens, interpolation: false)
    tokens.append(Token(.eof, span(bytes.count, bytes.count)))
    // Indentation errors in multi-line strings are found after the string's other errors.
    return (tokens, Diagnostic.inSourceOrder(diagnostics))
  }

  /// Lexes tokens into `tokens` until the end of input or, when `interpolation` is set, until
  /// the `}` that closes it (returns true) or a line break (returns false).
  ///
  /// In an interpolation the closing `.eof` is appended here: at the `}`, or empty at the line
  /// break or end of input. The caller appends the file's `.eof`.
  mutating func scanTokens(into tokens: inout [Token], interpolation: Bool) -> Bool {
    var brackets = BracketStack()
    // No newline token before the first token or after another newline.
    var countAfterNewline = tokens.count
    var depthAtLineStart = 0
    while pos < bytes.count {
      let start = pos
      let byte = bytes[pos]
      switch byte {
      case Byte.space, Byte.tab, Byte.carriageReturn:
        pos += 1
      case Byte.newline:
        if interpolation {
          tokens.append(Token(.eof, span(pos, pos)))
          return false
        }
        pos += 1
        if brokenLine {
          brackets.truncate(to: depthAtLineStart)
          brokenLine = false
        }
        if brackets.allowsNewlines && tokens.count > countAfterNewline {
          tokens.append(Token(.newline, span(start, pos)))
          countAfterNewline = tokens.count
        }
        depthAtLineStart = brackets.depth
      case Byte.hash:
        skipComment()
      case Byte.quote:
        tokens.append(scanString())
      case Byte.backtick:
        tokens.append(scanCommand())
      case Byte.rightBrace where interpolation && !brackets.hasOpenBrace:
        pos += 1
        tokens.append(Token(.eof, span(start, pos)))
        return true
      default:
        if byte.isIdentifierStart {
          tokens.append(scanIdentifier())
        } else if byte.isDigit {
          tokens.append(scanNumber())
        } else if let punct = scanPunct() {
          brackets.note(punct)
          tokens.append(Token(.punct(punct), span(start, pos)))
        } else {
          scanStrayCharacter()
        }
      }
      if pos == start { pos += 1 }  // Never reached; guarantees progress all the same.
    }
    if interpolation { tokens.append(Token(.eof, span(pos, pos))) }
    return false
  }

  /// Skips a `#` comment up to (not including) the line break.
  mutating func skipComment() {
    pos += 1
    while pos < bytes.count, bytes[pos] != Byte.newline { pos += 1 }
  }

  /// Scans an identifier or keyword.
  mutating func scanIdentifier() -> Token {
    let start = pos
    pos += 1
    while pos < bytes.count, bytes[pos].isIdentifierContinue { pos += 1 }
    if let keyword = keyword(start, pos) { return Token(.keyword(keyword), span(start, pos)) }
    let name = String(decoding: bytes[start..<pos], as: UTF8.self)
    return Token(.identifier(name), span(start, pos))
  }

  /// The keyword spelled by `bytes[start..<end]`, if any; compares bytes, without hashing.
  func keyword(_ start: Int, _ end: Int) -> Keyword? {
    let first = Int(bytes[start]) - Int(UInt8(ascii: "a"))
    guard first >= 0, first < keywordsByFirstLetter.count else { return nil }
    for (spelling, keyword) in keywordsByFirstLetter[first] where spelling.count == end - start {
      if spelling.elementsEqual(bytes[start..<end]) { return keyword }
    }
    return nil
  }

  /// Scans punctuation, longest match first; nil (consuming nothing) if the byte starts none.
  mutating func scanPunct() -> Punct? {
    let next = peek(1)
    let punct: Punct
    var length = 1
    switch bytes[pos] {
    case Byte.leftParen: punct = .lparen
    case Byte.rightParen: punct = .rparen
    case Byte.leftBracket: punct = .lbracket
    case Byte.rightBracket: punct = .rbracket
    case Byte.leftBrace: punct = .lbrace
    case Byte.rightBrace: punct = .rbrace
    case Byte.comma: punct = .comma
    case Byte.colon: punct = .colon
    case Byte.semicolon: punct = .semicolon
    case Byte.percent: punct = .percent
    case Byte.dot:
      guard next == Byte.dot else {
        punct = .dot
        break
      }
      let third = peek(2)
      if third == Byte.dot || third == Byte.less {
        punct = third == Byte.dot ? .closedRange : .halfOpenRange
        length = 3
      } else {
        report(
          "unexpected '..'", pos, pos + 2,
          hint: "use '...' for a closed range or '..<' for a half-open one")
        punct = .closedRange
        length = 2
      }
    case Byte.plus: (punct, length) = next == Byte.equal ? (.plusAssign, 2) : (.plus, 1)
    case Byte.star: (punct, length) = next == Byte.equal ? (.starAssign, 2) : (.star, 1)
    case Byte.slash: (punct, length) = next == Byte.equal ? (.slashAssign, 2) : (.slash, 1)
    case Byte.equal: (punct, length) = next == Byte.equal ? (.equal, 2) : (.assign, 1)
    case Byte.less: (punct, length) = next == Byte.equal ? (.lessEqual, 2) : (.less, 1)
    case Byte.greater: (punct, length) = next == Byte.equal ? (.greaterEqual, 2) : (.greater, 1)
    case Byte.question: (punct, length) = next == Byte.question ? (.coalesce, 2) : (.question, 1)
    case Byte.minus:
      if next == Byte.equal {
        (punct, length) = (.minusAssign, 2)
      } else if next == Byte.greater {
        (punct, length) = (.arrow, 2)
      } else {
        punct = .minus
      }
    case Byte.bang:
      guard next == Byte.equal else { return nil }
      (punct, length) = (.notEqual, 2)
    default:
      return nil
    }
    pos += length
    return punct
  }
}

// MARK: - Helpers

extension Scanner {
  /// The byte `offset` bytes ahead, or `Byte.end` (never valid UTF-8) past the end.
  func peek(_ offset: Int = 0) -> UInt8 {
    let index = pos + offset
    return index < bytes.count ? bytes[index] : Byte.end
  }

  /// A span in this file.
  func span(_ start: Int, _ end: Int) -> Span {
    Span(file: file, start: start, end: end)
  }

  /// Records an error.
  /// Records an error; a run of the same error on adjacent text (`@@@@`) becomes one
  /// diagnostic, and past `Diagnostic.limit` errors are dropped (the parser says so).
  mutating func report(_ message: String, _ start: Int, _ end: Int, hint: String? = nil) {
    if let last = diagnostics.last, last.message == message, last.span.end == start {
      diagnostics[diagnostics.count - 1].span.end = end
      return
    }
    guard diagnostics.count < Diagnostic.limit else { return }
    diagnostics.append(.error(message, at: span(start, end), hint: hint))
  }
}

/// The open brackets, innermost last, which decide whether a line break is a token.
struct BracketStack {
  /// The open brackets.
  private var open: [Punct] = []
  /// How many of them are `{`.
  private(set) var braceCount = 0

  /// Whether line breaks are tokens here: at the top level or directly inside `{ … }`.
  var allowsNewlines: Bool { open.last.map { $0 == .lbrace } ?? true }

  /// Whether a `{` is open (so a `}` closes it rather than an interpolation).
  var hasOpenBrace: Bool { braceCount > 0 }

  /// How many brackets are open.
  var depth: Int { open.count }

  /// Forgets the brackets opened after the first `depth`.
  mutating func truncate(to depth: Int) {
    while open.count > max(0, depth), let top = open.popLast() {
      if top == .lbrace { braceCount -= 1 }
    }
  }

  /// Updates the stack for one punctuation token.
  ///
  /// A `)` or `]` pops only its own opener; a `}` pops back to the innermost `{`, dropping
  /// unclosed `(` and `[` inside it. Any other closer is left for the parser to report.
  mutating func note(_ punct: Punct) {
    switch punct {
    case .lparen, .lbracket:
      open.append(punct)
    case .lbrace:
      open.append(punct)
      braceCount += 1
    case .rparen:
      if open.last == .lparen { open.removeLast() }
    case .rbracket:
      if open.last == .lbracket { open.removeLast() }
    case .rbrace:
      guard braceCount > 0 else { return }
      while let top = open.popLast(), top != .lbrace {}
      braceCount -= 1
    default:
      break
    }
  }
}

/// Keywords with their UTF-8 spelling, grouped by first letter (`a` at index 0).
private let keywordsByFirstLetter: [[(spelling: [UInt8], keyword: Keyword)]] = {
  var table = Array(repeating: [(spelling: [UInt8], keyword: Keyword)](), count: 26)
  for keyword in Keyword.allCases {
    let spelling = Array(keyword.rawValue.utf8)
    table[Int(spelling[0] - UInt8(ascii: "a"))].append((spelling, keyword))
  }
  return table
}()
