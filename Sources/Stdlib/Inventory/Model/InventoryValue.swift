import Foundation
import OrderedCollections

/// A variable's value as an inventory file gives it: the data Ansible's readers produce (null,
/// bool, int, float, text, lists and mappings). The session layer turns it into a language
/// value; the inventory readers need no language.
public enum InventoryValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list([InventoryValue])
  case map(OrderedDictionary<String, InventoryValue>)

  /// For messages: `"text"`, `42`, `1.5`, `[1, 2]`, `{"a": 1}`, `null`.
  public var repr: String {
    switch self {
    case .null: "null"
    case .bool(let b): b ? "true" : "false"
    case .int(let i): String(i)
    case .float(let f): Self.floatText(f)
    case .string(let s): Self.quoted(s)
    case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .map(let entries):
      "{" + entries.map { "\(Self.quoted($0.key)): \($0.value.repr)" }.joined(separator: ", ")
        + "}"
    }
  }

  /// `1.0`, `0.5`, `1e+20`, `nan`, `inf`: always recognisably a float.
  public static func floatText(_ f: Double) -> String {
    if f.isNaN { return "nan" }
    if f.isInfinite { return f < 0 ? "-inf" : "inf" }
    if f == f.rounded(), abs(f) < 1e16 { return String(format: "%.1f", f) }
    return "\(f)"
  }

  /// Text in double quotes, with `"`, `\` and control characters escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"", "\\": out += "\\" + String(scalar)
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 {
          out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
