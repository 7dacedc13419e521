import Foundation
import OrderedCollections

extension Value {
  /// The text `print` and `str()` show: strings bare, other values as literals, secrets
  /// redacted.
  public var display: String {
    switch self {
    case .string(let s): s
    case .result(let r): r.stdout
    default: repr
    }
  }

  /// The literal form shown by the REPL and inside lists: strings quoted, secrets redacted.
  public var repr: String {
    switch self {
    case .nil: return "nil"
    case .bool(let b): return b ? "true" : "false"
    case .int(let i): return String(i)
    case .float(let f): return Value.formatFloat(f)
    case .string(let s): return Value.quoted(s)
    case .duration(let d): return Value.formatDuration(d)
    case .list(let items): return "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .map(let entries):
      if entries.isEmpty { return "{}" }
      return "{"
        + entries.map { "\(Value.quoted($0.key)): \($0.value.repr)" }
        .joined(separator: ", ") + "}"
    case .function(let f): return "<fn \(f.name)>"
    case .command(let c): return "`" + c.displayText + "`"
    case .secret(let s): return s.redacted
    case .host(let h): return "<host \(h.name)>"
    case .result(let r): return "<result \(r.host) exit \(r.exitStatus)>"
    case .module(let m): return "<module \(m.name)>"
    }
  }

  /// A string in double quotes with escapes.
  public static func quoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "$": out += "\\$"
      default:
        if scalar.value < 0x20 {
          out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// `1.0`, `0.5`, `1e+20`: always recognisably a float.
  public static func formatFloat(_ f: Double) -> String {
    if f.isNaN { return "nan" }
    if f.isInfinite { return f < 0 ? "-inf" : "inf" }
    if f == f.rounded(), abs(f) < 1e16 { return String(format: "%.1f", f) }
    return "\(f)"
  }

  /// `1h30m`, `500ms`, `0s`: the largest units first.
  public static func formatDuration(_ nanoseconds: Int64) -> String {
    if nanoseconds == 0 { return "0s" }
    var rest = nanoseconds.magnitude
    var out = nanoseconds < 0 ? "-" : ""
    let units: [(String, UInt64)] = [
      ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
      ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]
    for (name, size) in units where rest >= size {
      out += "\(rest / size)\(name)"
      rest %= size
    }
    return out
  }
}

extension Value: Equatable {
  /// Structural equality; an int equals a float of the same value; functions by identity;
  /// secrets equal secrets with the same value.
  public static func == (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.nil, .nil): true
    case (.bool(let a), .bool(let b)): a == b
    case (.int(let a), .int(let b)): a == b
    case (.float(let a), .float(let b)): a == b
    case (.int(let a), .float(let b)): Double(a) == b
    case (.float(let a), .int(let b)): a == Double(b)
    case (.string(let a), .string(let b)): a == b
    case (.duration(let a), .duration(let b)): a == b
    case (.list(let a), .list(let b)): a == b
    case (.map(let a), .map(let b)): a == b
    case (.function(let a), .function(let b)): a === b
    case (.command(let a), .command(let b)): a == b
    case (.secret(let a), .secret(let b)): a.value == b.value
    case (.host(let a), .host(let b)): a == b
    case (.result(let a), .result(let b)): a == b
    case (.module(let a), .module(let b)): a.name == b.name
    default: false
    }
  }
}
