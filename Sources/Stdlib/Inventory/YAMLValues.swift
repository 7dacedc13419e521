import OrderedCollections
import Yams

/// A YAML variable's value as Ansible's YAML inventory reads it: mappings keep their order;
/// ints, floats, bools and null keep their types; other tagged scalars (timestamps, binary)
/// stay text.
enum YAMLValues {
  /// The most entries, groups and values a YAML inventory may expand to (aliases and merge
  /// keys can multiply a small text): as many as an inventory may hold.
  static let valueLimit = InventoryBuilder.sizeLimit

  /// Why a node cannot be a value.
  struct Failure: Error {
    var message: String
  }

  /// The first line of a Yams error, without its "file:line:col:" noise when possible.
  static func describe(_ error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  /// The value of `node`, spending one unit of `budget` per value.
  static func value(of node: Node, budget: inout Int) throws(Failure) -> InventoryValue {
    budget -= 1
    guard budget >= 0 else {
      throw Failure(message: "YAML document expands to more than \(valueLimit) values")
    }
    switch node {
    case .scalar(let scalar):
      let text = scalar.string
      switch node.tag.rawValue {
      case Tag.Name.null.rawValue: return .null
      case Tag.Name.bool.rawValue: return node.bool.map(InventoryValue.bool) ?? .string(text)
      case Tag.Name.int.rawValue:
        return node.int.map(InventoryValue.int) ?? node.float.map(InventoryValue.float)
          ?? .string(text)
      case Tag.Name.float.rawValue: return node.float.map(InventoryValue.float) ?? .string(text)
      default: return .string(text)
      }
    case .sequence(let sequence):
      return .list(
        try sequence.map { (item) throws(Failure) in try value(of: item, budget: &budget) })
    case .mapping(let mapping):
      var entries = OrderedDictionary<String, InventoryValue>()
      for (key, item) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw Failure(message: "YAML mapping keys must be scalars, not lists or maps")
        }
        entries[keyScalar.string] = try value(of: item, budget: &budget)
      }
      return .map(entries)
    case .alias:
      throw Failure(message: "invalid YAML: unresolved alias")
    }
  }
}
