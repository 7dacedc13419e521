import Foundation
import Interpreter
import OrderedCollections
import Yams

/// Reads a `--params` file by the YAML 1.2 core schema, the one YAML users expect today:
/// `yes`, `no`, `on` and `off` are strings, a quoted scalar is a string whatever it looks like,
/// `1.10` is a float whose text (`1.10`) a `string` param keeps, `010` is ten. (Yams' default
/// resolver follows YAML 1.1, where `yes` is true and `1.10` loses its zero.)
public enum ParamsYAML {
  /// Why a params file cannot be used.
  public struct Failure: Error, Sendable {
    /// What is wrong, without the file name.
    public var message: String
  }

  /// The most values one document may expand to (aliases can multiply a small text).
  static let valueLimit = 1_000_000

  /// The params in `text`, a YAML mapping of names to values; an empty document gives none.
  public static func decode(_ text: String) throws(Failure) -> [String: ParamInput] {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text, coreSchema)
    } catch {
      throw Failure(message: "not valid YAML: \(firstLine(of: error))")
    }
    guard let node else { return [:] }
    if case .scalar = node, node.tag.rawValue == Tag.Name.null.rawValue { return [:] }
    guard case .mapping(let mapping) = node else {
      throw Failure(message: "it must be a mapping of param names to values")
    }
    var params: [String: ParamInput] = [:]
    var budget = valueLimit
    for (key, item) in mapping {
      guard case .scalar(let name) = key else {
        throw Failure(message: "param names must be plain text, not lists or maps")
      }
      let value = try value(of: item, budget: &budget)
      var written: String?
      if case .scalar(let scalar) = item { written = scalar.string }
      params[name.string] = .yaml(value, text: written)
    }
    return params
  }

  /// The YAML 1.2 core schema's tag resolution (§10.3.2).
  static let coreSchema: Resolver = {
    let rules: [(Tag.Name, String)] = [
      (.null, "^(?:~|null|Null|NULL|)$"),
      (.bool, "^(?:true|True|TRUE|false|False|FALSE)$"),
      (.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
      (
        .float,
        "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
      ),
    ]
    var resolver = Resolver.basic
    for (tag, pattern) in rules {
      if let rule = try? Resolver.Rule(tag, pattern) { resolver = resolver.appending(rule) }
    }
    return resolver
  }()

  static func value(of node: Node, budget: inout Int) throws(Failure) -> Value {
    budget -= 1
    if budget < 0 {
      throw Failure(message: "the document expands to more than \(valueLimit) values")
    }
    switch node {
    case .scalar(let scalar):
      return scalarValue(scalar.string, tag: node.tag.rawValue)
    case .sequence(let sequence):
      var items: [Value] = []
      for item in sequence { items.append(try value(of: item, budget: &budget)) }
      return .list(items)
    case .mapping(let mapping):
      var entries = OrderedDictionary<String, Value>()
      for (key, item) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw Failure(message: "mapping keys must be scalars, not lists or maps")
        }
        entries[keyScalar.string] = try value(of: item, budget: &budget)
      }
      return .map(entries)
    case .alias:
      throw Failure(message: "not valid YAML: an alias that names no anchor")
    }
  }

  /// A scalar as the core schema types it; a number too large for its type stays text.
  static func scalarValue(_ text: String, tag: String) -> Value {
    switch tag {
    case Tag.Name.null.rawValue: return .nil
    case Tag.Name.bool.rawValue: return .bool(text.lowercased() == "true")
    case Tag.Name.int.rawValue:
      let parsed: Int?
      if text.hasPrefix("0o") {
        parsed = Int(text.dropFirst(2), radix: 8)
      } else if text.hasPrefix("0x") {
        parsed = Int(text.dropFirst(2), radix: 16)
      } else {
        parsed = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
      }
      return parsed.map(Value.int) ?? .string(text)
    case Tag.Name.float.rawValue:
      switch text.lowercased() {
      case ".inf", "+.inf": return .float(.infinity)
      case "-.inf": return .float(-.infinity)
      case ".nan": return .float(.nan)
      default: return Double(text).map(Value.float) ?? .string(text)
      }
    default:
      return .string(text)
    }
  }

  private static func firstLine(of error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
  }
}
