import Interpreter
import Testing

import struct Interpreter.Host

@testable import Stdlib

@Suite struct OutputTests {
  @Test func printJoinsDisplayedValues() throws {
    let h = Harness()
    _ = try h.call("print", .s("a"), .int(1), .strings("x"), .seconds(90), .float(1.5), .nil)
    #expect(h.sink.printed == ["a 1 [\"x\"] 1m30s 1.5 nil"])
  }

  @Test func printWithoutValuesPrintsAnEmptyLine() throws {
    let h = Harness()
    _ = try h.call("print")
    #expect(h.sink.printed == [""])
  }

  @Test func printRedactsSecrets() throws {
    let h = Harness()
    _ = try h.call("print", .secret(Secret("hunter2", label: "pw")))
    #expect(h.sink.printed == ["<secret pw>"])
  }

  @Test func logAndWarnCarryTheHost() throws {
    var h = Harness()
    h.currentHost = Host(name: "cp1")
    _ = try h.call("log", .s("hello"), .int(2))
    _ = try h.call("warn", .s("careful"))
    let events = h.sink.events
    guard case .log(let text, let host) = events[0],
      case .warning(let warning, let whost) = events[1]
    else {
      Issue.record("unexpected events \(events)")
      return
    }
    #expect(text == "hello 2" && host == "cp1")
    #expect(warning == "careful" && whost == "cp1")
  }

  @Test func logOutsideOnHasNoHost() throws {
    let h = Harness()
    _ = try h.call("log", .s("x"))
    guard case .log(_, let host) = h.sink.events.first else {
      Issue.record("no log event")
      return
    }
    #expect(host == nil)
  }

  @Test func failThrowsAFailure() {
    let error = Harness().runtimeError("fail", .s("the load balancer is down"))
    #expect(error?.kind == .failure)
    #expect(error?.message == "the load balancer is down")
  }

  @Test func failShowsNonStrings() {
    #expect(Harness().error("fail", .ints(1, 2)) == "[1, 2]")
  }

  @Test func assertPassesOnTruthy() throws {
    #expect(try Harness().call("assert", .int(1)) == .nil)
    #expect(try Harness().call("assert", .s("x"), .s("msg")) == .nil)
  }

  @Test func assertFails() {
    let h = Harness()
    let plain = h.runtimeError("assert", .bool(false))
    #expect(plain?.kind == .assertion)
    #expect(plain?.message == "assertion failed")
    #expect(h.error("assert", .list([]), .s("no hosts")) == "assertion failed: no hosts")
    #expect(h.error("assert", .nil, named: [("message", .int(3))]) == "assertion failed: 3")
  }
}
