import Interpreter
import OrderedCollections
import Yams

/// Converts between YAML text and values with Yams: mappings keep their order; ints, floats,
/// bools and null become values of those types; other tagged scalars (timestamps, binary)
/// stay text.
public enum YAMLCodec {
  /// The most values one document may expand to (aliases can multiply a small text).
  static let valueLimit = 1_000_000

  /// Decodes the first (only) document; an empty text is nil.
  public static func decode(_ text: String) throws -> Value {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw RuntimeError("invalid YAML: \(describe(error))")
    }
    guard let node else { return .nil }
    var budget = valueLimit
    return try value(of: node, budget: &budget)
  }

  /// Decodes every document of a stream.
  static func decodeAll(_ text: String) throws -> [Value] {
    var documents = try Yams.compose_all(yaml: text)
    var out: [Value] = []
    var budget = valueLimit
    while let node = documents.next() {
      out.append(try value(of: node, budget: &budget))
    }
    if let error = documents.error { throw RuntimeError("invalid YAML: \(describe(error))") }
    return out
  }

  /// The first line of a Yams error, without its "file:line:col:" noise when possible.
  static func describe(_ error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  static func value(of node: Node, budget: inout Int) throws -> Value {
    budget -= 1
    if budget < 0 {
      throw RuntimeError("YAML document expands to more than \(valueLimit) values")
    }
    switch node {
    case .scalar(let scalar):
      switch node.tag.rawValue {
      case Tag.Name.null.rawValue: return .nil
      case Tag.Name.bool.rawValue: return node.bool.map { .bool($0) } ?? .string(scalar.string)
      case Tag.Name.int.rawValue:
        if let i = node.int { return .int(i) }
        return node.float.map { .float($0) } ?? .string(scalar.string)
      case Tag.Name.float.rawValue: return node.float.map { .float($0) } ?? .string(scalar.string)
      default: return .string(scalar.string)
      }
    case .sequence(let sequence):
      var items: [Value] = []
      for item in sequence { items.append(try value(of: item, budget: &budget)) }
      return .list(items)
    case .mapping(let mapping):
      var entries = OrderedDictionary<String, Value>()
      for (key, item) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw RuntimeError("YAML mapping keys must be scalars, not lists or maps")
        }
        entries[keyScalar.string] = try value(of: item, budget: &budget)
      }
      return .map(entries)
    case .alias:
      throw RuntimeError("invalid YAML: unresolved alias")
    }
  }

  /// Encodes a value as a YAML document; a secret inside makes the result a secret.
  static func encode(_ value: Value) throws -> Value {
    var hasSecret = false
    let node = try node(for: value, depth: 0, hasSecret: &hasSecret)
    let text: String
    do {
      text = try Yams.serialize(node: node, width: -1, allowUnicode: true)
    } catch {
      throw RuntimeError("cannot encode as YAML: \(describe(error))")
    }
    return hasSecret ? .secret(Secret(text)) : .string(text)
  }

  static func node(for value: Value, depth: Int, hasSecret: inout Bool) throws -> Node {
    if depth > JSONWriter.depthLimit {
      throw RuntimeError("cannot encode values nested deeper than \(JSONWriter.depthLimit) levels")
    }
    switch value {
    case .nil: return Node("null", Tag(.null))
    case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
    case .int(let i): return Node(String(i), Tag(.int))
    case .float(let f):
      if f.isNaN { return Node(".nan", Tag(.float)) }
      if f.isInfinite { return Node(f < 0 ? "-.inf" : ".inf", Tag(.float)) }
      return Node(Value.formatFloat(f), Tag(.float))
    case .string(let s): return stringNode(s)
    case .duration(let d): return stringNode(Value.formatDuration(d))
    case .host(let h): return stringNode(h.name)
    case .secret(let s):
      hasSecret = true
      return stringNode(s.value)
    case .list(let items):
      return Node(try items.map { try node(for: $0, depth: depth + 1, hasSecret: &hasSecret) })
    case .map(let entries):
      return Node(
        try entries.map { entry in
          (
            stringNode(entry.key),
            try node(for: entry.value, depth: depth + 1, hasSecret: &hasSecret)
          )
        })
    case .function, .command, .result, .module:
      throw RuntimeError("cannot encode a value of type \(value.typeName) as YAML")
    }
  }

  /// A string scalar: quoted when it would read back as another type, a literal block when
  /// it spans lines.
  static func stringNode(_ s: String) -> Node {
    let scalars = s.unicodeScalars
    if scalars.contains("\n"), scalars.first != " ",
      !scalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
    {
      return Node(s, Tag(.str), .literal)
    }
    return .scalar(s.represented())
  }
}
