import Interpreter
import Testing

@testable import Stdlib

@Suite struct NumberTests {
  let h = Harness()

  @Test func minAndMax() throws {
    #expect(try h.call("min", .int(3), .int(1), .int(2)) == .int(1))
    #expect(try h.call("max", .ints(3, 9, 2)) == .int(9))
    #expect(try h.call("max", .int(1), .float(1.5)) == .float(1.5))
    #expect(try h.call("min", .strings("b", "a")) == .s("a"))
    #expect(try h.call("max", .seconds(1), .seconds(2)) == .seconds(2))
    #expect(try h.call("min", .int(4)) == .int(4))
  }

  @Test func minAndMaxErrors() {
    #expect(h.error("min", .ints()) == "bad argument #1 to 'min' (empty list)")
    #expect(h.error("max") == "bad argument #1 to 'max' (empty list)")
    #expect(
      h.error("max", .int(1), .s("a")) == "bad argument #1 to 'max' (cannot compare string and int)"
    )
  }

  @Test func sums() throws {
    #expect(try h.call("sum", .ints(1, 2, 3)) == .int(6))
    #expect(try h.call("sum", .ints()) == .int(0))
    #expect(try h.call("sum", .list([.int(1), .float(0.5)])) == .float(1.5))
    #expect(try h.call("sum", .list([.seconds(1), .seconds(2)])) == .seconds(3))
    #expect(try h.call("sum", .ints(1), .int(10)) == .int(11))
  }

  @Test func sumErrors() {
    #expect(h.error("sum", .ints(Int.max, 1)) == "integer overflow in sum")
    #expect(
      h.error("sum", .list([.duration(Int64.max), .duration(1)])) == "duration overflow in sum")
    #expect(h.error("sum", .strings("a")) == "bad argument #1 to 'sum' (cannot add string to int)")
    #expect(
      h.error("sum", .list([.int(1), .seconds(1)]))
        == "bad argument #1 to 'sum' (cannot add duration to int)")
  }

  @Test func absAndRound() throws {
    #expect(try h.call("abs", .int(-3)) == .int(3))
    #expect(try h.call("abs", .float(-0.5)) == .float(0.5))
    #expect(try h.call("abs", .seconds(-2)) == .seconds(2))
    #expect(h.error("abs", .int(Int.min)) == "integer overflow in abs(-9223372036854775808)")
    #expect(
      h.error("abs", .s("1"))
        == "bad argument #1 to 'abs' (number or duration expected, got string)")
    #expect(try h.call("round", .float(2.5)) == .int(3))
    #expect(try h.call("round", .float(-2.5)) == .int(-3))
    #expect(try h.call("round", .float(3.14159), .int(2)) == .float(3.14))
    #expect(try h.call("round", .int(7)) == .int(7))
    #expect(h.error("round", .float(.infinity)) == "cannot convert inf to int")
    #expect(
      h.error("round", .float(1), .int(99))
        == "bad argument #2 to 'round' (digits must be between 0 and 15, got 99)")
  }
}
