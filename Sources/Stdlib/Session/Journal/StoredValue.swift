import Interpreter
import OrderedCollections
import Stdlib

/// How a step's value is kept in the run journal: as JSON, so `--resume` can give it back.
///
/// nil, bools, ints, strings, lists and maps are written as plain JSON; the rest as an object
/// with one `$`-key: `{"$float": 1.5}` (or `"nan"`, `"inf"`, `"-inf"`), `{"$duration": ns}`,
/// `{"$host": "name"}` (read back from the inventory of the resumed run), `{"$result": {…}}`,
/// and a map with a key that starts with `$` as `{"$map": [[key, value], …]}`.
///
/// Some values cannot be stored, and the step that returned one is run again on resume:
/// a secret, or any text that contains one of the run's secrets (secrets are never written to
/// disk); a function, a command value, a module.
public enum StoredValue {
  /// Why a value was not stored.
  public enum LeftOut: String, Error, Sendable, Equatable {
    /// It held a secret.
    case secret
    /// It held a function, a command or a module.
    case unstorable
  }

  /// The value as one line of JSON, or why it is left out. `isSecret` says whether a text
  /// contains one of the run's secrets.
  public static func encode(
    _ value: Value, isSecret: (String) -> Bool = { _ in false }
  ) -> Result<String, LeftOut> {
    do {
      let tree = try plain(value, isSecret: isSecret, depth: 0)
      guard case .string(let text) = try JSONWriter.encode(tree, indent: nil) else {
        return .failure(.secret)
      }
      return .success(text)
    } catch let reason as LeftOutError {
      return .failure(reason.reason)
    } catch {
      return .failure(.unstorable)
    }
  }

  /// Reads a value written by `encode`; hosts are looked up in `inventory` (a host it no
  /// longer has is an error: the step is run again).
  public static func decode(_ json: String, inventory: Inventory) throws -> Value {
    do {
      return try tagged(try JSONParser.parse(json), inventory: inventory)
    } catch let failure as JSONParser.Failure {
      throw DecodeError(message: failure.message)
    }
  }

  /// A stored value that cannot be read back.
  public struct DecodeError: Error, Equatable {
    /// What is wrong.
    public var message: String
  }

  private struct LeftOutError: Error {
    var reason: LeftOut
  }

  private static let depthLimit = 500

  private static func plain(_ value: Value, isSecret: (String) -> Bool, depth: Int) throws
    -> Value
  {
    guard depth < depthLimit else { throw LeftOutError(reason: .unstorable) }
    func text(_ s: String) throws -> Value {
      if isSecret(s) { throw LeftOutError(reason: .secret) }
      return .string(s)
    }
    func tag(_ key: String, _ inner: Value) -> Value { .map([key: inner]) }
    switch value {
    case .nil, .bool, .int: return value
    case .string(let s): return try text(s)
    case .float(let f):
      if f.isFinite { return tag("$float", .float(f)) }
      return tag("$float", .string(f.isNaN ? "nan" : f > 0 ? "inf" : "-inf"))
    case .duration(let ns): return tag("$duration", .int(Int(ns)))
    case .host(let host): return tag("$host", try text(host.name))
    case .list(let items):
      return .list(try items.map { try plain($0, isSecret: isSecret, depth: depth + 1) })
    case .map(let entries):
      if entries.keys.contains(where: { $0.hasPrefix("$") }) {
        return tag(
          "$map",
          .list(
            try entries.map { key, item in
              .list([try text(key), try plain(item, isSecret: isSecret, depth: depth + 1)])
            }))
      }
      var out = OrderedDictionary<String, Value>()
      for (key, item) in entries {
        _ = try text(key)
        out[key] = try plain(item, isSecret: isSecret, depth: depth + 1)
      }
      return .map(out)
    case .result(let result):
      return tag(
        "$result",
        .map([
          "host": try text(result.host), "command": try text(result.command),
          "stdout": try text(result.stdout), "stderr": try text(result.stderr),
          "exit_status": .int(result.exitStatus), "duration": .int(Int(result.duration)),
        ]))
    case .secret: throw LeftOutError(reason: .secret)
    case .function, .command, .module: throw LeftOutError(reason: .unstorable)
    }
  }

  private static func tagged(_ value: Value, inventory: Inventory) throws -> Value {
    switch value {
    case .list(let items): return .list(try items.map { try tagged($0, inventory: inventory) })
    case .map(let entries):
      guard entries.count == 1, let key = entries.keys.first, key.hasPrefix("$"),
        let inner = entries[key]
      else {
        return .map(try entries.mapValues { try tagged($0, inventory: inventory) })
      }
      return try untag(key, inner, inventory: inventory)
    default: return value
    }
  }

  private static func untag(_ key: String, _ inner: Value, inventory: Inventory) throws -> Value {
    switch (key, inner) {
    case ("$float", .float(let f)): return .float(f)
    case ("$float", .int(let i)): return .float(Double(i))
    case ("$float", .string(let s)):
      switch s {
      case "nan": return .float(.nan)
      case "inf": return .float(.infinity)
      case "-inf": return .float(-.infinity)
      default: break
      }
    case ("$duration", .int(let ns)): return .duration(Int64(ns))
    case ("$host", .string(let name)):
      guard let host = inventory.host(named: name) else {
        throw DecodeError(message: "host \(name) is not in the inventory")
      }
      return .host(host)
    case ("$map", .list(let pairs)):
      var out = OrderedDictionary<String, Value>()
      for pair in pairs {
        guard case .list(let kv) = pair, kv.count == 2, case .string(let k) = kv[0] else {
          throw DecodeError(message: "a $map entry is not a [key, value] pair")
        }
        out[k] = try tagged(kv[1], inventory: inventory)
      }
      return .map(out)
    case ("$result", .map(let fields)):
      func string(_ name: String) throws -> String {
        guard case .string(let s) = fields[name] else {
          throw DecodeError(message: "a $result has no \(name)")
        }
        return s
      }
      guard case .int(let status) = fields["exit_status"], case .int(let ns) = fields["duration"]
      else { throw DecodeError(message: "a $result has no exit_status or duration") }
      return .result(
        CommandResult(
          host: try string("host"), command: try string("command"), stdout: try string("stdout"),
          stderr: try string("stderr"), exitStatus: status, duration: Int64(ns)))
    default: break
    }
    throw DecodeError(message: "\(key) holds \(inner.typeName)")
  }
}
