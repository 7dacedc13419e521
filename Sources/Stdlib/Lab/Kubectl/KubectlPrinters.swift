import Foundation
import Yams

/// `kubectl get -o yaml|json`: one object as itself, several as a `List` (kubectl's form), keys
/// sorted as kubectl prints unstructured objects; YAML with multi-line strings as `|` blocks,
/// JSON indented by four spaces.
enum KubectlPrinters {
  /// The text for `objects`; `single` when one object was asked for by name.
  static func render(_ objects: [JSONValue], format: String, single: Bool) -> String {
    let value: JSONValue =
      single && objects.count == 1
      ? objects[0]
      : .object([
        "apiVersion": .string("v1"), "kind": .string("List"), "items": .array(objects),
        "metadata": .object(["resourceVersion": .string("")]),
      ])
    if format == "json" { return json(value, indent: "") + "\n" }
    return (try? Yams.serialize(node: node(value), indent: 2, sortKeys: true)) ?? ""
  }

  /// Go's `json.MarshalIndent(v, "", "    ")` layout.
  static func json(_ value: JSONValue, indent: String) -> String {
    let inner = indent + "    "
    switch value {
    case .object(let members):
      guard !members.isEmpty else { return "{}" }
      let lines = members.keys.sorted().map {
        inner + JSONValue.string($0).text + ": " + json(members[$0]!, indent: inner)
      }
      return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let elements):
      guard !elements.isEmpty else { return "[]" }
      return "[\n" + elements.map { inner + json($0, indent: inner) }.joined(separator: ",\n")
        + "\n" + indent + "]"
    default:
      return value.text
    }
  }

  /// A Yams node for `value`; strings that YAML would read as another type (numbers, booleans,
  /// null, timestamps) are double-quoted, as go-yaml quotes them.
  static func node(_ value: JSONValue) -> Node {
    switch value {
    case .null: return Node("null", Tag(.null))
    case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
    case .number: return Node(value.text, Tag(.int))
    case .string(let text):
      if text.contains("\n") { return Node(text, Tag(.str), .literal) }
      let plain = Node(text)
      let parsed = Constructor.default.any(from: plain)
      let needsQuotes =
        text.isEmpty || parsed is Bool || parsed is Int || parsed is Double || parsed is NSNull
        || parsed is Date
      return Node(text, Tag(.str), needsQuotes ? .doubleQuoted : .any)
    case .array(let elements): return Node(elements.map(node))
    case .object(let members):
      return Node(members.keys.sorted().map { (Node($0), node(members[$0]!)) })
    }
  }
}
