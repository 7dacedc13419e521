import Interpreter

/// Built-ins that take a function: `sorted`, `map`, `filter`, `any` and `all`.
enum FunctionalBuiltins {
  static let family = BuiltinFamily(
    title: "Sorting, mapping and filtering",
    help: "Built-ins that order lists or apply a function to each item.",
    builtins: [
      Builtin(
        "sorted", [.req("list"), .opt("key", "nil"), .opt("reverse", "false")],
        help: "A sorted copy (stable); `key` is a function giving the value to sort by.",
        body: sorted),
      Builtin(
        "map", [.req("list"), .req("f")], help: "A new list of f(item) for each item.",
        body: { call in
          let function = try call.function(1)
          let items = try call.list(0)
          return .list(try items.map { try call.call(function, [$0]) })
        }),
      Builtin(
        "filter", [.req("list"), .req("f")], help: "The items for which f(item) is truthy.",
        body: { call in
          let function = try call.function(1)
          let items = try call.list(0)
          return .list(try items.filter { try call.call(function, [$0]).isTruthy })
        }),
      Builtin(
        "any", [.req("list"), .opt("f", "nil")],
        help: "Whether any item (or f(item)) is truthy; false for an empty list.",
        body: { call in
          let function = try call.optionalFunction(1)
          for item in try call.list(0) where try test(call, function, item) { return .bool(true) }
          return .bool(false)
        }),
      Builtin(
        "all", [.req("list"), .opt("f", "nil")],
        help: "Whether every item (or f(item)) is truthy; true for an empty list.",
        body: { call in
          let function = try call.optionalFunction(1)
          for item in try call.list(0) where try !test(call, function, item) {
            return .bool(false)
          }
          return .bool(true)
        }),
    ])

  static func test(_ call: BuiltinCall, _ function: Function?, _ item: Value) throws -> Bool {
    guard let function else { return item.isTruthy }
    return try call.call(function, [item]).isTruthy
  }

  static func sorted(_ call: inout BuiltinCall) throws -> Value {
    let items = try call.list(0)
    let key = try call.optionalFunction(1)
    let reverse = try call.optionalBool(2, default: false)
    let keys = try key.map { function in try items.map { try call.call(function, [$0]) } } ?? items
    let order = try ValueOrder.stableSorted(Array(keys.indices)) { [call] a, b in
      let result = try ValueOrder.compare(keys[a], keys[b]) { call.badArgument(0, $0) }
      return reverse ? result > 0 : result < 0
    }
    return .list(order.map { items[$0] })
  }
}
