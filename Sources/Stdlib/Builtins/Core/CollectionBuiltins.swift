import Foundation
import Interpreter

/// Building, reading and reshaping lists and maps. Values are immutable: every built-in here
/// returns a new value.
enum CollectionBuiltins {
  /// The most items `range` makes.
  static let rangeLimit = 10_000_000

  static let family = BuiltinFamily(
    title: "Lists and maps",
    help: "Building, reading and reshaping lists and maps; each returns a new value.",
    builtins: [
      Builtin(
        "range", [.req("start"), .opt("end", "nil"), .opt("step", "1")],
        help:
          "range(n) is [0, 1, …, n-1]; range(a, b, step) counts from a up to (not including) b.",
        resolve: range),
      Builtin(
        "keys", [.req("map")], help: "The keys of a map, in insertion order.",
        resolve: { param in
          let map = param["map"]
          return { call in .list(try call.map(map).keys.map { .string($0) }) }
        }),
      Builtin(
        "values", [.req("map")], help: "The values of a map, in insertion order.",
        resolve: { param in
          let map = param["map"]
          return { call in .list(Array(try call.map(map).values)) }
        }),
      Builtin(
        "items", [.req("map")], help: "The entries of a map as [key, value] pairs.",
        resolve: { param in
          let map = param["map"]
          return { call in .list(try call.map(map).map { .list([.string($0.key), $0.value]) }) }
        }),
      Builtin(
        "get", [.req("collection"), .req("key"), .opt("default", "nil")],
        help:
          "m[key] or the default when the key is missing; also a list index (negative from the end).",
        resolve: get),
      Builtin(
        "has", [.req("map"), .req("key")], help: "Whether the map has the key.",
        resolve: { param in
          let (map, key) = (param["map"], param["key"])
          return { call in
            let entries = try call.map(map)
            return .bool(entries[try mapKey(call, key)] != nil)
          }
        }),
      Builtin(
        "contains", [.req("collection"), .req("value")],
        help: "Whether a list holds the value, a map has the key, or a string holds the substring.",
        resolve: contains),
      Builtin(
        "index_of", [.req("collection"), .req("value")],
        help: "The first index of the value in a list (or of a substring in a string), or nil.",
        resolve: indexOf),
      Builtin(
        "append", [.req("list"), .req("value")],
        help: "A new list with the value added at the end.",
        resolve: { param in
          let (list, value) = (param["list"], param["value"])
          return { call in .list(try call.list(list) + [try call.value(value)]) }
        }),
      Builtin(
        "extend", [.req("list"), .req("more")], help: "A new list with the items of `more` added.",
        resolve: { param in
          let (list, more) = (param["list"], param["more"])
          return { call in .list(try call.list(list) + (try call.list(more))) }
        }),
      Builtin(
        "merge", [.req("a"), .req("b")],
        help: "A new map with the entries of both; `b` wins on equal keys (shallow).",
        resolve: { param in
          let (a, b) = (param["a"], param["b"])
          return { call in
            var entries = try call.map(a)
            for (key, value) in try call.map(b) { entries[key] = value }
            return .map(entries)
          }
        }),
      Builtin(
        "reversed", [.req("collection")], help: "A list or string in reverse order.",
        resolve: reversed),
      Builtin(
        "unique", [.req("list")],
        help: "The list without repeated values, keeping first occurrences.",
        resolve: { param in
          let list = param["list"]
          return { call in .list(unique(try call.list(list))) }
        }),
      Builtin(
        "flatten", [.req("list")],
        help: "Splices the items of nested lists one level: [[1], 2] is [1, 2].",
        resolve: { param in
          let list = param["list"]
          return { call in
            .list(
              try call.list(list).flatMap { item -> [Value] in
                if case .list(let inner) = item { return inner }
                return [item]
              })
          }
        }),
      Builtin(
        "enumerate", [.req("list"), .opt("start", "0")],
        help: "[index, item] pairs, counting from `start`.",
        resolve: enumerate),
      Builtin(
        "zip", [.req("a"), .req("b")], help: "[a[i], b[i]] pairs, as long as the shorter list.",
        resolve: { param in
          let (a, b) = (param["a"], param["b"])
          return { call in .list(zip(try call.list(a), try call.list(b)).map { .list([$0, $1]) }) }
        }),
    ])

