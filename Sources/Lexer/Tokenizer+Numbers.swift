/// Numbers: integers (decimal, `0x`, `0b`), floats and durations.
extension Scanner {
  /// Duration units, largest first, with their length in nanoseconds.
  static let durationUnits: [(name: String, nanoseconds: Int64)] = [
    ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
    ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
  ]

  /// Scans a literal starting with a digit.
  mutating func scanNumber() -> Token {
    let start = pos
    if bytes[pos] == Byte.zero {
      let marker = peek(1)
      if marker == UInt8(ascii: "x") { return scanRadixInteger(radix: 16, name: "hex") }
      if marker == UInt8(ascii: "b") { return scanRadixInteger(radix: 2, name: "binary") }
    }
    let (value, overflow) = scanDecimalDigits()
    let byte = peek()
    if byte == Byte.dot && peek(1).isDigit || startsExponent() {
      return scanFloat(from: start)
    }
    if byte.isLetter {
      return scanDuration(from: start, first: value, overflow: overflow)
    }
    if overflow { report("integer literal is too large", start, pos) }
    return Token(.int(overflow ? 0 : value), span(start, pos))
  }

  /// Scans `[0-9_]*` and returns its value.
  mutating func scanDecimalDigits() -> (value: Int, overflow: Bool) {
    var value = 0
    var overflow = false
    while pos < bytes.count {
      let byte = bytes[pos]
      if byte.isDigit {
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times.addingReportingOverflow(Int(byte - Byte.zero))
        overflow = overflow || o1 || o2
        value = sum
      } else if byte != Byte.underscore {
        break
      }
      pos += 1
    }
    return (value, overflow)
  }

  /// Whether `pos` is at an exponent: `e` or `E`, an optional sign, then a digit.
  func startsExponent() -> Bool {
    let byte = peek()
    guard byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") else { return false }
    let next = peek(1)
    if next.isDigit { return true }
    return (next == Byte.plus || next == Byte.minus) && peek(2).isDigit
  }

  /// Scans `0x…` or `0b…`: digits of the radix and `_`, up to the end of the alphanumeric run.
  mutating func scanRadixInteger(radix: Int, name: String) -> Token {
    let start = pos
    pos += 2
    var value = 0
    var digits = 0
    var overflow = false
    var invalid: Int?
    while pos < bytes.count, bytes[pos].isIdentifierContinue {
      let byte = bytes[pos]
      if byte != Byte.underscore {
        if let digit = Scanner.digitValue(byte), digit < radix {
          let (times, o1) = value.multipliedReportingOverflow(by: radix)
          let (sum, o2) = times.addingReportingOverflow(digit)
          overflow = overflow || o1 || o2
          value = sum
          digits += 1
        } else if invalid == nil {
          invalid = pos
        }
      }
      pos += 1
    }
    let prefix = String(decoding: bytes[start..<start + 2], as: UTF8.self)
    if let invalid {
      let digit = String(decoding: [bytes[invalid]], as: UTF8.self)
      report("invalid digit '\(digit)' in \(name) literal", invalid, pos)
    } else if digits == 0 {
      report("expected \(name) digits after '\(prefix)'", start, pos)
    } else if overflow {
      report("integer literal is too large", start, pos)
    }
    return Token(.int(invalid == nil && !overflow ? value : 0), span(start, pos))
  }

  /// The value of a hex digit, either case.
  static func digitValue(_ byte: UInt8) -> Int? {
    if byte.isDigit { return Int(byte - Byte.zero) }
    let lower = byte | 0x20
    if lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f") {
      return Int(lower - UInt8(ascii: "a")) + 10
    }
    return nil
  }

  /// Scans the fraction and exponent of a float whose integer digits are already consumed.
  mutating func scanFloat(from start: Int) -> Token {
    if peek() == Byte.dot {
      pos += 1
      _ = scanDecimalDigits()
    }
    if startsExponent() {
      pos += peek(1).isDigit ? 1 : 2
      _ = scanDecimalDigits()
    }
    let end = pos
    let text = String(decoding: bytes[start..<end].filter { $0 != Byte.underscore }, as: UTF8.self)
    let value = Double(text) ?? 0
    if pos < bytes.count, bytes[pos].isIdentifierStart {
      let suffixStart = pos
      while pos < bytes.count, bytes[pos].isIdentifierContinue { pos += 1 }
      let suffix = String(decoding: bytes[suffixStart..<pos], as: UTF8.self)
      let unit = String(suffix.prefix { $0.isLetter })
      let isUnit = Scanner.durationUnits.contains { $0.name == unit }
      report(
        "invalid suffix '\(suffix)' on float literal", suffixStart, pos,
        hint: isUnit ? "durations are whole numbers of units: write 1s500ms, not 1.5s" : nil)
    } else if !value.isFinite {
      report("float literal is too large", start, end)
    }
    return Token(.float(value.isFinite ? value : 0), span(start, pos))
  }

  /// Scans a duration whose first number (`first`) is already consumed; `pos` is at a letter.
  ///
  /// Units must decrease (`1h30m`, not `30m1h`); each number needs a unit. After an error the
  /// rest of the alphanumeric run is consumed so that it does not start new tokens.
  mutating func scanDuration(from start: Int, first: Int, overflow firstOverflow: Bool) -> Token {
    var total: Int64 = 0
    var overflow = firstOverflow
    var amount = first
    var previous: (rank: Int, name: String)?
    var failed = false
    while true {
      let unitStart = pos
      while pos < bytes.count, bytes[pos].isIdentifierStart { pos += 1 }
      let name = String(decoding: bytes[unitStart..<pos], as: UTF8.self)
      guard let rank = Scanner.durationUnits.firstIndex(where: { $0.name == name }) else {
        report(
          "invalid duration unit '\(name)'", unitStart, pos,
          hint: "duration units are d, h, m, s, ms, us and ns")
        failed = true
        break
      }
      if let previous, rank <= previous.rank {
        report(
          "duration units out of order: '\(name)' after '\(previous.name)'", unitStart, pos,
          hint: "write units from largest to smallest, each once, as in 1h30m")
        failed = true
        break
      }
      previous = (rank, name)
      let (part, o1) = Int64(amount).multipliedReportingOverflow(
        by: Scanner.durationUnits[rank].nanoseconds)
      let (sum, o2) = total.addingReportingOverflow(part)
      overflow = overflow || o1 || o2
      total = sum
      guard pos < bytes.count, bytes[pos].isDigit else { break }
      let numberStart = pos
      let (next, nextOverflow) = scanDecimalDigits()
      overflow = overflow || nextOverflow
      amount = next
      if !(pos < bytes.count && bytes[pos].isLetter) {
        let number = String(decoding: bytes[numberStart..<pos], as: UTF8.self)
        report(
          "missing duration unit after '\(number)'", numberStart, pos,
          hint: "every number in a duration needs a unit, as in 1h30m")
        failed = true
        break
      }
    }
    if failed {
      while pos < bytes.count, bytes[pos].isIdentifierContinue { pos += 1 }
    } else if overflow {
      report("duration literal is too large", start, pos)
    }
    return Token(.duration(failed || overflow ? 0 : total), span(start, pos))
  }
}
