import Interpreter
import Testing

@testable import Stdlib

@Suite struct CollectionTests {
  let h = Harness()
  let m = Value.map(["z": .int(1), "a": .int(2)])

  @Test func ranges() throws {
    #expect(try h.call("range", .int(3)) == .ints(0, 1, 2))
    #expect(try h.call("range", .int(2), .int(5)) == .ints(2, 3, 4))
    #expect(try h.call("range", .int(10), .int(0), .int(-3)) == .ints(10, 7, 4, 1))
    #expect(try h.call("range", .int(0)) == .ints())
    #expect(try h.call("range", .int(-2)) == .ints())
    #expect(try h.call("range", .int(0), .int(10), named: [("step", .int(5))]) == .ints(0, 5))
    #expect(try h.call("range", .int(Int.max - 1), .int(Int.max), .int(5)) == .ints(Int.max - 1))
  }

  @Test func rangeErrors() {
    #expect(
      h.error("range", .int(0), .int(5), .int(0))
        == "bad argument #3 to 'range' (step must not be zero)")
    #expect(h.error("range", .s("3")) == "bad argument #1 to 'range' (int expected, got string)")
    #expect(
      h.error("range", .int(Int.min), .int(Int.max)) == "range would have more than 10000000 items")
  }

  @Test func keysValuesItems() throws {
    #expect(try h.call("keys", m) == .strings("z", "a"))
    #expect(try h.call("values", m) == .ints(1, 2))
    #expect(
      try h.call("items", m) == .list([.list([.s("z"), .int(1)]), .list([.s("a"), .int(2)])]))
    #expect(h.error("keys", .ints()) == "bad argument #1 to 'keys' (map expected, got list)")
  }

  @Test func getAndHas() throws {
    #expect(try h.call("get", m, .s("a")) == .int(2))
    #expect(try h.call("get", m, .s("q")) == .nil)
    #expect(try h.call("get", m, .s("q"), .int(7)) == .int(7))
    #expect(try h.call("get", .ints(1, 2), .int(-1)) == .int(2))
    #expect(try h.call("get", .ints(1, 2), .int(5), .s("none")) == .s("none"))
    #expect(try h.call("get", .map(["1": .s("one")]), .int(1)) == .s("one"))
    #expect(try h.call("has", m, .s("z")) == .bool(true))
    #expect(try h.call("has", m, .s("y")) == .bool(false))
    #expect(
      h.error("get", .s("x"), .int(0))
        == "bad argument #1 to 'get' (map or list expected, got string)")
    #expect(h.error("get", m, .nil) == "bad argument #2 to 'get' (string expected, got nil)")
    #expect(
      h.error("get", .ints(), .s("a")) == "bad argument #2 to 'get' (int expected, got string)")
  }

  @Test func containsAndIndexOf() throws {
    #expect(try h.call("contains", .ints(1, 2), .float(2)) == .bool(true))
    #expect(try h.call("contains", .ints(1, 2), .int(3)) == .bool(false))
    #expect(try h.call("contains", m, .s("a")) == .bool(true))
    #expect(try h.call("contains", m, .int(1)) == .bool(false))
    #expect(try h.call("contains", .s("kubeadm init"), .s("init")) == .bool(true))
    #expect(try h.call("contains", .secret(Secret("abc")), .s("b")) == .bool(true))
    #expect(
      h.error("contains", .int(1), .int(1))
        == "bad argument #1 to 'contains' (list, map or string expected, got int)")
    #expect(
      h.error("contains", .s("abc"), .int(1))
        == "bad argument #2 to 'contains' (string expected, got int)")
    #expect(try h.call("index_of", .strings("a", "b", "b"), .s("b")) == .int(1))
    #expect(try h.call("index_of", .strings("a"), .s("z")) == .nil)
    #expect(try h.call("index_of", .s("héllo"), .s("l")) == .int(2))
    #expect(try h.call("index_of", .s("abc"), .s("z")) == .nil)
  }

  @Test func appendExtendMerge() throws {
    #expect(try h.call("append", .ints(1), .ints(2)) == .list([.int(1), .ints(2)]))
    #expect(try h.call("extend", .ints(1), .ints(2, 3)) == .ints(1, 2, 3))
    #expect(
      try h.call("merge", m, .map(["a": .int(9), "b": .int(3)]))
        == .map(["z": .int(1), "a": .int(9), "b": .int(3)]))
    #expect(
      h.error("append", .s("x"), .int(1))
        == "bad argument #1 to 'append' (list expected, got string)")
    #expect(
      h.error("extend", .ints(), .int(1)) == "bad argument #2 to 'extend' (list expected, got int)")
    #expect(h.error("merge", m, .ints()) == "bad argument #2 to 'merge' (map expected, got list)")
  }

  @Test func reshaping() throws {
    #expect(try h.call("reversed", .ints(1, 2, 3)) == .ints(3, 2, 1))
    #expect(try h.call("reversed", .s("abc")) == .s("cba"))
    #expect(
      try h.call("reversed", .secret(Secret("ab", label: "k"))) == .secret(Secret("ba", label: "k"))
    )
    #expect(
      try h.call(
        "unique", .list([.int(1), .float(1), .s("1"), .int(2), .s("1"), .ints(1), .ints(1)]))
        == .list([.int(1), .s("1"), .int(2), .ints(1)]))
    #expect(
      try h.call("flatten", .list([.ints(1, 2), .int(3), .list([.ints(4)])]))
        == .list([.int(1), .int(2), .int(3), .ints(4)]))
    #expect(
      try h.call("enumerate", .strings("a", "b"))
        == .list([.list([.int(0), .s("a")]), .list([.int(1), .s("b")])]))
    #expect(try h.call("enumerate", .strings("a"), .int(1)) == .list([.list([.int(1), .s("a")])]))
    #expect(
      try h.call("zip", .ints(1, 2, 3), .strings("a", "b"))
        == .list([.list([.int(1), .s("a")]), .list([.int(2), .s("b")])]))
    #expect(
      h.error("enumerate", .strings("a", "b"), .int(Int.max)) == "integer overflow in enumerate")
    #expect(
      h.error("reversed", .int(1))
        == "bad argument #1 to 'reversed' (list or string expected, got int)")
  }
}
