/// Go's way of printing values, where kubeadm's messages embed them: `%q` strings, `%v`
/// string slices, `time.Duration`, and the `encoding/hex` errors.
enum GoQuote {
  /// `strconv.Quote`: double quotes, with `"`, `\` and control characters escaped.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{07}": out += "\\a"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{0B}": out += "\\v"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\x" + hex2(scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// `%v` of a `[]string`: `[a b c]`.
  static func list(_ items: [String]) -> String {
    "[" + items.joined(separator: " ") + "]"
  }

  /// `%#U` of a rune, as `encoding/hex` prints an invalid byte: `U+0067 'g'`.
  static func rune(_ scalar: Unicode.Scalar) -> String {
    var digits = String(scalar.value, radix: 16, uppercase: true)
    while digits.count < 4 { digits = "0" + digits }
    let printable = scalar.value >= 0x20 && scalar.value != 0x7F
    return "U+" + digits + (printable ? " '" + String(Character(scalar)) + "'" : "")
  }

  private static func hex2(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }
}

/// Go's `encoding/hex`, with its error texts (kubeadm wraps them in its own messages).
enum GoHex {
  /// Lowercase hex of `bytes`.
  static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef")
    var out = ""
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return out
  }

  /// `hex.DecodeString`: upper- and lowercase digits; the first bad byte is reported before an
  /// odd length, as Go does.
  static func decode(_ text: String) -> Result<[UInt8], GoHexError> {
    let scalars = Array(text.unicodeScalars)
    var out: [UInt8] = []
    out.reserveCapacity(scalars.count / 2)
    var index = 1
    while index < scalars.count {
      guard let high = value(scalars[index - 1]) else {
        return .failure(.invalid(scalars[index - 1]))
      }
      guard let low = value(scalars[index]) else { return .failure(.invalid(scalars[index])) }
      out.append(high << 4 | low)
      index += 2
    }
    if scalars.count % 2 == 1 {
      let last = scalars[scalars.count - 1]
      return .failure(value(last) == nil ? .invalid(last) : .oddLength)
    }
    return .success(out)
  }

  private static func value(_ scalar: Unicode.Scalar) -> UInt8? {
    switch scalar.value {
    case 0x30...0x39: return UInt8(scalar.value - 0x30)
    case 0x61...0x66: return UInt8(scalar.value - 0x61 + 10)
    case 0x41...0x46: return UInt8(scalar.value - 0x41 + 10)
    default: return nil
    }
  }
}

/// An `encoding/hex` decoding error, printed as Go prints it.
enum GoHexError: Error, Equatable, CustomStringConvertible {
  /// A character that is not a hex digit.
  case invalid(Unicode.Scalar)
  /// An odd number of digits.
  case oddLength

  var description: String {
    switch self {
    case .invalid(let scalar): "encoding/hex: invalid byte: " + GoQuote.rune(scalar)
    case .oddLength: "encoding/hex: odd length hex string"
    }
  }
}
