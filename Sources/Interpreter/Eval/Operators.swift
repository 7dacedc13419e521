import Foundation
import Lexer

/// Arithmetic, comparison and membership on values.
enum Operators {
  static func int(_ value: Value, what: String, span: Span = .unknown) throws -> Int {
    if case .int(let i) = value { return i }
    throw RuntimeError("\(what) must be an int, not \(value.typeName)", at: span)
  }

  static func negate(_ value: Value, span: Span) throws -> Value {
    switch value {
    case .int(let i):
      let (r, o) = (0).subtractingReportingOverflow(i)
      if o { throw RuntimeError("integer overflow", at: span) }
      return .int(r)
    case .float(let f): return .float(-f)
    case .duration(let d):
      let (r, o) = Int64(0).subtractingReportingOverflow(d)
      if o { throw RuntimeError("duration overflow", at: span) }
      return .duration(r)
    default:
      throw RuntimeError("cannot negate a value of type \(value.typeName)", at: span)
    }
  }

  static func add(_ a: Value, _ b: Value, span: Span) throws -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      let (r, o) = x.addingReportingOverflow(y)
      if o { throw RuntimeError("integer overflow in \(x) + \(y)", at: span) }
      return .int(r)
    case (.string(let x), .string(let y)): return .string(x + y)
    case (.secret(let x), .string(let y)): return .secret(Secret(x.value + y, label: x.label))
    case (.string(let x), .secret(let y)): return .secret(Secret(x + y.value, label: y.label))
    case (.secret(let x), .secret(let y)): return .secret(Secret(x.value + y.value))
    case (.list(let x), .list(let y)): return .list(x + y)
    case (.map(var x), .map(let y)):
      for (key, value) in y { x[key] = value }
      return .map(x)
    default: return try arithmetic(.add, a, b, span: span)
    }
  }

  static func arithmetic(_ op: BinaryOp, _ a: Value, _ b: Value, span: Span) throws -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      return .int(try intOp(op, x, y, span: span))
    case (.int, .float), (.float, .int), (.float, .float):
      let x = double(a)
      let y = double(b)
      switch op {
      case .add: return .float(x + y)
      case .subtract: return .float(x - y)
      case .multiply: return .float(x * y)
      case .divide:
        if y == 0 { throw RuntimeError("division by zero", at: span) }
        return .float(x / y)
      case .remainder:
        if y == 0 { throw RuntimeError("division by zero", at: span) }
        return .float(fmod(x, y))
      default: break
      }
    case (.duration(let x), .duration(let y)):
      switch op {
      case .add: return .duration(try int64Op(.add, x, y, span: span))
      case .subtract: return .duration(try int64Op(.subtract, x, y, span: span))
      case .divide:
        if y == 0 { throw RuntimeError("division by zero", at: span) }
        return .float(Double(x) / Double(y))
      case .remainder:
        if y == 0 { throw RuntimeError("division by zero", at: span) }
        return .duration(x % y)
      default: break
      }
    case (.duration(let d), .int(let n)):
      switch op {
      case .multiply: return .duration(try int64Op(.multiply, d, Int64(n), span: span))
      case .divide:
        if n == 0 { throw RuntimeError("division by zero", at: span) }
        return .duration(d / Int64(n))
      default: break
      }
    case (.int(let n), .duration(let d)) where op == .multiply:
      return .duration(try int64Op(.multiply, d, Int64(n), span: span))
    case (.duration(let d), .float(let f)), (.float(let f), .duration(let d)):
      if op == .multiply || (op == .divide && a.typeName == "duration") {
        let scaled = op == .multiply ? Double(d) * f : (f == 0 ? .infinity : Double(d) / f)
        guard scaled.isFinite, abs(scaled) < 9.2e18 else {
          throw RuntimeError(f == 0 ? "division by zero" : "duration overflow", at: span)
        }
        return .duration(Int64(scaled))
      }
    case (.string(let s), .int(let n)) where op == .multiply:
      guard n >= 0,
        n.multipliedReportingOverflow(by: max(1, s.utf8.count)).partialValue < 100_000_000
      else { throw RuntimeError("cannot repeat a string \(n) times", at: span) }
      return .string(String(repeating: s, count: n))
    default: break
    }
    throw RuntimeError(
      "cannot apply '\(op.rawValue)' to \(a.typeName) and \(b.typeName)", at: span,
      hint: a.typeName == "string" || b.typeName == "string"
        ? "use str(x) or \"${x}\" to make text" : nil)
  }

  static func intOp(_ op: BinaryOp, _ x: Int, _ y: Int, span: Span) throws -> Int {
    let result: (Int, Bool)
    switch op {
    case .add: result = x.addingReportingOverflow(y)
    case .subtract: result = x.subtractingReportingOverflow(y)
    case .multiply: result = x.multipliedReportingOverflow(by: y)
    case .divide:
      if y == 0 { throw RuntimeError("division by zero", at: span) }
      result = x.dividedReportingOverflow(by: y)
    case .remainder:
      if y == 0 { throw RuntimeError("division by zero", at: span) }
      result = x.remainderReportingOverflow(dividingBy: y)
    default: result = (0, true)
    }
    if result.1 { throw RuntimeError("integer overflow in \(x) \(op.rawValue) \(y)", at: span) }
    return result.0
  }

  static func int64Op(_ op: BinaryOp, _ x: Int64, _ y: Int64, span: Span) throws -> Int64 {
    let result: (Int64, Bool)
    switch op {
    case .add: result = x.addingReportingOverflow(y)
    case .subtract: result = x.subtractingReportingOverflow(y)
    default: result = x.multipliedReportingOverflow(by: y)
    }
    if result.1 { throw RuntimeError("duration overflow", at: span) }
    return result.0
  }

  static func double(_ value: Value) -> Double {
    switch value {
    case .int(let i): Double(i)
    case .float(let f): f
    default: 0
    }
  }

  static func compare(_ op: BinaryOp, _ a: Value, _ b: Value, span: Span) throws -> Value {
    let order: Int
    switch (a, b) {
    case (.int(let x), .int(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
    case (.int, .float), (.float, .int), (.float, .float):
      let x = double(a)
      let y = double(b)
      if x.isNaN || y.isNaN { return .bool(false) }
      order = x < y ? -1 : (x == y ? 0 : 1)
    case (.string(let x), .string(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
    case (.duration(let x), .duration(let y)): order = x < y ? -1 : (x == y ? 0 : 1)
    default:
      throw RuntimeError(
        "cannot compare \(a.typeName) and \(b.typeName) with '\(op.rawValue)'", at: span)
    }
    switch op {
    case .less: return .bool(order < 0)
    case .lessEqual: return .bool(order <= 0)
    case .greater: return .bool(order > 0)
    default: return .bool(order >= 0)
    }
  }

  /// `element in container`.
  static func contains(_ container: Value, _ element: Value, span: Span) throws -> Bool {
    switch container {
    case .list(let items): return items.contains(element)
    case .map(let map):
      guard case .string(let key) = element else { return false }
      return map[key] != nil
    case .string(let s):
      guard case .string(let part) = element else {
        throw RuntimeError("'in' on a string needs a string, not \(element.typeName)", at: span)
      }
      return s.contains(part)
    default:
      throw RuntimeError("'in' needs a list, map or string, not \(container.typeName)", at: span)
    }
  }
}
