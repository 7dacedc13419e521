import Interpreter
import OrderedCollections

/// A strict JSON parser (RFC 8259) that keeps object keys in order. Integers that fit in 64 bits
/// become ints, other numbers floats. Public for the run journal, which reads its values back.
public struct JSONParser {
  /// A parse error with its position.
  public struct Failure: Error {
    /// What is wrong, and where.
    public var message: String
  }

  /// The deepest nesting accepted.
  static let depthLimit = 512

  private let bytes: [UInt8]
  private var position = 0
  private var depth = 0

  /// Parses a whole document.
  public static func parse(_ text: String) throws(Failure) -> Value {
    var parser = JSONParser(bytes: Array(text.utf8))
    parser.skipWhitespace()
    let value = try parser.parseValue()
    parser.skipWhitespace()
    if parser.position < parser.bytes.count {
      throw parser.failure("unexpected text after the value")
    }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  private func failure(_ message: String) -> Failure {
    var line = 1
    var column = 1
    for byte in bytes.prefix(position) {
      if byte == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
    }
    return Failure(message: "invalid JSON at line \(line), column \(column): \(message)")
  }

  private func describeCurrent() -> String {
    guard let byte = current else { return "the end of the text" }
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x\(String(byte, radix: 16))"
  }

  private mutating func skipWhitespace() {
    while let byte = current,
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t")
        || byte == UInt8(ascii: "\r")
    {
      position += 1
    }
  }

  private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
    guard current == byte else { throw failure("expected \(what), found \(describeCurrent())") }
    position += 1
  }

  private mutating func parseValue() throws(Failure) -> Value {
    switch current {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try parseWord("true", .bool(true))
    case UInt8(ascii: "f"): return try parseWord("false", .bool(false))
    case UInt8(ascii: "n"): return try parseWord("null", .nil)
    case let byte? where byte == UInt8(ascii: "-") || isDigit(byte): return try parseNumber()
    default: throw failure("expected a value, found \(describeCurrent())")
    }
  }

  private mutating func parseWord(_ word: String, _ value: Value) throws(Failure) -> Value {
    let expected = Array(word.utf8)
    guard bytes.count - position >= expected.count,
      Array(bytes[position..<position + expected.count]) == expected
    else { throw failure("expected a value, found \(describeCurrent())") }
    position += expected.count
    return value
  }

  private mutating func enter() throws(Failure) {
    depth += 1
    if depth > JSONParser.depthLimit {
      throw failure("nested deeper than \(JSONParser.depthLimit) levels")
    }
  }

  private mutating func parseObject() throws(Failure) -> Value {
    try enter()
    position += 1
    var entries = OrderedDictionary<String, Value>()
    skipWhitespace()
    if current == UInt8(ascii: "}") {
      position += 1
      depth -= 1
      return .map(entries)
    }
    while true {
      skipWhitespace()
      guard current == UInt8(ascii: "\"") else {
        throw failure("expected a key in double quotes, found \(describeCurrent())")
      }
      let key = try parseString()
      skipWhitespace()
      try expect(UInt8(ascii: ":"), "':'")
      skipWhitespace()
      entries[key] = try parseValue()
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "',' or '}'")
      depth -= 1
      return .map(entries)
    }
  }

  private mutating func parseArray() throws(Failure) -> Value {
    try enter()
    position += 1
    var items: [Value] = []
    skipWhitespace()
    if current == UInt8(ascii: "]") {
      position += 1
      depth -= 1
      return .list(items)
    }
    while true {
      skipWhitespace()
      items.append(try parseValue())
      skipWhitespace()
      if current == UInt8(ascii: ",") {
        position += 1
        continue
      }
      try expect(UInt8(ascii: "]"), "',' or ']'")
      depth -= 1
      return .list(items)
    }
  }

  private mutating func parseString() throws(Failure) -> String {
    position += 1
    var out: [UInt8] = []
    while true {
      guard let byte = current else { throw failure("unterminated string") }
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        position += 1
        try parseEscape(into: &out)
      case 0..<0x20:
        throw failure("control character in string (escape it as \\n, \\t or \\u00XX)")
      default:
        out.append(byte)
        position += 1
      }
    }
  }

  private mutating func parseEscape(into out: inout [UInt8]) throws(Failure) {
    guard let byte = current else { throw failure("unterminated string") }
    position += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "r"): out.append(0x0D)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHex4()
      if (0xD800..<0xDC00).contains(scalar) {
        guard current == UInt8(ascii: "\\"), position + 1 < bytes.count,
          bytes[position + 1] == UInt8(ascii: "u")
        else { throw failure("unpaired surrogate in \\u escape") }
        position += 2
        let low = try parseHex4()
        guard (0xDC00..<0xE000).contains(low) else {
          throw failure("unpaired surrogate in \\u escape")
        }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00..<0xE000).contains(scalar) {
        throw failure("unpaired surrogate in \\u escape")
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw failure("invalid \\u escape") }
      out.append(contentsOf: Array(String(Character(unicode)).utf8))
    default:
      position -= 2
      throw failure("invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
    }
  }

  private mutating func parseHex4() throws(Failure) -> UInt32 {
    let digits = bytes.count - position >= 4 ? bytes[position..<position + 4] : []
    guard digits.count == 4, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
      let value = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
    else { throw failure("expected four hex digits after \\u") }
    position += 4
    return value
  }

  private mutating func parseNumber() throws(Failure) -> Value {
    let start = position
    var isInteger = true
    if current == UInt8(ascii: "-") { position += 1 }
    guard let first = current, isDigit(first) else { throw failure("expected a digit") }
    position += 1
    if first != UInt8(ascii: "0") { skipDigits() }
    if current == UInt8(ascii: ".") {
      isInteger = false
      position += 1
      guard let byte = current, isDigit(byte) else { throw failure("expected a digit after '.'") }
      skipDigits()
    }
    if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
      isInteger = false
      position += 1
      if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
      guard let byte = current, isDigit(byte) else { throw failure("expected a digit in exponent") }
      skipDigits()
    }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    if isInteger, let i = Int(text) { return .int(i) }
    guard let f = Double(text) else { throw failure("invalid number \(text)") }
    return .float(f)
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipDigits() {
    while let byte = current, isDigit(byte) { position += 1 }
  }
}
