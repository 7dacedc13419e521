import Interpreter
import Testing

@testable import Stdlib

@Suite struct ConversionTests {
  let h = Harness()

  @Test func typeNames() throws {
    #expect(try h.call("type", .int(1)) == .s("int"))
    #expect(try h.call("type", .nil) == .s("nil"))
    #expect(try h.call("type", .seconds(1)) == .s("duration"))
    #expect(try h.call("type", .fn("len")) == .s("function"))
    #expect(try h.call("type", .secret(Secret("x"))) == .s("secret"))
  }

  @Test func lengths() throws {
    #expect(try h.call("len", .ints(1, 2, 3)) == .int(3))
    #expect(try h.call("len", .map(["a": .int(1)])) == .int(1))
    #expect(try h.call("len", .s("héllo")) == .int(5))
    #expect(try h.call("len", .s("🇫🇷")) == .int(1))
    #expect(try h.call("len", .secret(Secret("abcd"))) == .int(4))
    #expect(try h.call("len", .s("")) == .int(0))
  }

  @Test func lengthErrors() {
    #expect(
      h.error("len", .int(3)) == "bad argument #1 to 'len' (list, map or string expected, got int)")
    #expect(
      h.error("len", .nil) == "bad argument #1 to 'len' (list, map or string expected, got nil)")
  }

  @Test func str() throws {
    #expect(try h.call("str", .int(42)) == .s("42"))
    #expect(try h.call("str", .s("x")) == .s("x"))
    #expect(try h.call("str", .float(0.5)) == .s("0.5"))
    #expect(try h.call("str", .strings("a")) == .s("[\"a\"]"))
    #expect(try h.call("str", .secret(Secret("v"))) == .secret(Secret("v")))
  }

  @Test func repr() throws {
    #expect(try h.call("repr", .s("a\"b")) == .s("\"a\\\"b\""))
    #expect(try h.call("repr", .secret(Secret("v", label: "k"))) == .s("<secret k>"))
  }

  @Test func intConversions() throws {
    #expect(try h.call("int", .s(" 42\n")) == .int(42))
    #expect(try h.call("int", .s("-7")) == .int(-7))
    #expect(try h.call("int", .float(3.9)) == .int(3))
    #expect(try h.call("int", .float(-3.9)) == .int(-3))
    #expect(try h.call("int", .bool(true)) == .int(1))
    #expect(try h.call("int", .int(5)) == .int(5))
    #expect(try h.call("int", .s("ff"), .int(16)) == .int(255))
    #expect(try h.call("int", .s("101"), named: [("base", .int(2))]) == .int(5))
  }

  @Test func intErrors() {
    #expect(h.error("int", .s("abc")) == "invalid int: \"abc\"")
    #expect(h.error("int", .s("")) == "invalid int: \"\"")
    #expect(h.error("int", .s("99999999999999999999")) == "invalid int: \"99999999999999999999\"")
    #expect(h.error("int", .float(.nan)) == "cannot convert nan to int")
    #expect(h.error("int", .float(1e300)) == "cannot convert 1e+300 to int")
    #expect(
      h.error("int", .seconds(1))
        == "bad argument #1 to 'int' (string, float or bool expected, got duration)")
    #expect(h.runtimeError("int", .seconds(1))?.hint?.contains("seconds(d)") == true)
    #expect(
      h.error("int", .list([]))
        == "bad argument #1 to 'int' (string, float or bool expected, got list)")
    #expect(
      h.error("int", .s("1"), .int(1))
        == "bad argument #2 to 'int' (base must be between 2 and 36, got 1)")
    #expect(
      h.error("int", .float(1), .int(16)) == "bad argument #1 to 'int' (string expected, got float)"
    )
  }

  @Test func floatConversions() throws {
    #expect(try h.call("float", .int(2)) == .float(2))
    #expect(try h.call("float", .s("1.5")) == .float(1.5))
    #expect(try h.call("float", .s("1e3")) == .float(1000))
    #expect(try h.call("float", .bool(false)) == .float(0))
    #expect(h.error("float", .s("x1")) == "invalid float: \"x1\"")
    #expect(
      h.error("float", .nil) == "bad argument #1 to 'float' (string, int or bool expected, got nil)"
    )
  }

  @Test func boolConversions() throws {
    #expect(try h.call("bool", .s("yes")) == .bool(true))
    #expect(try h.call("bool", .s("False")) == .bool(false))
    #expect(try h.call("bool", .s("off")) == .bool(false))
    #expect(try h.call("bool", .int(0)) == .bool(false))
    #expect(try h.call("bool", .ints(1)) == .bool(true))
    #expect(try h.call("bool", .nil) == .bool(false))
    #expect(h.error("bool", .s("maybe")) == "invalid bool: \"maybe\"")
  }

  @Test func resultsStandForTheirStdout() throws {
    let result = Value.result(
      CommandResult(host: "h", command: "c", stdout: "12\n", stderr: "", exitStatus: 0, duration: 0)
    )
    #expect(try h.call("int", result) == .int(12))
    #expect(try h.call("len", result) == .int(3))
    #expect(try h.call("str", result) == .s("12\n"))
  }
}
