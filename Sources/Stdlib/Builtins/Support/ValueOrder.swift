import Interpreter

/// The ordering used by `sorted`, `min` and `max`: numbers with numbers, strings with strings,
/// durations with durations, bools (false first), and lists element by element.
enum ValueOrder {
  /// -1, 0 or 1; nil when the two values cannot be compared.
  static func compare(_ a: Value, _ b: Value) -> Int? {
    switch (a, b) {
    case (.int(let x), .int(let y)): return sign(x, y)
    case (.int(let x), .float(let y)): return sign(Double(x), y)
    case (.float(let x), .int(let y)): return sign(x, Double(y))
    case (.float(let x), .float(let y)): return sign(x, y)
    case (.string(let x), .string(let y)): return sign(x, y)
    case (.duration(let x), .duration(let y)): return sign(x, y)
    case (.bool(let x), .bool(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
    case (.list(let x), .list(let y)):
      for (left, right) in zip(x, y) {
        guard let order = compare(left, right) else { return nil }
        if order != 0 { return order }
      }
      return sign(x.count, y.count)
    default: return nil
    }
  }

  /// Compares or throws `cannot compare A and B` through `error`.
  static func compare(_ a: Value, _ b: Value, error: (String) -> RuntimeError) throws -> Int {
    guard let order = compare(a, b) else {
      throw error("cannot compare \(a.typeName) and \(b.typeName)")
    }
    return order
  }

  private static func sign<T: Comparable>(_ x: T, _ y: T) -> Int {
    x < y ? -1 : (x == y ? 0 : 1)
  }

  /// A stable merge sort with a throwing "comes before" test.
  static func stableSorted<T>(_ items: [T], by less: (T, T) throws -> Bool) rethrows -> [T] {
    guard items.count > 1 else { return items }
    var source = items
    var target = items
    var width = 1
    while width < source.count {
      var start = 0
      while start < source.count {
        let middle = min(start + width, source.count)
        let end = min(start + 2 * width, source.count)
        var (i, j, k) = (start, middle, start)
        while i < middle && j < end {
          if try less(source[j], source[i]) {
            target[k] = source[j]
            j += 1
          } else {
            target[k] = source[i]
            i += 1
          }
          k += 1
        }
        while i < middle {
          target[k] = source[i]
          i += 1
          k += 1
        }
        while j < end {
          target[k] = source[j]
          j += 1
          k += 1
        }
        start = end
      }
      swap(&source, &target)
      width *= 2
    }
    return source
  }
}
