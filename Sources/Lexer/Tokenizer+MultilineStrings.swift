/// Multi-line strings: `"""`, a line break, lines of text, then a line holding only
/// indentation and `"""`. That indentation is removed from the start of every line.
extension Scanner {
  /// A piece of a multi-line string before indentation is removed.
  private enum Piece {
    /// Decoded text or an interpolation, from within a line.
    case part(StringPart)
    /// The raw indentation at the start of a line: `bytes[start..<end]`; `blank` if nothing
    /// else is on the line.
    case indentation(start: Int, end: Int, blank: Bool)
    /// A line break in the text.
    case newline
  }

  /// Scans a multi-line string; `pos` is at its opening `"""`.
  mutating func scanMultilineString() -> Token {
    let start = pos
    pos += 3
    guard interpolationDepth == 0 else {
      report(
        "a multi-line string cannot be inside an interpolation", start, pos,
        hint: "bind it to a name with 'let' and interpolate the name")
      return Token(.string([]), span(start, pos))
    }
    guard scanOpeningLine(start) else { return Token(.string([]), span(start, pos)) }
    var pieces: [Piece] = []
    var text: [UInt8] = []
    func flush() {
      if !text.isEmpty { pieces.append(.part(.text(String(decoding: text, as: UTF8.self)))) }
      text.removeAll(keepingCapacity: true)
    }
    var atLineStart = true
    while true {
      if atLineStart {
        atLineStart = false
        let indentStart = pos
        while pos < bytes.count, bytes[pos].isIndentation { pos += 1 }
        if peek() == Byte.quote && peek(1) == Byte.quote && peek(2) == Byte.quote {
          flush()
          let indentation = bytes[indentStart..<pos]
          pos += 3
          let parts = assemble(pieces, indentation: indentation)
          return Token(.string(parts), span(start, pos))
        }
        pieces.append(.indentation(start: indentStart, end: pos, blank: atLineEnd))
      }
      guard pos < bytes.count else {
        flush()
        report(
          "unterminated multi-line string", start, start + 3,
          hint: "close it with '\"\"\"' on a line of its own")
        return Token(.string(assemble(pieces, indentation: nil)), span(start, pos))
      }
      switch bytes[pos] {
      case Byte.newline:
        flush()
        pieces.append(.newline)
        pos += 1
        atLineStart = true
      case Byte.carriageReturn where peek(1) == Byte.newline:
        flush()
        pieces.append(.newline)
        pos += 2
        atLineStart = true
      case Byte.backslash:
        scanEscape(into: &text, multiline: true)
      case Byte.dollar where peek(1) == Byte.leftBrace:
        flush()
        pieces.append(.part(scanInterpolation().part))
        brokenLine = false  // The string goes on past a broken interpolation.
      default:
        let runStart = pos
        pos += 1
        while pos < bytes.count {
          let byte = bytes[pos]
          if byte == Byte.newline || byte == Byte.carriageReturn || byte == Byte.backslash
            || byte == Byte.dollar
          {
            break
          }
          pos += 1
        }
        text.append(contentsOf: bytes[runStart..<pos])
      }
    }
  }

  /// Whether `pos` is at a line break or the end of input.
  private var atLineEnd: Bool {
    let byte = peek()
    return byte == Byte.newline || byte == Byte.end
      || (byte == Byte.carriageReturn && peek(1) == Byte.newline)
  }

  /// Moves past the rest of the opening line, which must be blank. Returns false if the string
  /// is already over: unterminated at the end of input, or closed on the same line after an
  /// error (recovering from `"""text"""`).
  private mutating func scanOpeningLine(_ start: Int) -> Bool {
    while pos < bytes.count, bytes[pos].isIndentation { pos += 1 }
    if atLineEnd {
      guard pos < bytes.count else {
        report(
          "unterminated multi-line string", start, start + 3,
          hint: "close it with '\"\"\"' on a line of its own")
        return false
      }
      pos += bytes[pos] == Byte.newline ? 1 : 2
      return true
    }
    report(
      "expected a line break after '\"\"\"'", start, start + 3,
      hint: "a multi-line string starts on the line after '\"\"\"'; use \"…\" for one line")
    var quotes = 0
    while pos < bytes.count, bytes[pos] != Byte.newline {
      quotes = bytes[pos] == Byte.quote ? quotes + 1 : 0
      pos += 1
      if quotes == 3 { return false }
    }
    if pos < bytes.count { pos += 1 }
    return true
  }

  /// Removes the closing line's indentation from the start of each line, drops the line break
  /// before the closing line, and merges adjacent text. With no `indentation` (the string is
  /// unterminated) lines are kept as written.
  private mutating func assemble(_ pieces: [Piece], indentation: ArraySlice<UInt8>?)
    -> [StringPart]
  {
    var pieces = pieces
    if indentation != nil, case .newline = pieces.last { pieces.removeLast() }
    var builder = LiteralBuilder()
    for piece in pieces {
      switch piece {
      case .part(.text(let text)):
        builder.text.append(contentsOf: text.utf8)
      case .part(let code):
        builder.append(code)
      case .newline:
        builder.text.append(Byte.newline)
      case .indentation(let start, let end, let blank):
        let leading = bytes[start..<end]
        guard let indentation else {
          builder.text.append(contentsOf: leading)
          break
        }
        if leading.starts(with: indentation) {
          builder.text.append(contentsOf: leading.dropFirst(indentation.count))
        } else if !blank {
          report(
            "line is indented less than the closing '\"\"\"'", start, max(end, start + 1),
            hint: "indent every line at least as much as the closing '\"\"\"'; "
              + "do not mix tabs and spaces")
          builder.text.append(contentsOf: leading)
        }
      }
    }
    return builder.finish()
  }
}
