import Lexer

/// Compiled code for a condition (`if`, `while`, `and`, `not`, `? :`): a Bool, no `Value`.
typealias CondCode = @Sendable (Frame) throws -> Bool

/// Where an operand of an arithmetic or comparison operator comes from, decided at compile
/// time, so that the common cases — a variable, an int literal — are read in place instead of
/// through a call and a copy. Operator code is generic over it and specialized per pair.
protocol Operand: Sendable {
  /// Whether `int(_:)` answers without evaluating code (reading the operand has no effect).
  static var isDirect: Bool { get }
  /// The int the operand holds, read in place; nil when it holds something else (always
  /// nil for an operand that is not direct).
  func int(_ frame: Frame) -> Int?
  /// The operand's value.
  func value(_ frame: Frame) throws -> Value
}

/// A local variable.
struct LocalOperand: Operand {
  let slot: Int
  static var isDirect: Bool { true }
  @inline(__always) func int(_ frame: Frame) -> Int? {
    if case .int(let i) = frame.slots[slot] { return i }
    return nil
  }
  @inline(__always) func value(_ frame: Frame) throws -> Value { frame.slots[slot] }
}

/// A top-level variable.
struct GlobalOperand: Operand {
  let slot: Int
  static var isDirect: Bool { true }
  @inline(__always) func int(_ frame: Frame) -> Int? {
    if case .int(let i) = frame.globalSlots[slot] { return i }
    return nil
  }
  @inline(__always) func value(_ frame: Frame) throws -> Value { frame.globalSlots[slot] }
}

/// An int literal.
struct IntOperand: Operand {
  let constant: Int
  static var isDirect: Bool { true }
  @inline(__always) func int(_ frame: Frame) -> Int? { constant }
  @inline(__always) func value(_ frame: Frame) throws -> Value { .int(constant) }
}

/// Anything else: compiled code.
struct CodeOperand: Operand {
  let code: ExprCode
  static var isDirect: Bool { false }
  @inline(__always) func int(_ frame: Frame) -> Int? { nil }
  @inline(__always) func value(_ frame: Frame) throws -> Value { try code(frame) }
}

/// Where `name op= value` stores: a local or a top-level variable's slot.
protocol SlotTarget: Sendable {
  func pointer(_ frame: Frame) -> UnsafeMutablePointer<Value>
}

/// A local variable's slot.
struct LocalTarget: SlotTarget {
  let slot: Int
  @inline(__always) func pointer(_ frame: Frame) -> UnsafeMutablePointer<Value> {
    frame.slots + slot
  }
}

/// A top-level variable's slot.
struct GlobalTarget: SlotTarget {
  let slot: Int
  @inline(__always) func pointer(_ frame: Frame) -> UnsafeMutablePointer<Value> {
    frame.globalSlots + slot
  }
}

/// A binary operator with a fast path for two ints.
protocol IntOperator: SendableMetatype {
  /// The result for two ints; nil to take the general path (on overflow, which it reports).
  static func ints(_ a: Int, _ b: Int) -> Value?
  /// The result for any two values.
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value
}

/// A comparison: conditions use its result as a Bool.
protocol IntComparison: IntOperator {
  static func compare(_ a: Int, _ b: Int) -> Bool
}

extension IntComparison {
  @inline(__always) static func ints(_ a: Int, _ b: Int) -> Value? { .bool(compare(a, b)) }
}

enum AddOperator: IntOperator {
  @inline(__always) static func ints(_ a: Int, _ b: Int) -> Value? {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? nil : .int(sum)
  }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.add(a, b, span: span)
  }
}

enum SubtractOperator: IntOperator {
  @inline(__always) static func ints(_ a: Int, _ b: Int) -> Value? {
    let (difference, overflow) = a.subtractingReportingOverflow(b)
    return overflow ? nil : .int(difference)
  }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.arithmetic(.subtract, a, b, span: span)
  }
}

enum MultiplyOperator: IntOperator {
  @inline(__always) static func ints(_ a: Int, _ b: Int) -> Value? {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : .int(product)
  }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.arithmetic(.multiply, a, b, span: span)
  }
}

enum LessOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a < b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.compare(.less, a, b, span: span)
  }
}

enum LessEqualOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a <= b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.compare(.lessEqual, a, b, span: span)
  }
}

enum GreaterOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a > b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.compare(.greater, a, b, span: span)
  }
}

enum GreaterEqualOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a >= b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value {
    try Operators.compare(.greaterEqual, a, b, span: span)
  }
}

enum EqualOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a == b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value { .bool(a == b) }
}

enum NotEqualOperator: IntComparison {
  @inline(__always) static func compare(_ a: Int, _ b: Int) -> Bool { a != b }
  static func values(_ a: Value, _ b: Value, span: Span) throws -> Value { .bool(a != b) }
}

/// Operator code for a pair of operands.
enum OperatorCode {
  static func value<Op: IntOperator, A: Operand, B: Operand>(
    _: Op.Type, _ a: A, _ b: B, span: Span
  ) -> ExprCode {
    if A.isDirect && B.isDirect {
      return { frame in
        if let i = a.int(frame), let j = b.int(frame), let result = Op.ints(i, j) {
          return result
        }
        return try Op.values(try a.value(frame), try b.value(frame), span: span)
      }
    }
    return { frame in
      let x = try a.value(frame)
      let y = try b.value(frame)
      if case .int(let i) = x, case .int(let j) = y, let result = Op.ints(i, j) { return result }
      return try Op.values(x, y, span: span)
    }
  }

