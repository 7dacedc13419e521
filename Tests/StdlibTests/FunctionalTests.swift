import Interpreter
import Testing

@testable import Stdlib

@Suite struct FunctionalTests {
  let h = Harness()

  @Test func sortsNumbersStringsAndDurations() throws {
    #expect(
      try h.call("sorted", .list([.int(3), .float(1.5), .int(2)]))
        == .list([.float(1.5), .int(2), .int(3)]))
    #expect(try h.call("sorted", .strings("b", "a", "C")) == .strings("C", "a", "b"))
    #expect(
      try h.call("sorted", .list([.seconds(3), .seconds(1)])) == .list([.seconds(1), .seconds(3)]))
    #expect(
      try h.call("sorted", .list([.ints(1, 2), .ints(1), .ints(0, 9)]))
        == .list([.ints(0, 9), .ints(1), .ints(1, 2)]))
    #expect(try h.call("sorted", .ints()) == .ints())
  }

  @Test func sortsWithKeyAndReverseStably() throws {
    let words = Value.strings("ccc", "a", "bb", "d")
    #expect(try h.call("sorted", words, .fn("len")) == .strings("a", "d", "bb", "ccc"))
    #expect(
      try h.call("sorted", words, named: [("key", .fn("len")), ("reverse", .bool(true))])
        == .strings("ccc", "bb", "a", "d"))
    #expect(
      try h.call("sorted", .ints(1, 3, 2), named: [("reverse", .bool(true))]) == .ints(3, 2, 1))
  }

  @Test func sortsManyItems() throws {
    let items = (0..<1000).map { Value.int(($0 * 7919) % 1000) }
    #expect(try h.call("sorted", .list(items)) == .list((0..<1000).map { .int($0) }))
  }

  @Test func sortErrors() {
    #expect(
      h.error("sorted", .list([.int(1), .s("a")]))
        == "bad argument #1 to 'sorted' (cannot compare string and int)")
    #expect(
      h.error("sorted", .s("abc")) == "bad argument #1 to 'sorted' (list expected, got string)")
    #expect(
      h.error("sorted", .ints(1), .int(3))
        == "bad argument #2 to 'sorted' (function expected, got int)")
    #expect(
      h.error("sorted", .ints(1), named: [("reverse", .int(1))])
        == "bad argument #3 to 'sorted' (bool expected, got int)")
    #expect(
      h.error("sorted", .list([.ints(1), .int(1)]), .fn("len"))
        == "bad argument #1 to 'len' (list, map or string expected, got int)")
  }

  @Test func mapAndFilter() throws {
    #expect(try h.call("map", .strings("a", "bb"), .fn("len")) == .ints(1, 2))
    #expect(
      try h.call("filter", .list([.int(0), .s(""), .s("yes"), .int(2)]), .fn("bool"))
        == .list([.s("yes"), .int(2)]))
    #expect(
      h.error("map", .ints(1), .s("len"))
        == "bad argument #2 to 'map' (function expected, got string)")
    #expect(
      h.error("filter", .int(1), .fn("len"))
        == "bad argument #1 to 'filter' (list expected, got int)")
  }

  @Test func anyAndAll() throws {
    #expect(try h.call("any", .list([.int(0), .nil])) == .bool(false))
    #expect(try h.call("any", .list([.int(0), .int(1)])) == .bool(true))
    #expect(try h.call("any", .ints()) == .bool(false))
    #expect(try h.call("all", .ints()) == .bool(true))
    #expect(try h.call("all", .ints(1, 0)) == .bool(false))
    #expect(try h.call("all", .strings("a", "b"), .fn("len")) == .bool(true))
    #expect(try h.call("any", .strings("", ""), .fn("len")) == .bool(false))
  }
}
