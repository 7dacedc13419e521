import Foundation
import TestSupport
import Testing

@testable import Remote

/// `PortProbe` against loopback listeners on 127.0.0.60–.61 (never any other address).
@Suite struct PortProbeTests {
  @Test(.timeLimit(.minutes(1))) func openPort() async throws {
    try await blocking {
      let listener = try LoopbackListener(address: "127.0.0.60")
      defer { listener.close() }
      let result = PortProbe.probe(host: "127.0.0.60", port: listener.port, timeout: .seconds(2))
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
      let result = PortProbe.probe(host: "127.0.0.60", port: port, timeout: .seconds(2))
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
        host: "127.0.0.61", port: listener.port, timeout: .milliseconds(300))
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
      let result = PortProbe.probe(host: "no-such-host.invalid", port: 80, timeout: .seconds(2))
      #expect(result.status == .dnsError)
      #expect(result.address == nil)
      #expect(result.message.hasPrefix("cannot resolve no-such-host.invalid: "))
      #expect(Date().timeIntervalSince(started) < 10)
    }
  }

  @Test(.timeLimit(.minutes(1))) func aStopCheckEndsAProbeEarly() async throws {
    try await blocking {
      let listener = try FullBacklogListener(address: "127.0.0.62")
      defer { listener.close() }
      let started = ContinuousClock.now
      let stopAt = started + .milliseconds(300)
      let result = PortProbe.probe(
        host: "127.0.0.62", port: listener.port, timeout: .seconds(20),
        stop: StopCheck { ContinuousClock.now >= stopAt })
      let elapsed = ContinuousClock.now - started
      #expect(result.status == .timeout)
      #expect(elapsed >= .milliseconds(300) && elapsed < .seconds(1), "took \(elapsed)")
    }
  }
}
