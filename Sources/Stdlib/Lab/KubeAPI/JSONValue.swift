import Foundation
import Yams

/// A JSON document as the API server stores and serves Kubernetes objects: any shape, so that
/// applied objects of kinds the stand-ins do not model survive a round trip unchanged.
/// Objects are written with their keys sorted (Kubernetes writes struct order; clients do not
/// depend on it).
public enum JSONValue: Sendable, Hashable, Codable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  /// Reads any JSON value.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  /// Writes it; whole numbers as integers.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value):
      if value.rounded() == value, abs(value) < 9e15 {
        try container.encode(Int64(value))
      } else {
        try container.encode(value)
      }
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// Parses JSON bytes; nil when they are not JSON.
  public static func parse(_ bytes: some Collection<UInt8>) -> JSONValue? {
    try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
  }

  /// The compact JSON text, keys sorted.
  public var bytes: [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(self)) ?? Data("null".utf8))
  }

  /// The compact JSON text as a string.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// An object's member, or nil; setting on a non-object makes it an object.
  public subscript(key: String) -> JSONValue? {
    get {
      if case .object(let members) = self { return members[key] }
      return nil
    }
    set {
      var members: [String: JSONValue] = [:]
      if case .object(let existing) = self { members = existing }
      members[key] = newValue
      self = .object(members)
    }
  }

  /// The value at a path of object keys (`["metadata", "name"]`).
  public subscript(path path: [String]) -> JSONValue? {
    var value: JSONValue? = self
    for key in path { value = value?[key] }
    return value
  }

  /// The string, if it is one.
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The members, if it is an object.
  public var object: [String: JSONValue]? {
    if case .object(let value) = self { return value }
    return nil
  }

  /// The elements, if it is an array.
  public var array: [JSONValue]? {
    if case .array(let value) = self { return value }
    return nil
  }

  /// The number as an integer, if it is a whole number.
  public var int: Int? {
    if case .number(let value) = self, value.rounded() == value, abs(value) < 9e15 {
      return Int(value)
    }
    return nil
  }

  /// A YAML document as JSON (kubectl's view of a manifest): mappings become objects with
  /// string keys, scalars keep YAML 1.1's types as Kubernetes' YAML reader gives them.
  public init(yaml node: Yams.Node) {
    switch node {
    case .scalar(let scalar):
      switch Constructor.default.any(from: node) {
      case is NSNull: self = .null
      case let value as Bool: self = .bool(value)
      case let value as Int: self = .number(Double(value))
      case let value as Double: self = .number(value)
      default: self = .string(scalar.string)
      }
    case .mapping(let mapping):
      var members: [String: JSONValue] = [:]
      for (key, value) in mapping {
        members[key.string ?? ""] = JSONValue(yaml: value)
      }
      self = .object(members)
    case .sequence(let sequence):
      self = .array(sequence.map { JSONValue(yaml: $0) })
    case .alias:
      self = .null
    }
  }
}
