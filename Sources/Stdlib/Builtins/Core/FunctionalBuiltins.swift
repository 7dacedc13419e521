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
        resolve: sorted),
      Builtin(
        "map", [.req("list"), .req("f")], help: "A new list of f(item) for each item.",
        resolve: { param in
          let (list, f) = (param["list"], param["f"])
          return { call in
            let function = try call.function(f)
            let items = try call.list(list)
            return .list(try items.map { try call.call(function, [$0]) })
          }
        }),
      Builtin(
        "filter", [.req("list"), .req("f")], help: "The items for which f(item) is truthy.",
        resolve: { param in
          let (list, f) = (param["list"], param["f"])
          return { call in
            let function = try call.function(f)
            let items = try call.list(list)
            return .list(try items.filter { try call.call(function, [$0]).isTruthy })
          }
        }),
      Builtin(
        "any", [.req("list"), .opt("f", "nil")],
        help: "Whether any item (or f(item)) is truthy; false for an empty list.",
        resolve: { param in
          let (list, f) = (param["list"], param["f"])
          return { call in
            let function = try call.optionalFunction(f)
            for item in try call.list(list) where try test(call, function, item) {
              return .bool(true)
            }
            return .bool(false)
          }
        }),
      Builtin(
        "all", [.req("list"), .opt("f", "nil")],
        help: "Whether every item (or f(item)) is truthy; true for an empty list.",
        resolve: { param in
          let (list, f) = (param["list"], param["f"])
          return { call in
            let function = try call.optionalFunction(f)
            for item in try call.list(list) where try !test(call, function, item) {
              return .bool(false)
            }
            return .bool(true)
          }
        }),
    ])

  static func test(_ call: BuiltinCall, _ function: Function?, _ item: Value) throws -> Bool {
    guard let function else { return item.isTruthy }
    return try call.call(function, [item]).isTruthy
  }

  static func sorted(_ param: ParameterLookup) -> Builtin.Body {
    let (list, key, reverseArgument) = (param["list"], param["key"], param["reverse"])
    return { call in
      let items = try call.list(list)
      let function = try call.optionalFunction(key)
      let reverse = try call.optionalBool(reverseArgument, default: false)
      let keys =
        try function.map { function in try items.map { try call.call(function, [$0]) } } ?? items
      let order = try ValueOrder.stableSorted(Array(keys.indices)) { [call] a, b in
        let result = try ValueOrder.compare(keys[a], keys[b]) { call.badArgument(list, $0) }
        return reverse ? result > 0 : result < 0
      }
      return .list(order.map { items[$0] })
    }
  }
}