  /// A map key: a string, or an int written as a string.
  static func mapKey(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> String {
    let key = try call.value(argument)
    switch key {
    case .string(let s): return s
    case .int(let i): return String(i)
    default: throw call.typeError(argument, expected: "string", got: key)
    }
  }

  static func range(_ param: ParameterLookup) -> Builtin.Body {
    let (startArgument, endArgument, stepArgument) = (param["start"], param["end"], param["step"])
    return { call in
      let first = try call.int(startArgument)
      let end = try call.optionalInt(endArgument)
      let step = try call.optionalInt(stepArgument) ?? 1
      let (start, stop) = end.map { (first, $0) } ?? (0, first)
      if step == 0 { throw call.badArgument(stepArgument, "step must not be zero") }
      // Count first, in unsigned arithmetic so that no bounds can overflow.
      let span =
        step > 0 ? stop.subtractingAsMagnitude(start) : start.subtractingAsMagnitude(stop)
      let count = span.map { ($0 - 1) / step.magnitude + 1 } ?? 0
      if count > UInt(rangeLimit) {
        throw RuntimeError("range would have more than \(rangeLimit) items")
      }
      var items: [Value] = []
      items.reserveCapacity(Int(count))
      var current = start
      for _ in 0..<Int(count) {
        items.append(.int(current))
        current = current &+ step
      }
      return .list(items)
    }
  }

  static func get(_ param: ParameterLookup) -> Builtin.Body {
    let (collection, key, fallback) = (param["collection"], param["key"], param["default"])
    return { call in
      let container = try call.value(collection)
      let otherwise = call.optionalValue(fallback) ?? .nil
      switch container {
      case .map(let entries): return entries[try mapKey(call, key)] ?? otherwise
      case .list(let items):
        let i = try call.int(key)
        let index = i < 0 ? items.count + i : i
        return items.indices.contains(index) ? items[index] : otherwise
      default: throw call.typeError(collection, expected: "map or list", got: container)
      }
    }
  }

  static func contains(_ param: ParameterLookup) -> Builtin.Body {
    let (collection, value) = (param["collection"], param["value"])
    return { call in
      let container = try call.value(collection)
      switch container {
      case .list(let items): return .bool(items.contains(try call.value(value)))
      case .map(let entries):
        guard case .string(let key) = try call.value(value) else { return .bool(false) }
        return .bool(entries[key] != nil)
      case .string, .secret, .result:
        let text = try call.text(collection).text
        let part = try call.text(value).text
        return .bool(part.isEmpty || text.contains(part))
      default: throw call.typeError(collection, expected: "list, map or string", got: container)
      }
    }
  }

  static func indexOf(_ param: ParameterLookup) -> Builtin.Body {
    let (collection, value) = (param["collection"], param["value"])
    return { call in
      let container = try call.value(collection)
      switch container {
      case .list(let items):
        let needle = try call.value(value)
        return items.firstIndex(of: needle).map { .int($0) } ?? .nil
      case .string, .secret, .result:
        let text = try call.text(collection).text
        let part = try call.text(value).text
        guard let found = text.range(of: part) else { return .nil }
        return .int(text.distance(from: text.startIndex, to: found.lowerBound))
      default: throw call.typeError(collection, expected: "list or string", got: container)
      }
    }
  }

  static func reversed(_ param: ParameterLookup) -> Builtin.Body {
    let collection = param["collection"]
    return { call in
      let container = try call.value(collection)
      switch container {
      case .list(let items): return .list(items.reversed())
      case .string, .secret, .result:
        let text = try call.text(collection)
        return text.wrap(String(text.text.reversed()))
      default: throw call.typeError(collection, expected: "list or string", got: container)
      }
    }
  }

  static func enumerate(_ param: ParameterLookup) -> Builtin.Body {
    let (list, startArgument) = (param["list"], param["start"])
    return { call in
      let items = try call.list(list)
      let start = try call.optionalInt(startArgument) ?? 0
      var out: [Value] = []
      out.reserveCapacity(items.count)
      for (offset, item) in items.enumerated() {
        let (index, overflow) = start.addingReportingOverflow(offset)
        if overflow { throw RuntimeError("integer overflow in enumerate") }
        out.append(.list([.int(index), item]))
      }
      return .list(out)
    }
  }

  /// Removes repeated values, keeping the first of each (1 and 1.0 count as equal).
  static func unique(_ items: [Value]) -> [Value] {
    var seenKeys = Set<String>()
    var seenOthers: [Value] = []
    var out: [Value] = []
    for item in items {
      if let key = hashKey(item) {
        if seenKeys.insert(key).inserted { out.append(item) }
      } else if !seenOthers.contains(item) {
        seenOthers.append(item)
        out.append(item)
      }
    }
    return out
  }

  /// A key equal exactly when the values are equal, for the common scalar types.
  private static func hashKey(_ value: Value) -> String? {
    switch value {
    case .nil: return "n"
    case .bool(let b): return b ? "t" : "f"
    case .int(let i): return "i\(i)"
    case .float(let f):
      if let i = Int(exactly: f) { return "i\(i)" }
      return f.isNaN ? nil : "d\(f)"
    case .string(let s): return "s" + s
    case .duration(let d): return "D\(d)"
    default: return nil
    }
  }
}

extension Int {
  /// `self - other` as a magnitude when `self > other`, else nil.
  fileprivate func subtractingAsMagnitude(_ other: Int) -> UInt? {
    guard self > other else { return nil }
    return UInt(bitPattern: self) &- UInt(bitPattern: other)
  }
}
