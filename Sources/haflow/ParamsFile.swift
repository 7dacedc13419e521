import Foundation
import Interpreter
import OrderedCollections
import Stdlib
import Yams

/// Reads `--params FILE.yaml`: a YAML mapping from param names to values. Scalars keep their
/// YAML types (ints, floats, bools, null); sequences become lists and mappings maps, in order.
///
/// The stdlib's YAML codec is internal to `Stdlib`, so the CLI converts with Yams itself.
enum ParamsFile {
  /// Why a params file could not be used.
  struct Failure: Error {
    /// The message, naming the file.
    let message: String
  }

  /// The params in the file at `path`; an empty file gives none.
  static func load(path: String) throws(Failure) -> [String: ParamInput] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Failure(message: "cannot read params file '\(path)': no such file or not readable")
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
    } catch {
      let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? ""
      throw Failure(message: "params file '\(path)' is not valid YAML: \(first)")
    }
    guard let node else { return [:] }
    guard case .mapping(let mapping) = node else {
      throw Failure(message: "params file '\(path)' must be a mapping of param names to values")
    }
    var params: [String: ParamInput] = [:]
    for (key, item) in mapping {
      guard case .scalar(let name) = key else {
        throw Failure(message: "params file '\(path)': keys must be param names")
      }
      params[name.string] = .value(try value(of: item, path: path))
    }
    return params
  }

  /// The value of a YAML node.
  static func value(of node: Node, path: String) throws(Failure) -> Value {
    switch node {
    case .scalar(let scalar):
      switch node.tag.rawValue {
      case Tag.Name.null.rawValue: return .nil
      case Tag.Name.bool.rawValue: return node.bool.map { .bool($0) } ?? .string(scalar.string)
      case Tag.Name.int.rawValue: return node.int.map { .int($0) } ?? .string(scalar.string)
      case Tag.Name.float.rawValue: return node.float.map { .float($0) } ?? .string(scalar.string)
      default: return .string(scalar.string)
      }
    case .sequence(let sequence):
      var items: [Value] = []
      for item in sequence { items.append(try value(of: item, path: path)) }
      return .list(items)
    case .mapping(let mapping):
      var entries = OrderedDictionary<String, Value>()
      for (key, item) in mapping {
        guard case .scalar(let keyScalar) = key else {
          throw Failure(message: "params file '\(path)': map keys must be scalars")
        }
        entries[keyScalar.string] = try value(of: item, path: path)
      }
      return .map(entries)
    case .alias:
      throw Failure(message: "params file '\(path)': unresolved YAML alias")
    }
  }
}
