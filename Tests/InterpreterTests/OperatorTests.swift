import Lexer
import Testing

@testable import Interpreter

@Suite struct OperatorTests {
  let span = Span(start: 0, end: 1)

  @Test func integerArithmeticChecksOverflow() throws {
    #expect(try Operators.add(.int(2), .int(3), span: span) == .int(5))
    #expect(throws: RuntimeError.self) { try Operators.add(.int(Int.max), .int(1), span: span) }
    #expect(throws: RuntimeError.self) {
      try Operators.arithmetic(.multiply, .int(Int.max), .int(2), span: span)
    }
    #expect(throws: RuntimeError.self) {
      try Operators.arithmetic(.divide, .int(Int.min), .int(-1), span: span)
    }
    #expect(throws: RuntimeError.self) { try Operators.negate(.int(Int.min), span: span) }
  }

  @Test func divisionTruncatesAndRefusesZero() throws {
    #expect(try Operators.arithmetic(.divide, .int(-7), .int(2), span: span) == .int(-3))
    #expect(try Operators.arithmetic(.divide, .int(1), .float(4), span: span) == .float(0.25))
    for zero: Value in [.int(0), .float(0)] {
      #expect(throws: RuntimeError.self) {
        try Operators.arithmetic(.divide, .int(1), zero, span: span)
      }
    }
  }

  @Test func durationArithmetic() throws {
    let second = Value.duration(1_000_000_000)
    #expect(try Operators.add(second, second, span: span) == .duration(2_000_000_000))
    #expect(
      try Operators.arithmetic(.multiply, .int(3), second, span: span) == .duration(3_000_000_000))
    #expect(
      try Operators.arithmetic(.divide, second, .duration(500_000_000), span: span) == .float(2))
    #expect(throws: RuntimeError.self) {
      try Operators.arithmetic(.multiply, .duration(Int64.max), .int(2), span: span)
    }
  }

  @Test func mismatchedTypesNameBoth() {
    do {
      _ = try Operators.add(.string("n="), .int(1), span: span)
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(error.message == "cannot apply '+' to string and int")
      #expect(error.hint?.contains("str(") == true)
      #expect(error.span == span)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func membership() throws {
    #expect(try Operators.contains(.list([.int(1)]), .int(1), span: span))
    #expect(try Operators.contains(.map(["k": .nil]), .string("k"), span: span))
    #expect(try !Operators.contains(.string("kubeadm"), .string("kubectl"), span: span))
  }

  @Test func slicesClampLikePython() throws {
    let xs = Value.list([.int(1), .int(2), .int(3)])
    #expect(
      try Access.slice(xs, lower: .int(1), upper: nil, closed: false, span: span)
        == .list([.int(2), .int(3)]))
    #expect(
      try Access.slice(xs, lower: .int(5), upper: nil, closed: false, span: span) == .list([]))
    #expect(
      try Access.slice(xs, lower: nil, upper: .int(1), closed: true, span: span)
        == .list([.int(1), .int(2)]))
    #expect(
      try Access.slice(xs, lower: .int(-2), upper: nil, closed: false, span: span)
        == .list([.int(2), .int(3)]))
  }
}
