import Lexer
import OrderedCollections

/// Indexing, slicing and member access.
enum Access {
  /// What `result.NAME` reads.
  static let resultMembers = [
    "stdout", "stderr", "exit", "exit_status", "ok", "duration", "host", "command",
  ]

  static func listIndex(_ key: Value, count: Int, span: Span) throws -> Int {
    guard case .int(let i) = key else {
      throw RuntimeError("list index must be an int, not \(key.typeName)", at: span)
    }
    let index = i < 0 ? count + i : i
    guard index >= 0, index < count else {
      throw RuntimeError("index \(i) out of range for a list of \(count) items", at: span)
    }
    return index
  }

  static func mapKey(_ key: Value, span: Span) throws -> String {
    switch key {
    case .string(let s): return s
    case .int(let i): return String(i)
    default:
      throw RuntimeError("map keys must be strings, not \(key.typeName)", at: span)
    }
  }

  static func index(_ base: Value, _ key: Value, span: Span) throws -> Value {
    switch base {
    case .list(let items):
      return items[try listIndex(key, count: items.count, span: span)]
    case .map(let map):
      let name = try mapKey(key, span: span)
      guard let value = map[name] else {
        throw RuntimeError(
          "map has no key \(Value.quoted(name))", at: span,
          hint: Suggest.hint(for: name, among: Array(map.keys)) ?? "use get(m, key, default)")
      }
      return value
    case .string(let s):
      let chars = Array(s)
      return .string(String(chars[try listIndex(key, count: chars.count, span: span)]))
    case .host(let host):
      return try member(base, try mapKey(key, span: span), span: span, host: host)
    default:
      throw RuntimeError("cannot index into a value of type \(base.typeName)", at: span)
    }
  }

  static func slice(_ base: Value, lower: Value?, upper: Value?, closed: Bool, span: Span) throws
    -> Value
  {
    func bounds(_ count: Int) throws -> Range<Int> {
      func resolve(_ value: Value?, _ fallback: Int) throws -> Int {
        guard let value, value != .nil else { return fallback }
        guard case .int(let i) = value else {
          throw RuntimeError("slice bounds must be ints, not \(value.typeName)", at: span)
        }
        return i < 0 ? max(0, count + i) : min(i, count)
      }
      let low = try resolve(lower, 0)
      var high = try resolve(upper, count)
      if closed && upper != nil && upper != .nil { high = min(count, high + 1) }
      return low..<max(low, high)
    }
    switch base {
    case .list(let items): return .list(Array(items[try bounds(items.count)]))
    case .string(let s):
      let chars = Array(s)
      return .string(String(chars[try bounds(chars.count)]))
    default:
      throw RuntimeError("cannot slice a value of type \(base.typeName)", at: span)
    }
  }

  static func member(_ base: Value, _ name: String, span: Span, host: Host? = nil) throws -> Value {
    switch base {
    case .map(let map):
      if let value = map[name] { return value }
      throw RuntimeError(
        "map has no key \(Value.quoted(name))", at: span,
        hint: Suggest.hint(for: name, among: Array(map.keys)) ?? "use get(m, key, default)")
    case .module(let module):
      if let value = module.members[name] { return value }
      throw RuntimeError(
        "module '\(module.name)' has no member '\(name)'", at: span,
        hint: Suggest.hint(for: name, among: Array(module.members.keys)))
    case .result(let r):
      switch name {
      case "stdout": return .string(r.stdout)
      case "stderr": return .string(r.stderr)
      case "exit", "exit_status": return .int(r.exitStatus)
      case "ok": return .bool(r.exitStatus == 0)
      case "duration": return .duration(r.duration)
      case "host": return .string(r.host)
      case "command": return .string(r.command)
      default:
        throw RuntimeError(
          "a result has no member '\(name)'", at: span,
          hint: Suggest.hint(for: name, among: resultMembers)
            ?? "members: stdout, stderr, exit, ok, duration, host, command")
      }
    case .host(let h):
      switch name {
      case "name": return .string(h.name)
      case "address": return .string(h.address)
      case "port": return h.port.map { .int($0) } ?? .nil
      case "user": return h.user.map { .string($0) } ?? .nil
      case "groups": return .list(h.groups.map { .string($0) })
      case "vars": return .map(h.vars)
      default:
        if let value = h.vars[name] { return value }
        throw RuntimeError(
          "host '\(h.name)' has no variable '\(name)'", at: span,
          hint: Suggest.hint(for: name, among: Array(h.vars.keys)))
      }
    case .secret(let s) where name == "label":
      return s.label.map { .string($0) } ?? .nil
    default:
      throw RuntimeError("a value of type \(base.typeName) has no member '\(name)'", at: span)
    }
  }
}

/// What `for` walks over, and the value `catch e` binds.
enum Iteration {
  static func items(of value: Value, pairs: Bool, span: Span) throws -> [(Value, Value)] {
    switch value {
    case .list(let items):
      return pairs
        ? items.enumerated().map { (.int($0.offset), $0.element) }
        : items.map { ($0, .nil) }
    case .map(let map):
      return map.map { (.string($0.key), $0.value) }
    case .string(let s):
      return pairs
        ? s.enumerated().map { (.int($0.offset), .string(String($0.element))) }
        : s.map { (.string(String($0)), .nil) }
    default:
      throw RuntimeError("cannot iterate over a value of type \(value.typeName)", at: span)
    }
  }

  static func errorValue(_ error: RuntimeError) -> Value {
    var map = OrderedDictionary<String, Value>()
    map["message"] = .string(error.message)
    map["kind"] = .string(error.kind.rawValue)
    map["host"] = error.host.map { .string($0) } ?? .nil
    if let result = error.result {
      map["exit"] = .int(result.exitStatus)
      map["stdout"] = .string(result.stdout)
      map["stderr"] = .string(result.stderr)
    }
    return .map(map)
  }
}
