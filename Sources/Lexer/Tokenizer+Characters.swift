/// The ASCII bytes the tokenizer looks for.
enum Byte {
  static let tab = UInt8(ascii: "\t")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")
  static let space = UInt8(ascii: " ")
  static let bang = UInt8(ascii: "!")
  static let quote = UInt8(ascii: "\"")
  static let hash = UInt8(ascii: "#")
  static let dollar = UInt8(ascii: "$")
  static let percent = UInt8(ascii: "%")
  static let ampersand = UInt8(ascii: "&")
  static let apostrophe = UInt8(ascii: "'")
  static let leftParen = UInt8(ascii: "(")
  static let rightParen = UInt8(ascii: ")")
  static let star = UInt8(ascii: "*")
  static let plus = UInt8(ascii: "+")
  static let comma = UInt8(ascii: ",")
  static let minus = UInt8(ascii: "-")
  static let dot = UInt8(ascii: ".")
  static let slash = UInt8(ascii: "/")
  static let zero = UInt8(ascii: "0")
  static let colon = UInt8(ascii: ":")
  static let semicolon = UInt8(ascii: ";")
  static let less = UInt8(ascii: "<")
  static let equal = UInt8(ascii: "=")
  static let greater = UInt8(ascii: ">")
  static let question = UInt8(ascii: "?")
  static let leftBracket = UInt8(ascii: "[")
  static let backslash = UInt8(ascii: "\\")
  static let rightBracket = UInt8(ascii: "]")
  static let underscore = UInt8(ascii: "_")
  static let backtick = UInt8(ascii: "`")
  static let leftBrace = UInt8(ascii: "{")
  static let pipe = UInt8(ascii: "|")
  static let rightBrace = UInt8(ascii: "}")
  /// What `Scanner.peek` returns past the end: 0xFF never occurs in UTF-8.
  static let end: UInt8 = 0xFF
}

extension UInt8 {
  /// `0`–`9`.
  var isDigit: Bool { self >= 0x30 && self <= 0x39 }

  /// An ASCII letter.
  var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }

  /// A letter or `_`.
  var isIdentifierStart: Bool { isLetter || self == Byte.underscore }

  /// A letter, digit or `_`.
  var isIdentifierContinue: Bool { isLetter || isDigit || self == Byte.underscore }

  /// A space or tab: what indentation is made of.
  var isIndentation: Bool { self == Byte.space || self == Byte.tab }
}

extension Scanner {
  /// The length of the UTF-8 sequence starting at `index` (1 for a byte that starts none).
  func scalarLength(at index: Int) -> Int {
    guard index < bytes.count else { return 0 }
    let lead = bytes[index]
    let expected: Int
    switch lead {
    case 0xC2...0xDF: expected = 2
    case 0xE0...0xEF: expected = 3
    case 0xF0...0xF4: expected = 4
    default: return 1
    }
    var length = 1
    while length < expected, index + length < bytes.count,
      bytes[index + length] & 0xC0 == 0x80
    {
      length += 1
    }
    return length
  }

  /// Reports the character at `pos`, which starts no token, and moves past it.
  mutating func scanStrayCharacter() {
    let start = pos
    let byte = bytes[pos]
    let length = max(1, scalarLength(at: pos))
    pos += length
    var hint: String?
    switch byte {
    case Byte.bang:
      hint = "use 'not' for negation"
    case Byte.ampersand, Byte.pipe:
      let word = byte == Byte.ampersand ? "and" : "or"
      if pos < bytes.count, bytes[pos] == byte {
        pos += 1
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        report("unexpected '\(text)'", start, pos, hint: "use '\(word)'")
        return
      }
      hint = "use '\(word)'"
    case Byte.apostrophe:
      hint = "strings use double quotes: \"…\""
    case Byte.dollar:
      hint = "'${…}' interpolates only inside strings and commands"
    default:
      break
    }
    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
    guard let scalar = text.unicodeScalars.first else { return }
    if hint == nil && byte >= 0x80 {
      hint = Scanner.hint(forNonASCII: scalar)
    }
    report("unexpected character \(Scanner.describe(scalar))", start, pos, hint: hint)
  }

  /// `'x'` for a visible character, `U+00A0` for a control, format or space character.
  static func describe(_ scalar: Unicode.Scalar) -> String {
    switch scalar.properties.generalCategory {
    case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
      .unassigned, .privateUse, .surrogate:
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    default:
      return "'\(scalar)'"
    }
  }

  /// A hint for a non-ASCII character outside strings and comments.
  static func hint(forNonASCII scalar: Unicode.Scalar) -> String? {
    switch scalar {
    case "\u{201C}", "\u{201D}", "\u{201E}", "\u{2018}", "\u{2019}":
      return "use a straight double quote '\"' for strings"
    default:
      break
    }
    if scalar.properties.isWhitespace || scalar.properties.generalCategory == .format {
      return "an invisible or non-ASCII space: replace it with a plain space"
    }
    if scalar.properties.isAlphabetic {
      return "names may use only ASCII letters, digits and '_'"
    }
    return nil
  }
}
