/// One-line strings, command literals, escapes and `${…}` interpolation.
extension Scanner {
  /// The escapes a string accepts, for hints.
  static let escapeList = #"\n \t \r \0 \\ \" \$ \u{…}"#

  /// Scans a string literal: `"…"`, or `"""…"""` when three quotes open it.
  mutating func scanString() -> Token {
    if peek(1) == Byte.quote && peek(2) == Byte.quote { return scanMultilineString() }
    let start = pos
    pos += 1
    var builder = LiteralBuilder()
    loop: while true {
      guard pos < bytes.count else {
        report("unterminated string", start, pos, hint: "close it with '\"'")
        break
      }
      switch bytes[pos] {
      case Byte.quote:
        pos += 1
        break loop
      case Byte.newline:
        var end = pos
        if end > start + 1 && bytes[end - 1] == Byte.carriageReturn { end -= 1 }
        report(
          "unterminated string", start, end,
          hint: "a string ends on its own line; use \"\"\" for a multi-line string")
        brokenLine = true
        break loop
      case Byte.backslash:
        scanEscape(into: &builder.text, multiline: false)
      case Byte.dollar where peek(1) == Byte.leftBrace:
        let (part, closed) = scanInterpolation()
        builder.append(part)
        if !closed { break loop }  // Already reported; the string ends with the line.
      default:
        let runStart = pos
        pos += 1
        while pos < bytes.count {
          let byte = bytes[pos]
          if byte == Byte.quote || byte == Byte.newline || byte == Byte.backslash
            || byte == Byte.dollar
          {
            break
          }
          pos += 1
        }
        builder.text.append(contentsOf: bytes[runStart..<pos])
      }
    }
    return Token(.string(builder.finish()), span(start, pos))
  }

  /// Scans a command literal `` `…` ``, which may span lines except inside an interpolation.
  ///
  /// Only `` \` ``, `\$` and `\\` are escapes; any other backslash is kept as written. A CR LF
  /// line break becomes LF. An unterminated interpolation ends the command with its line.
  mutating func scanCommand() -> Token {
    let start = pos
    pos += 1
    var builder = LiteralBuilder()
    loop: while true {
      guard pos < bytes.count else {
        report("unterminated command", start, start + 1, hint: "close it with '`'")
        break
      }
      switch bytes[pos] {
      case Byte.backtick:
        pos += 1
        break loop
      case Byte.backslash:
        let next = peek(1)
        if next == Byte.backtick || next == Byte.dollar || next == Byte.backslash {
          builder.text.append(next)
          pos += 2
        } else {
          builder.text.append(Byte.backslash)
          pos += 1
        }
      case Byte.dollar where peek(1) == Byte.leftBrace:
        let (part, closed) = scanInterpolation()
        builder.append(part)
        if !closed { break loop }  // Already reported; the command ends with the line.
      case Byte.newline where interpolationDepth > 0,
        Byte.carriageReturn where interpolationDepth > 0 && peek(1) == Byte.newline:
        report(
          "unterminated command", start, pos,
          hint: "a command inside '${…}' must end on the line where it starts")
        brokenLine = true
        break loop
      case Byte.carriageReturn where peek(1) == Byte.newline:
        builder.text.append(Byte.newline)
        pos += 2
      default:
        let runStart = pos
        pos += 1
        while pos < bytes.count {
          let byte = bytes[pos]
          if byte == Byte.backtick || byte == Byte.backslash || byte == Byte.dollar
            || byte == Byte.carriageReturn || byte == Byte.newline
          {
            break
          }
          pos += 1
        }
        builder.text.append(contentsOf: bytes[runStart..<pos])
      }
    }
    return Token(.command(builder.finish()), span(start, pos))
  }

  /// Decodes the escape starting at the backslash at `pos`, appending its value to `text`.
  ///
  /// A backslash before a line break or the end of input is dropped; in a multi-line string
  /// that is an error, in a one-line string the string is unterminated anyway.
  mutating func scanEscape(into text: inout [UInt8], multiline: Bool) {
    let start = pos
    let next = peek(1)
    switch next {
    case UInt8(ascii: "n"): text.append(Byte.newline)
    case UInt8(ascii: "t"): text.append(Byte.tab)
    case UInt8(ascii: "r"): text.append(Byte.carriageReturn)
    case UInt8(ascii: "0"): text.append(0)
    case Byte.backslash, Byte.quote, Byte.dollar: text.append(next)
    case UInt8(ascii: "u"):
      scanUnicodeEscape(into: &text)
      return
    case Byte.newline, Byte.end:
      pos += 1
      if multiline && next == Byte.newline { reportBackslashAtEndOfLine(start) }
      return
    case Byte.carriageReturn where peek(2) == Byte.newline:
      pos += 1
      if multiline { reportBackslashAtEndOfLine(start) }
      return
    default:
      let length = max(1, scalarLength(at: pos + 1))
      let end = min(bytes.count, pos + 1 + length)
      let name = String(decoding: bytes[start..<end], as: UTF8.self)
      report("invalid escape '\(name)'", start, end, hint: "escapes are \(Scanner.escapeList)")
      text.append(contentsOf: bytes[(start + 1)..<end])
      pos = end
      return
    }
    pos += 2
  }

