import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

#if canImport(Glibc)
  import Glibc
#endif

/// `probe` and `wait_for_port` against loopback listeners on 127.0.0.60–.63 (never any other
/// address).
@Suite struct ProbeTests {
  @Test func targets() throws {
    #expect(
      try ProbeTarget.parse("lb.example.com:6443", port: nil)
        == .init(host: "lb.example.com", port: 6443))
    #expect(try ProbeTarget.parse("[::1]:22", port: nil) == .init(host: "::1", port: 22))
    #expect(try ProbeTarget.parse("::1", port: 22) == .init(host: "::1", port: 22))
    #expect(try ProbeTarget.parse(" 10.0.0.1 ", port: 443) == .init(host: "10.0.0.1", port: 443))
    #expect(ProbeTarget(host: "::1", port: 22).display == "[::1]:22")
    let bad: [(String, Int?, String)] = [
      ("", nil, "empty address"),
      ("lb", nil, "no port in \"lb\": write host:port, [v6]:port, or pass the port"),
      ("lb:0", nil, "invalid port in \"lb:0\": expected 1–65535"),
      ("lb:http", nil, "invalid port in \"lb:http\": expected 1–65535"),
      ("lb:6443", 6443, "\"lb:6443\" already names a port; leave out the port argument"),
      ("[::1", nil, "missing ']' in \"[::1\""),
      (":22", nil, "invalid host in \":22\""),
      ("lb", 70000, "invalid port 70000: expected 1–65535"),
    ]
    for (text, port, message) in bad {
      #expect(throws: ProbeTargetError(message)) { try ProbeTarget.parse(text, port: port) }
    }
  }

  @Test(.timeLimit(.minutes(1))) func builtinReturnsTheMap() async throws {
    try await blocking {
      let listener = try LoopbackListener(address: "127.0.0.60")
      defer { listener.close() }
      var h = Harness()
      h.inventory = Inventory(hosts: [Host(name: "lb", address: "127.0.0.60")])
      let value = try h.call("probe", .s("127.0.0.60:\(listener.port)"))
      guard case .map(let map) = value else {
        Issue.record("probe returned \(value)")
        return
      }
      #expect(
        Array(map.keys) == ["status", "open", "latency", "address", "host", "port", "message"])
      #expect(map["status"] == .s("open") && map["open"] == .bool(true))
      #expect(map["host"] == .s("127.0.0.60") && map["port"] == .int(listener.port))
      // An inventory host, by value or by name, with a separate port.
      let byName = try h.call("probe", .s("lb"), .int(listener.port))
      let byValue = try h.call(
        "probe", .host(Host(name: "lb", address: "127.0.0.60")), .int(listener.port),
        named: [("timeout", .duration(500_000_000))])
      for result in [byName, byValue] {
        guard case .map(let map) = result else { continue }
        #expect(map["address"] == .s("127.0.0.60:\(listener.port)"))
      }
    }
  }

  @Test func argumentErrors() {
    let h = Harness()
    #expect(
      h.error("probe", .s("lb"))
        == "bad argument #1 to 'probe' (no port in \"lb\": write host:port, [v6]:port, or pass the port)"
    )
    #expect(
      h.error("probe", .int(3)) == "bad argument #1 to 'probe' (string or host expected, got int)")
    #expect(
      h.error("probe", .s("lb"), .int(0))
        == "bad argument #2 to 'probe' (invalid port 0: expected 1–65535)")
    #expect(
      h.error("probe", .s("lb:1"), named: [("timeout", .duration(0))])
        == "bad argument #3 to 'probe' (must be positive)")
    #expect(
      h.error("probe", .s("lb:1"), named: [("timeout", .int(2))])
        == "bad argument #3 to 'probe' (duration expected, got int)")
    #expect(
      h.error("probe", .host(Host(name: "cp1")))
        == "bad argument #2 to 'probe' (a port is needed with a host)")
    #expect(
      h.error("wait_for_port", .s("lb:1"), named: [("every", .duration(-1))])
        == "bad argument #4 to 'wait_for_port' (must be positive)")
  }

  @Test(.timeLimit(.minutes(1))) func waitFindsALateListener() async throws {
    try await blocking {
      let port = try SSHServerFixture.freePort(on: "127.0.0.62")
      let late = LateListener(address: "127.0.0.62", port: port, after: 0.3)
      defer { late.close() }
      let started = Date()
      let value = try Harness().call(
        "wait_for_port", .s("127.0.0.62:\(port)"),
        named: [("timeout", .seconds(10)), ("every", .duration(100_000_000))])
      let elapsed = Date().timeIntervalSince(started)
      guard case .map(let map) = value else {
        Issue.record("wait_for_port returned \(value)")
        return
      }
      #expect(map["status"] == .s("open"))
      #expect(elapsed >= 0.25 && elapsed < 10, "took \(elapsed)s")
    }
  }

  @Test(.timeLimit(.minutes(1))) func waitGivesUpWithAClearError() async throws {
    try await blocking {
      let port = try SSHServerFixture.freePort(on: "127.0.0.63")
      let started = Date()
      let error = Harness().runtimeError(
        "wait_for_port", .s("127.0.0.63:\(port)"),
        named: [("timeout", .seconds(1)), ("every", .duration(200_000_000))])
      let elapsed = Date().timeIntervalSince(started)
      let message = error?.message ?? ""
      #expect(
        message.hasPrefix(
          "127.0.0.63:\(port) did not open within 1s: the last probe was refused "
            + "(connection refused by 127.0.0.63:\(port): nothing listens there); waited 1s"),
        "\(message)")
      #expect(message.hasSuffix(" probes"))
      #expect(error?.hint?.contains("nothing listens") == true)
      #expect(elapsed >= 0.95 && elapsed < 8, "took \(elapsed)s")
    }
  }
}
