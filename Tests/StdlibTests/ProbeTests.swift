import Foundation
import Interpreter
import Testing

import struct Interpreter.Host

@testable import Stdlib

#if canImport(Glibc)
  import Glibc
#endif

/// `probe` and `wait_for_port` against loopback listeners on 127.0.0.60–.63 (never any other
/// address).
@Suite struct ProbeTests {
  @Test(.timeLimit(.minutes(1))) func openPort() async throws {
    try await blocking {
      let listener = try LoopbackListener(address: "127.0.0.60")
      defer { listener.close() }
      let result = PortProbe.probe(
        ProbeTarget(host: "127.0.0.60", port: listener.port), timeout: .seconds(2))
      #expect(result.status == .open)
      #expect(result.address == "127.0.0.60:\(listener.port)")
      #expect(result.latency > .zero && result.latency < .seconds(5))
      #expect(result.message.hasPrefix("127.0.0.60:\(listener.port) is open ("))
    }
  }

  @Test(.timeLimit(.minutes(1))) func closedPortIsRefusedAtOnce() async throws {
    try await blocking {
      let port = try SSHServerFixture.freePort(on: "127.0.0.60")
      let started = Date()
      let result = PortProbe.probe(
        ProbeTarget(host: "127.0.0.60", port: port), timeout: .seconds(2))
      #expect(result.status == .refused)
      #expect(Date().timeIntervalSince(started) < 5)
      #expect(
        result.message == "connection refused by 127.0.0.60:\(port): nothing listens there")
    }
  }

  @Test(.timeLimit(.minutes(1))) func silentPortTimesOutOnTime() async throws {
    try await blocking {
      let listener = try FullBacklogListener(address: "127.0.0.61")
      defer { listener.close() }
      let started = Date()
      let result = PortProbe.probe(
        ProbeTarget(host: "127.0.0.61", port: listener.port), timeout: .milliseconds(300))
      let elapsed = Date().timeIntervalSince(started)
      #expect(result.status == .timeout)
      #expect(elapsed >= 0.29 && elapsed < 5, "took \(elapsed)s")
      #expect(result.latency >= .milliseconds(290) && result.latency < .seconds(5))
      #expect(result.message == "no answer from 127.0.0.61:\(listener.port) within 300ms")
    }
  }

  @Test(.timeLimit(.minutes(1))) func unknownNameIsADNSError() async throws {
    try await blocking {
      let started = Date()
      let result = PortProbe.probe(
        ProbeTarget(host: "no-such-host.invalid", port: 80), timeout: .seconds(2))
      #expect(result.status == .dnsError)
      #expect(result.address == nil)
      #expect(result.message.hasPrefix("cannot resolve no-such-host.invalid: "))
      #expect(Date().timeIntervalSince(started) < 10)
    }
  }

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

/// A TCP listener on a loopback address and a free port (connections are never accepted; the
/// kernel completes them, which is all a probe needs).
final class LoopbackListener: @unchecked Sendable {
  let port: Int
  private let fd: Int32

  init(address: String, port: Int = 0) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, address, &addr.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let fd = self.fd
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else {
      Glibc.close(fd)
      throw FixtureError("cannot listen on \(address):\(port)")
    }
    self.port = Int(UInt16(bigEndian: addr.sin_port))
  }

  func close() { Glibc.close(fd) }
}

/// A listener that starts listening `after` seconds, on a thread of its own.
final class LateListener: @unchecked Sendable {
  private let lock = NSLock()
  private var listener: LoopbackListener?
  private var closed = false

  init(address: String, port: Int, after delay: TimeInterval) {
    let thread = Thread { [self] in
      Thread.sleep(forTimeInterval: delay)
      let made = try? LoopbackListener(address: address, port: port)
      lock.lock()
      if closed { made?.close() } else { listener = made }
      lock.unlock()
    }
    thread.start()
  }

  func close() {
    lock.lock()
    closed = true
    listener?.close()
    listener = nil
    lock.unlock()
  }
}