  /// Reports a backslash at the end of a line of a multi-line string.
  private mutating func reportBackslashAtEndOfLine(_ start: Int) {
    report(
      "invalid escape '\\' at end of line", start, start + 1,
      hint: "a multi-line string keeps its line breaks; lines cannot be joined with '\\'")
  }

  /// Decodes `\u{HEX}` (1 to 8 hex digits naming a Unicode scalar) at `pos`.
  mutating func scanUnicodeEscape(into text: inout [UInt8]) {
    let start = pos
    var index = pos + 2
    var value: UInt32 = 0
    var valid = false
    if index < bytes.count, bytes[index] == Byte.leftBrace {
      index += 1
      let digitsStart = index
      while index < bytes.count, index - digitsStart < 8,
        let digit = Scanner.digitValue(bytes[index])
      {
        value = value << 4 | UInt32(digit)
        index += 1
      }
      if index > digitsStart, index < bytes.count, bytes[index] == Byte.rightBrace {
        index += 1
        valid = true
      }
    }
    pos = index
    let name = String(decoding: bytes[start..<index], as: UTF8.self)
    guard valid else {
      report(
        "invalid unicode escape '\(name)'", start, index,
        hint: #"write \u{…} with 1 to 8 hex digits, as in \u{1F600}"#)
      return
    }
    guard let scalar = Unicode.Scalar(value) else {
      report("invalid unicode scalar in '\(name)'", start, index)
      return
    }
    text.append(contentsOf: String(scalar).utf8)
  }

  /// Scans `${…}` at `pos`: the tokens up to the matching `}` (ending with `.eof`), lexed in
  /// place so that their spans are absolute.
  ///
  /// An interpolation must close on its own line; `closed` is false when it did not (the error
  /// is reported here).
  mutating func scanInterpolation() -> (part: StringPart, closed: Bool) {
    let start = pos
    pos += 2
    guard interpolationDepth < Scanner.interpolationLimit else {
      report(
        "interpolation is nested too deeply (limit \(Scanner.interpolationLimit))",
        start, start + 2)
      let closed = skipInterpolation()
      let eof = Token(.eof, span(closed ? pos - 1 : pos, pos))
      return (.code([eof], span(start, pos)), closed)
    }
    interpolationDepth += 1
    let diagnosticCount = diagnostics.count
    var tokens: [Token] = []
    let closed = scanTokens(into: &tokens, interpolation: true)
    interpolationDepth -= 1
    if !closed {
      // A literal inside that ran to the line break is an echo of the missing `}`.
      let inside = diagnostics[diagnosticCount...].filter {
        !$0.message.hasPrefix("unterminated")
      }
      diagnostics.replaceSubrange(diagnosticCount..., with: inside)
      report(
        "unterminated interpolation", start, start + 2,
        hint: "close it with '}' on the same line")
      brokenLine = true
    }
    return (.code(tokens, span(start, pos)), closed)
  }

  /// Skips an interpolation without lexing it: up to the `}` that balances its braces (consumed;
  /// returns true), or a line break or the end of input.
  private mutating func skipInterpolation() -> Bool {
    var depth = 0
    while pos < bytes.count {
      let byte = bytes[pos]
      if byte == Byte.newline { return false }
      pos += 1
      if byte == Byte.leftBrace {
        depth += 1
      } else if byte == Byte.rightBrace {
        if depth == 0 { return true }
        depth -= 1
      }
    }
    return false
  }
}

/// Collects the parts of a string or command literal, merging adjacent text.
struct LiteralBuilder {
  /// The finished parts.
  private(set) var parts: [StringPart] = []
  /// Text not yet added to `parts`, as UTF-8.
  var text: [UInt8] = []

  /// Adds a part after the pending text.
  mutating func append(_ part: StringPart) {
    flush()
    parts.append(part)
  }

  /// Moves the pending text into `parts`.
  mutating func flush() {
    guard !text.isEmpty else { return }
    parts.append(.text(String(decoding: text, as: UTF8.self)))
    text.removeAll(keepingCapacity: true)
  }

  /// The parts, with the pending text.
  mutating func finish() -> [StringPart] {
    flush()
    return parts
  }
}
