import OrderedCollections

/// A recursive-descent reader of one Python literal expression (see `PythonLiteral`).
/// Every method returns nil when the text is not a literal; each consumes at least one
/// character when it succeeds.
struct PythonLiteralParser {
  private let chars: [Character]
  private var index = 0
  /// Nesting depth, capped so hostile input cannot exhaust the stack.
  private var depth = 0

  init(_ text: String) { chars = Array(text) }

  /// The whole text as one literal (leading spaces and tabs, trailing whitespace and a
  /// comment allowed), or nil.
  mutating func parseWhole() -> InventoryValue? {
    while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
    guard let value = parseExpression() else { return nil }
    skipSpace()
    return index == chars.count ? value : nil
  }

  private var current: Character? { index < chars.count ? chars[index] : nil }

  private mutating func skipSpace() {
    while let c = current {
      if c == "#" {
        while let d = current, d != "\n" { index += 1 }
      } else if c.isWhitespace {
        index += 1
      } else {
        return
      }
    }
  }

  private mutating func parseExpression() -> InventoryValue? {
    skipSpace()
    guard let c = current else { return nil }
    switch c {
    case "+", "-":
      index += 1
      skipSpace()
      guard let number = parseNumber() else { return nil }
      guard c == "-" else { return number }
      switch number {
      case .int(let i): return i == Int.min ? nil : .int(-i)
      case .float(let f): return .float(-f)
      default: return nil
      }
    case "[", "(", "{":
      depth += 1
      defer { depth -= 1 }
      guard depth <= 100 else { return nil }
      return c == "{" ? parseBraces() : parseSequence(close: c == "[" ? "]" : ")")
    case ".":
      if index + 2 < chars.count, chars[index + 1] == ".", chars[index + 2] == "." {
        index += 3
        return .string("...")
      }
      return parseNumber()
    default:
      if c.isASCII && c.isNumber { return parseNumber() }
      if c == "\"" || c == "'" || c.isLetter || c == "_" { return parseWordOrString() }
      return nil
    }
  }

  /// `[a, b]` or `(a, b)`: a list (a trailing comma allowed); `(a)` is just `a`.
  private mutating func parseSequence(close: Character) -> InventoryValue? {
    index += 1
    var items: [InventoryValue] = []
    var sawComma = false
    while true {
      skipSpace()
      if current == close {
        index += 1
        if close == ")" && items.count == 1 && !sawComma { return items[0] }
        return .list(items)
      }
      guard let item = parseExpression() else { return nil }
      items.append(item)
      skipSpace()
      if current == "," {
        index += 1
        sawComma = true
      } else if current != close {
        return nil
      }
    }
  }

  /// `{}` and `{k: v, …}` (a dict), or `{a, b}` (a set, read as a list).
  private mutating func parseBraces() -> InventoryValue? {
    index += 1
    var entries = OrderedDictionary<String, InventoryValue>()
    var items: [InventoryValue] = []
    var isDict: Bool?
    while true {
      skipSpace()
      if current == "}" {
        index += 1
        return isDict == false ? .list(items) : .map(entries)
      }
      guard let first = parseExpression() else { return nil }
      skipSpace()
      if current == ":" {
        guard isDict != false else { return nil }
        isDict = true
        index += 1
        guard let value = parseExpression() else { return nil }
        entries[Self.key(first)] = value
      } else {
        guard isDict != true else { return nil }
        isDict = false
        if !items.contains(first) { items.append(first) }
      }
      skipSpace()
      if current == "," {
        index += 1
      } else if current != "}" {
        return nil
      }
    }
  }

  /// A dict key as JSON writes it: text as is, other scalars as their JSON text.
  private static func key(_ value: InventoryValue) -> String {
    switch value {
    case .string(let s): s
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .int(let i): String(i)
    case .float(let f): InventoryValue.floatText(f)
    default: value.repr
    }
  }

  /// `True`, `False`, `None`, or a (possibly prefixed, possibly concatenated) string.
  private mutating func parseWordOrString() -> InventoryValue? {
    let start = index
    while let c = current, c.isLetter || c.isNumber || c == "_" { index += 1 }
    let word = String(chars[start..<index])
    if current != "\"" && current != "'" {
      switch word {
      case "True": return .bool(true)
      case "False": return .bool(false)
      case "None": return .null
      default: return nil
      }
    }
    index = start
    var text = ""
    var count = 0
    while true {
      let save = index
      skipSpace()
      guard let piece = parseString() else {
        index = save
        break
      }
      text += piece
      count += 1
    }
    return count > 0 ? .string(text) : nil
  }

