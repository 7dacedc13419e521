import Interpreter
import OrderedCollections

/// Uniform argument unpacking for built-ins, with Lua-style errors:
/// `bad argument #1 to 'len' (list, map or string expected, got int)`.
///
/// Indexes are 0-based parameter slots; messages count from 1. An explicit `nil` counts as
/// "not given" for the optional accessors. No accessor traps on any input.
extension BuiltinCall {
  /// The error `bad argument #N to 'name' (detail)`.
  public func badArgument(_ index: Int, _ detail: String, hint: String? = nil) -> RuntimeError {
    RuntimeError("bad argument #\(index + 1) to '\(builtin.name)' (\(detail))", hint: hint)
  }

  /// The error `bad argument #N to 'name' (EXPECTED expected, got TYPE)`.
  public func typeError(_ index: Int, expected: String, got value: Value?) -> RuntimeError {
    var hint: String?
    if expected == "duration", let value, value.typeName == "int" || value.typeName == "float" {
      hint = "durations are written with a unit: 2s, 500ms, 10m, 1h30m"
    }
    return badArgument(
      index, "\(expected) expected, got \(value?.typeName ?? "no value")", hint: hint)
  }

  /// The argument in slot `index`, or nil when it was left out or is `nil`.
  public func optionalValue(_ index: Int) -> Value? {
    guard arguments.indices.contains(index), let value = arguments[index] else { return nil }
    if case .nil = value { return nil }
    return value
  }

  /// The argument in slot `index`; `nil` is a value here, only a missing slot is an error.
  public func value(_ index: Int) throws -> Value {
    guard arguments.indices.contains(index), let value = arguments[index] else {
      throw typeError(index, expected: "value", got: nil)
    }
    return value
  }

  /// The values of a variadic slot.
  public func rest(_ index: Int) throws -> [Value] {
    switch optionalValue(index) {
    case nil: return []
    case .list(let items): return items
    case let other?: return [other]
    }
  }

  /// A string; a command result gives its stdout.
  public func string(_ index: Int) throws -> String {
    let value = try value(index)
    switch value {
    case .string(let s): return s
    case .result(let r): return r.stdout
    default: throw typeError(index, expected: "string", got: value)
    }
  }

  /// A string, or nil when not given.
  public func optionalString(_ index: Int) throws -> String? {
    guard optionalValue(index) != nil else { return nil }
    return try string(index)
  }

  /// A string or a secret (or a result's stdout); see `TextArgument.wrap`.
  public func text(_ index: Int) throws -> TextArgument {
    let value = try value(index)
    switch value {
    case .string(let s): return TextArgument(s)
    case .result(let r): return TextArgument(r.stdout)
    case .secret(let secret): return TextArgument(secret.value, secret: secret)
    default: throw typeError(index, expected: "string", got: value)
    }
  }

  /// A string or secret, or nil when not given.
  public func optionalText(_ index: Int) throws -> TextArgument? {
    guard optionalValue(index) != nil else { return nil }
    return try text(index)
  }

  /// An int.
  public func int(_ index: Int) throws -> Int {
    let value = try value(index)
    guard case .int(let i) = value else { throw typeError(index, expected: "int", got: value) }
    return i
  }

  /// An int, or nil when not given.
  public func optionalInt(_ index: Int) throws -> Int? {
    guard optionalValue(index) != nil else { return nil }
    return try int(index)
  }

  /// A number: an int or a float, as a float.
  public func number(_ index: Int) throws -> Double {
    let value = try value(index)
    switch value {
    case .int(let i): return Double(i)
    case .float(let f): return f
    default: throw typeError(index, expected: "number", got: value)
    }
  }

  /// A bool (not truthiness: `1` is not a bool).
  public func bool(_ index: Int) throws -> Bool {
    let value = try value(index)
    guard case .bool(let b) = value else { throw typeError(index, expected: "bool", got: value) }
    return b
  }

  /// A bool, or `defaultValue` when not given.
  public func optionalBool(_ index: Int, default defaultValue: Bool) throws -> Bool {
    guard optionalValue(index) != nil else { return defaultValue }
    return try bool(index)
  }

  /// A duration in nanoseconds.
  public func duration(_ index: Int) throws -> Int64 {
    let value = try value(index)
    guard case .duration(let d) = value else {
      throw typeError(index, expected: "duration", got: value)
    }
    return d
  }

  /// A duration in nanoseconds, or nil when not given.
  public func optionalDuration(_ index: Int) throws -> Int64? {
    guard optionalValue(index) != nil else { return nil }
    return try duration(index)
  }

  /// A list.
  public func list(_ index: Int) throws -> [Value] {
    let value = try value(index)
    guard case .list(let items) = value else {
      throw typeError(index, expected: "list", got: value)
    }
    return items
  }

  /// A map.
  public func map(_ index: Int) throws -> ValueMap {
    let value = try value(index)
    guard case .map(let entries) = value else {
      throw typeError(index, expected: "map", got: value)
    }
    return entries
  }

  /// A map, or an empty one when not given.
  public func optionalMap(_ index: Int) throws -> ValueMap {
    guard optionalValue(index) != nil else { return [:] }
    return try map(index)
  }

  /// A function (a closure or a built-in).
  public func function(_ index: Int) throws -> Function {
    let value = try value(index)
    guard case .function(let function) = value else {
      throw typeError(index, expected: "function", got: value)
    }
    return function
  }

  /// A function, or nil when not given.
  public func optionalFunction(_ index: Int) throws -> Function? {
    guard optionalValue(index) != nil else { return nil }
    return try function(index)
  }

  /// A host value, or a host name looked up in the inventory.
  public func host(_ index: Int) throws -> Host {
    let value = try value(index)
    switch value {
    case .host(let host): return host
    case .string(let name): return try HostBuiltins.lookup(name, in: context.run.inventory)
    default: throw typeError(index, expected: "host", got: value)
    }
  }

  /// Calls a function value with positional arguments.
  public func call(_ function: Function, _ arguments: [Value]) throws -> Value {
    try context.call(function, arguments, named: [])
  }
}

/// The payload of a `.map` value: string keys in insertion order.
public typealias ValueMap = OrderedDictionary<String, Value>