  static func condition<Op: IntComparison, A: Operand, B: Operand>(
    _: Op.Type, _ a: A, _ b: B, span: Span
  ) -> CondCode {
    if A.isDirect && B.isDirect {
      return { frame in
        if let i = a.int(frame), let j = b.int(frame) { return Op.compare(i, j) }
        return try Op.values(try a.value(frame), try b.value(frame), span: span).isTruthy
      }
    }
    return { frame in
      let x = try a.value(frame)
      let y = try b.value(frame)
      if case .int(let i) = x, case .int(let j) = y { return Op.compare(i, j) }
      return try Op.values(x, y, span: span).isTruthy
    }
  }
}

/// An operand as the compiler found it, before it picks the specialized code.
enum OperandSource {
  case local(Int)
  case global(Int)
  case int(Int)
  case code(ExprCode)
}

extension Compiler {
  /// Where an operand comes from: a variable or an int literal directly, anything else as
  /// compiled code.
  func operandSource(_ expr: Expr) -> OperandSource {
    switch expr.kind {
    case .int(let i):
      return .int(i)
    case .name(let name):
      switch lookup(name.text)?.0 {
      case .local(let slot): return .local(slot)
      case .global(let slot): return .global(slot)
      default: return .code(compileExpr(expr))
      }
    default:
      return .code(compileExpr(expr))
    }
  }

  /// `lhs op rhs` as a value, specialized for where the operands come from.
  func operatorValue<Op: IntOperator>(_ op: Op.Type, _ lhs: Expr, _ rhs: Expr, span: Span)
    -> ExprCode
  {
    let a = operandSource(lhs)
    let b = operandSource(rhs)
    switch a {
    case .local(let slot): return Compiler.operatorValue(op, LocalOperand(slot: slot), b, span)
    case .global(let slot): return Compiler.operatorValue(op, GlobalOperand(slot: slot), b, span)
    case .int(let i): return Compiler.operatorValue(op, IntOperand(constant: i), b, span)
    case .code(let code): return Compiler.operatorValue(op, CodeOperand(code: code), b, span)
    }
  }

  private static func operatorValue<Op: IntOperator, A: Operand>(
    _ op: Op.Type, _ a: A, _ b: OperandSource, _ span: Span
  ) -> ExprCode {
    switch b {
    case .local(let slot): OperatorCode.value(op, a, LocalOperand(slot: slot), span: span)
    case .global(let slot): OperatorCode.value(op, a, GlobalOperand(slot: slot), span: span)
    case .int(let i): OperatorCode.value(op, a, IntOperand(constant: i), span: span)
    case .code(let code): OperatorCode.value(op, a, CodeOperand(code: code), span: span)
    }
  }

  /// `lhs op rhs` as a condition, specialized like `operatorValue`.
  func comparison<Op: IntComparison>(_ op: Op.Type, _ lhs: Expr, _ rhs: Expr, span: Span)
    -> CondCode
  {
    let a = operandSource(lhs)
    let b = operandSource(rhs)
    switch a {
    case .local(let slot): return Compiler.comparison(op, LocalOperand(slot: slot), b, span)
    case .global(let slot): return Compiler.comparison(op, GlobalOperand(slot: slot), b, span)
    case .int(let i): return Compiler.comparison(op, IntOperand(constant: i), b, span)
    case .code(let code): return Compiler.comparison(op, CodeOperand(code: code), b, span)
    }
  }

  private static func comparison<Op: IntComparison, A: Operand>(
    _ op: Op.Type, _ a: A, _ b: OperandSource, _ span: Span
  ) -> CondCode {
    switch b {
    case .local(let slot): OperatorCode.condition(op, a, LocalOperand(slot: slot), span: span)
    case .global(let slot): OperatorCode.condition(op, a, GlobalOperand(slot: slot), span: span)
    case .int(let i): OperatorCode.condition(op, a, IntOperand(constant: i), span: span)
    case .code(let code): OperatorCode.condition(op, a, CodeOperand(code: code), span: span)
    }
  }

  /// Code for a condition: comparisons, `and`, `or` and `not` give a Bool without making a
  /// `Value`; anything else is tested for truthiness.
  func compileCondition(_ expr: Expr) -> CondCode {
    let never: CondCode = { _ in false }
    return nested(expr.span, fallback: never) { compileConditionKind(expr) }
  }

  func compileConditionKind(_ expr: Expr) -> CondCode {
    switch expr.kind {
    case .bool(let b):
      return { _ in b }
    case .unary(.not, let operand, _):
      let test = compileCondition(operand)
      return { frame in !(try test(frame)) }
    case .binary(.and, let lhs, let rhs, _):
      let a = compileCondition(lhs)
      let b = compileCondition(rhs)
      return { frame in try a(frame) && (try b(frame)) }
    case .binary(.or, let lhs, let rhs, _):
      let a = compileCondition(lhs)
      let b = compileCondition(rhs)
      return { frame in try a(frame) || (try b(frame)) }
    case .binary(let op, let lhs, let rhs, let opSpan):
      switch op {
      case .less: return comparison(LessOperator.self, lhs, rhs, span: opSpan)
      case .lessEqual: return comparison(LessEqualOperator.self, lhs, rhs, span: opSpan)
      case .greater: return comparison(GreaterOperator.self, lhs, rhs, span: opSpan)
      case .greaterEqual: return comparison(GreaterEqualOperator.self, lhs, rhs, span: opSpan)
      case .equal: return comparison(EqualOperator.self, lhs, rhs, span: opSpan)
      case .notEqual: return comparison(NotEqualOperator.self, lhs, rhs, span: opSpan)
      default: break
      }
    default:
      break
    }
    let code = compileExprKind(expr)
    return { frame in try code(frame).isTruthy }
  }
}