  /// One string literal with an optional `r`, `u`, `b`, `br` or `rb` prefix.
  private mutating func parseString() -> String? {
    let start = index
    while let c = current, c.isLetter { index += 1 }
    let prefix = String(chars[start..<index]).lowercased()
    guard ["", "r", "u", "b", "br", "rb"].contains(prefix) else {
      index = start
      return nil
    }
    guard let quote = current, quote == "\"" || quote == "'" else {
      index = start
      return nil
    }
    let raw = prefix.contains("r")
    let bytes = prefix.contains("b")
    let triple =
      index + 2 < chars.count && chars[index + 1] == quote && chars[index + 2] == quote
    index += triple ? 3 : 1
    var out = ""
    while let c = current {
      if c == quote {
        if !triple {
          index += 1
          return out
        }
        if index + 2 < chars.count, chars[index + 1] == quote, chars[index + 2] == quote {
          index += 3
          return out
        }
      }
      if c == "\n" && !triple { return nil }
      if c == "\\" {
        guard index + 1 < chars.count else { return nil }
        if raw {
          out.append(c)
          out.append(chars[index + 1])
          index += 2
          continue
        }
        guard let escaped = parseEscape(bytes: bytes) else { return nil }
        out += escaped
        continue
      }
      out.append(c)
      index += 1
    }
    return nil
  }

  /// The escape at `index` (a backslash); unknown escapes keep their backslash.
  private mutating func parseEscape(bytes: Bool) -> String? {
    let e = chars[index + 1]
    index += 2
    switch e {
    case "\n": return ""
    case "\\": return "\\"
    case "'": return "'"
    case "\"": return "\""
    case "a": return "\u{07}"
    case "b": return "\u{08}"
    case "f": return "\u{0C}"
    case "n": return "\n"
    case "r": return "\r"
    case "t": return "\t"
    case "v": return "\u{0B}"
    case "x": return hexScalar(digits: 2)
    case "u" where !bytes: return hexScalar(digits: 4)
    case "U" where !bytes: return hexScalar(digits: 8)
    case "N" where !bytes: return nil
    default:
      guard let first = e.hexDigitValue, first < 8 else { return "\\" + String(e) }
      var value = first
      var taken = 1
      while taken < 3, let c = current, let digit = c.hexDigitValue, digit < 8 {
        value = value * 8 + digit
        index += 1
        taken += 1
      }
      return Unicode.Scalar(value).map { String(Character($0)) }
    }
  }

  private mutating func hexScalar(digits: Int) -> String? {
    guard index + digits <= chars.count else { return nil }
    var value: UInt32 = 0
    for c in chars[index..<(index + digits)] {
      guard let digit = c.hexDigitValue else { return nil }
      value = value * 16 + UInt32(digit)
    }
    index += digits
    return Unicode.Scalar(value).map { String(Character($0)) }
  }

  /// An int (decimal, `0x`, `0o`, `0b`, with `_` separators) or a float.
  private mutating func parseNumber() -> InventoryValue? {
    let start = index
    guard let first = current else { return nil }
    let isHex = first == "0" && start + 1 < chars.count && "xX".contains(chars[start + 1])
    while let c = current {
      if c.isLetter || c.isNumber || c == "_" || c == "." {
        index += 1
      } else if c == "+" || c == "-", !isHex, index > start, "eE".contains(chars[index - 1]) {
        index += 1
      } else {
        break
      }
    }
    let text = Substring(String(chars[start..<index]))
    guard !text.isEmpty else { return nil }
    let lower = text.lowercased()
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
      var digits = text.dropFirst(2)
      if digits.first == "_" { digits = digits.dropFirst() }
      let valid = PythonLiteral.isDigitRun(digits) { c in
        c.hexDigitValue.map { $0 < radix } ?? false
      }
      guard valid else { return nil }
      return Int(digits.filter { $0 != "_" }, radix: radix).map { .int($0) }
    }
    if PythonLiteral.isDigitRun(text, digit: { $0.isASCII && $0.isNumber }) {
      let digits = text.filter { $0 != "_" }
      if digits.first == "0" && digits.contains(where: { $0 != "0" }) { return nil }
      return Int(digits).map { .int($0) }
    }
    return Self.float(text).map { .float($0) }
  }

  /// `1.5`, `1.`, `.5`, `1e3`, `2.5E-3` with `_` between digits.
  private static func float(_ text: Substring) -> Double? {
    let digit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
    var mantissa = text
    var exponent: Substring?
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = text[..<e]
      var rest = text[text.index(after: e)...]
      if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
      guard PythonLiteral.isDigitRun(rest, digit: digit) else { return nil }
      exponent = rest
    }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, parts.count == 2 || exponent != nil else { return nil }
    guard parts.contains(where: { !$0.isEmpty }) else { return nil }
    for part in parts where !part.isEmpty {
      guard PythonLiteral.isDigitRun(part, digit: digit) else { return nil }
    }
    return Double(text.filter { $0 != "_" })
  }
}
