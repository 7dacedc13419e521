import Foundation
import Interpreter

/// `min`, `max`, `sum`, `abs` and `round`. Int arithmetic is checked: overflow is an error.
enum NumberBuiltins {
  static let family = BuiltinFamily(
    title: "Numbers",
    help: "Smallest, largest, totals and rounding; int overflow is an error, never a wrap.",
    builtins: [
      Builtin(
        "min", [.rest("values")],
        help: "The smallest of the arguments, or of the one list given.",
        resolve: { param in
          let values = param["values"]
          return { call in try extreme(call, values, wantLarger: false) }
        }),
      Builtin(
        "max", [.rest("values")],
        help: "The largest of the arguments, or of the one list given.",
        resolve: { param in
          let values = param["values"]
          return { call in try extreme(call, values, wantLarger: true) }
        }),
      Builtin(
        "sum", [.req("list"), .opt("start", "0")],
        help: "The total of a list of ints, floats or durations, added to `start`.",
        resolve: sum),
      Builtin(
        "abs", [.req("x")], help: "The absolute value of an int, float or duration.",
        resolve: absolute),
      Builtin(
        "round", [.req("x"), .opt("digits", "nil")],
        help:
          "round(x) is the nearest int (halves away from zero); round(x, n) a float with n decimals.",
        resolve: round),
    ])

  static func extreme(_ call: BuiltinCall, _ argument: BuiltinArgument, wantLarger: Bool) throws
    -> Value
  {
    var values = try call.rest(argument)
    if values.count == 1, case .list(let items) = values[0] { values = items }
    guard var best = values.first else {
      throw call.badArgument(argument, "empty list")
    }
    for value in values.dropFirst() {
      let order = try ValueOrder.compare(value, best) { call.badArgument(argument, $0) }
      if wantLarger ? order > 0 : order < 0 { best = value }
    }
    return best
  }

  static func sum(_ param: ParameterLookup) -> Builtin.Body {
    let (list, start) = (param["list"], param["start"])
    return { call in
      var total = call.optionalValue(start) ?? .int(0)
      for item in try call.list(list) {
        total = try add(total, item, call: call, list)
      }
      return total
    }
  }

  static func add(_ a: Value, _ b: Value, call: BuiltinCall, _ list: BuiltinArgument) throws
    -> Value
  {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      let (r, overflow) = x.addingReportingOverflow(y)
      if overflow { throw RuntimeError("integer overflow in sum") }
      return .int(r)
    case (.int(let x), .float(let y)): return .float(Double(x) + y)
    case (.float(let x), .int(let y)): return .float(x + Double(y))
    case (.float(let x), .float(let y)): return .float(x + y)
    case (.duration(let x), .duration(let y)):
      let (r, overflow) = x.addingReportingOverflow(y)
      if overflow { throw RuntimeError("duration overflow in sum") }
      return .duration(r)
    case (.int(0), .duration): return b
    default:
      throw call.badArgument(list, "cannot add \(b.typeName) to \(a.typeName)")
    }
  }

  static func absolute(_ param: ParameterLookup) -> Builtin.Body {
    let x = param["x"]
    return { call in
      let value = try call.value(x)
      switch value {
      case .int(let i):
        guard i != .min else { throw RuntimeError("integer overflow in abs(\(i))") }
        return .int(Swift.abs(i))
      case .float(let f): return .float(Swift.abs(f))
      case .duration(let d):
        guard d != .min else { throw RuntimeError("duration overflow in abs") }
        return .duration(Swift.abs(d))
      default: throw call.typeError(x, expected: "number or duration", got: value)
      }
    }
  }

  static func round(_ param: ParameterLookup) -> Builtin.Body {
    let (x, digitsArgument) = (param["x"], param["digits"])
    return { call in
      let value = try call.value(x)
      let digits = try call.optionalInt(digitsArgument)
      if let digits, !(0...15).contains(digits) {
        throw call.badArgument(digitsArgument, "digits must be between 0 and 15, got \(digits)")
      }
      switch value {
      case .int(let i): return digits == nil ? .int(i) : .float(Double(i))
      case .float(let f):
        if let digits {
          let scale = pow(10, Double(digits))
          return .float((f * scale).rounded(.toNearestOrAwayFromZero) / scale)
        }
        let rounded = f.rounded(.toNearestOrAwayFromZero)
        guard rounded.isFinite, let i = Int(exactly: rounded) else {
          throw RuntimeError("cannot convert \(Value.formatFloat(f)) to int")
        }
        return .int(i)
      default: throw call.typeError(x, expected: "number", got: value)
      }
    }
  }
}
