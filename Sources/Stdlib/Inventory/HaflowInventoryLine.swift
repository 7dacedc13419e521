import Lexer

/// The words of one line of haflow inventory syntax: names, `key=value` settings and `:`.
/// A `#` at the start of a word begins a comment; a name or bare value ending in `:` is
/// followed by a `:` word.
struct HaflowInventoryLine {
  /// One word of a line.
  enum Word {
    /// A name (a keyword, host, group or pattern).
    case name(String)
    /// `key=value`: the value typed (`22` is an int, `true` a bool, quoted text is text),
    /// `text` as written (without quotes).
    case setting(key: String, value: InventoryValue, text: String)
    /// The `:` before a group's members.
    case colon
  }

  /// The words with their places.
  private(set) var words: [(word: Word, span: Span)] = []

  private let chars: [Character]
  private let offsets: [Int]
  private let source: InventorySource
  private var index = 0

  /// Splits `text`, a line starting at UTF-8 offset `offset` of `source`.
  init(_ text: String, offset: Int, source: InventorySource) throws {
    chars = Array(text)
    var offsets: [Int] = []
    var at = offset
    for c in chars {
      offsets.append(at)
      at += c.utf8.count
    }
    offsets.append(at)
    self.offsets = offsets
    self.source = source
    try scan()
  }

  private func span(_ start: Int, _ end: Int) -> Span {
    Span(start: offsets[start], end: offsets[end])
  }

  private mutating func scan() throws {
    while index < chars.count {
      let c = chars[index]
      if c.isWhitespace {
        index += 1
        continue
      }
      if c == "#" { return }
      if c == ":" {
        words.append((.colon, span(index, index + 1)))
        index += 1
        continue
      }
      try word()
    }
  }

  private mutating func word() throws {
    let start = index
    while index < chars.count, !chars[index].isWhitespace, chars[index] != "=",
      chars[index] != "\""
    {
      index += 1
    }
    if index < chars.count, chars[index] == "\"" {
      throw source.error(
        "unexpected '\"'", at: span(index, index + 1),
        hint: "quotes are for values: key=\"some text\"")
    }
    guard index < chars.count, chars[index] == "=" else {
      pushName(start: start, end: index)
      return
    }
    let key = String(chars[start..<index])
    guard Self.isIdentifier(key) else {
      throw source.error(
        key.isEmpty ? "missing variable name before '='" : "invalid variable name '\(key)'",
        at: span(start, max(index, start + 1)),
        hint: "names are letters, digits and '_', not starting with a digit")
    }
    index += 1
    if index < chars.count, chars[index] == "\"" {
      let text = try quoted()
      words.append((.setting(key: key, value: .string(text), text: text), span(start, index)))
      if index < chars.count, chars[index] == ":" {
        words.append((.colon, span(index, index + 1)))
        index += 1
      }
      return
    }
    let valueStart = index
    while index < chars.count, !chars[index].isWhitespace { index += 1 }
    var valueEnd = index
    let endsWithColon = valueEnd > valueStart && chars[valueEnd - 1] == ":"
    if endsWithColon { valueEnd -= 1 }
    guard valueEnd > valueStart else {
      throw source.error(
        "missing value after '\(key)='", at: span(start, index),
        hint: "write \(key)=\"\" for empty text")
    }
    let text = String(chars[valueStart..<valueEnd])
    words.append((.setting(key: key, value: Self.typed(text), text: text), span(start, valueEnd)))
    if endsWithColon { words.append((.colon, span(valueEnd, valueEnd + 1))) }
  }

  private mutating func pushName(start: Int, end: Int) {
    if chars[end - 1] == ":" {
      if end - 1 > start {
        words.append((.name(String(chars[start..<(end - 1)])), span(start, end - 1)))
      }
      words.append((.colon, span(end - 1, end)))
    } else {
      words.append((.name(String(chars[start..<end])), span(start, end)))
    }
  }

  /// A double-quoted value at `index`, with escapes `\"`, `\\`, `\n`, `\t`.
  private mutating func quoted() throws -> String {
    let open = index
    index += 1
    var text = ""
    while index < chars.count {
      let c = chars[index]
      if c == "\"" {
        index += 1
        return text
      }
      if c == "\\" {
        let escape = index + 1 < chars.count ? chars[index + 1] : " "
        switch escape {
        case "\"", "\\": text.append(escape)
        case "n": text.append("\n")
        case "t": text.append("\t")
        default:
          throw source.error(
            "invalid escape '\\\(escape)'", at: span(index, min(index + 2, chars.count)),
            hint: "use \\\", \\\\, \\n or \\t")
        }
        index += 2
        continue
      }
      text.append(c)
      index += 1
    }
    throw source.error("unterminated string", at: span(open, chars.count))
  }

  /// A bare value: an int (`22`, `-1`; no leading zeros), a bool (`true`, `false`), or text.
  static func typed(_ text: String) -> InventoryValue {
    if text == "true" { return .bool(true) }
    if text == "false" { return .bool(false) }
    let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
    if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
      digits.first != "0" || digits.count == 1, let number = Int(text)
    {
      return .int(number)
    }
    return .string(text)
  }

  /// `[A-Za-z_][A-Za-z0-9_]*`.
  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.first, first.isASCII, first.isLetter || first == "_" else {
      return false
    }
    return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
  }
}
