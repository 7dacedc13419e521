import Interpreter
import OrderedCollections

/// Uniform argument unpacking for built-ins, with Lua-style errors:
/// `bad argument #1 to 'len' (list, map or string expected, got int)`.
///
/// Every accessor takes the handle a built-in resolved from its parameter's name when the table
/// was built (see `Builtin.init(_:_:help:resolve:)`); messages count arguments from 1. An
/// explicit `nil` counts as "not given" for the optional accessors. No accessor traps on any
/// input.
extension BuiltinCall {
  /// The error `bad argument #N to 'name' (detail)`.
  public func badArgument(_ argument: BuiltinArgument, _ detail: String, hint: String? = nil)
    -> RuntimeError
  {
    badArgument(number: argument.number, detail, hint: hint)
  }

  /// The error `bad argument #N to 'name' (detail)` for the `item`th value a variadic
  /// parameter took.
  public func badArgument(
    _ argument: BuiltinArgument, item: Int, _ detail: String, hint: String? = nil
  ) -> RuntimeError {
    badArgument(number: argument.number(ofItem: item), detail, hint: hint)
  }

  private func badArgument(number: Int, _ detail: String, hint: String?) -> RuntimeError {
    RuntimeError("bad argument #\(number) to '\(builtin.name)' (\(detail))", hint: hint)
  }

  /// The error `bad argument #N to 'name' (EXPECTED expected, got TYPE)`.
  public func typeError(_ argument: BuiltinArgument, expected: String, got value: Value?)
    -> RuntimeError
  {
    var hint: String?
    if expected == "duration", let value, value.typeName == "int" || value.typeName == "float" {
      hint = "durations are written with a unit: 2s, 500ms, 10m, 1h30m"
    }
    return badArgument(
      argument, "\(expected) expected, got \(value?.typeName ?? "no value")", hint: hint)
  }

  /// The argument, or nil when it was left out or is `nil`.
  public func optionalValue(_ argument: BuiltinArgument) -> Value? {
    guard let value = self[argument] else { return nil }
    if case .nil = value { return nil }
    return value
  }

  /// The argument; `nil` is a value here, only a missing slot is an error.
  public func value(_ argument: BuiltinArgument) throws -> Value {
    guard let value = self[argument] else {
      throw typeError(argument, expected: "value", got: nil)
    }
    return value
  }

  /// The values of a variadic slot.
  public func rest(_ argument: BuiltinArgument) throws -> [Value] {
    switch optionalValue(argument) {
    case nil: return []
    case .list(let items): return items
    case let other?: return [other]
    }
  }

  /// A string; a command result gives its stdout.
  public func string(_ argument: BuiltinArgument) throws -> String {
    let value = try value(argument)
    switch value {
    case .string(let s): return s
    case .result(let r): return r.stdout
    default: throw typeError(argument, expected: "string", got: value)
    }
  }

  /// A string, or nil when not given.
  public func optionalString(_ argument: BuiltinArgument) throws -> String? {
    guard optionalValue(argument) != nil else { return nil }
    return try string(argument)
  }

  /// A string or a secret (or a result's stdout); see `TextArgument.wrap`.
  public func text(_ argument: BuiltinArgument) throws -> TextArgument {
    let value = try value(argument)
    switch value {
    case .string(let s): return TextArgument(s)
    case .result(let r): return TextArgument(r.stdout)
    case .secret(let secret): return TextArgument(secret.value, secret: secret)
    default: throw typeError(argument, expected: "string", got: value)
    }
  }

  /// A string or secret, or nil when not given.
  public func optionalText(_ argument: BuiltinArgument) throws -> TextArgument? {
    guard optionalValue(argument) != nil else { return nil }
    return try text(argument)
  }

  /// An int.
  public func int(_ argument: BuiltinArgument) throws -> Int {
    let value = try value(argument)
    guard case .int(let i) = value else { throw typeError(argument, expected: "int", got: value) }
    return i
  }

  /// An int, or nil when not given.
  public func optionalInt(_ argument: BuiltinArgument) throws -> Int? {
    guard optionalValue(argument) != nil else { return nil }
    return try int(argument)
  }

  /// A number: an int or a float, as a float.
  public func number(_ argument: BuiltinArgument) throws -> Double {
    let value = try value(argument)
    switch value {
    case .int(let i): return Double(i)
    case .float(let f): return f
    default: throw typeError(argument, expected: "number", got: value)
    }
  }

  /// A bool (not truthiness: `1` is not a bool).
  public func bool(_ argument: BuiltinArgument) throws -> Bool {
    let value = try value(argument)
    guard case .bool(let b) = value else { throw typeError(argument, expected: "bool", got: value) }
    return b
  }

  /// A bool, or `defaultValue` when not given.
  public func optionalBool(_ argument: BuiltinArgument, default defaultValue: Bool) throws -> Bool {
    guard optionalValue(argument) != nil else { return defaultValue }
    return try bool(argument)
  }

  /// A duration in nanoseconds.
  public func duration(_ argument: BuiltinArgument) throws -> Int64 {
    let value = try value(argument)
    guard case .duration(let d) = value else {
      throw typeError(argument, expected: "duration", got: value)
    }
    return d
  }

  /// A duration in nanoseconds, or nil when not given.
  public func optionalDuration(_ argument: BuiltinArgument) throws -> Int64? {
    guard optionalValue(argument) != nil else { return nil }
    return try duration(argument)
  }

  /// A list.
  public func list(_ argument: BuiltinArgument) throws -> [Value] {
    let value = try value(argument)
    guard case .list(let items) = value else {
      throw typeError(argument, expected: "list", got: value)
    }
    return items
  }

  /// A map.
  public func map(_ argument: BuiltinArgument) throws -> ValueMap {
    let value = try value(argument)
    guard case .map(let entries) = value else {
      throw typeError(argument, expected: "map", got: value)
    }
    return entries
  }

  /// A map, or an empty one when not given.
  public func optionalMap(_ argument: BuiltinArgument) throws -> ValueMap {
    guard optionalValue(argument) != nil else { return [:] }
    return try map(argument)
  }

  /// A function (a closure or a built-in).
  public func function(_ argument: BuiltinArgument) throws -> Function {
    let value = try value(argument)
    guard case .function(let function) = value else {
      throw typeError(argument, expected: "function", got: value)
    }
    return function
  }

  /// A function, or nil when not given.
  public func optionalFunction(_ argument: BuiltinArgument) throws -> Function? {
    guard optionalValue(argument) != nil else { return nil }
    return try function(argument)
  }

  /// A host value, or a host name looked up in the inventory.
  public func host(_ argument: BuiltinArgument) throws -> Host {
    let value = try value(argument)
    switch value {
    case .host(let host): return host
    case .string(let name): return try HostBuiltins.lookup(name, in: context.run.inventory)
    default: throw typeError(argument, expected: "host", got: value)
    }
  }

  /// Calls a function value with positional arguments.
  public func call(_ function: Function, _ arguments: [Value]) throws -> Value {
    try context.call(function, arguments, named: [])
  }
}

/// The payload of a `.map` value: string keys in insertion order.
public typealias ValueMap = OrderedDictionary<String, Value>
