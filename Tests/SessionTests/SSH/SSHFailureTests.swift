import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

#if canImport(Glibc)
  import Glibc
#endif

/// Timeouts and lost connections.
@Suite(.sshServer(address: "127.0.0.4"), .serialized, .enabled(if: TestUsers.canCreate))
struct SSHFailureTests {
  @Test func timeoutKillsTheRemoteProcessGroup() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let marker = "haflow-timeout-\(UInt32.random(in: 0...UInt32.max))"
      // `sleep 100`, with digits that make it findable among this machine's processes.
      let sleep = "sleep 100.\(UInt32.random(in: 100_000...999_999))"
      let sink = RecordingSink()
      let started = ContinuousClock.now
      try TestUsers.ensure()
      let r = try executor.run(
        "echo started; \(sleep) # \(marker)\nsleep 101", on: server.host(user: TestUsers.sudoer),
        timeout: 1_000_000_000, sink: sink)
      let elapsed = ContinuousClock.now - started
      print("timeout returned after \(elapsed)")
      #expect(r.exitStatus == 124)
      #expect(r.stdout == "started\n")
      #expect(r.stderr.hasSuffix("timed out after 1s\n"))
      #expect(elapsed < .seconds(15))
      #expect(sink.outputLines.contains { $0 == ("timed out after 1s", true) })
      // The remote shell and its sleep are gone.
      let deadline = Date().addingTimeInterval(2)
      while !ProcessTree.matching(sleep).isEmpty && Date() < deadline { usleep(50_000) }
      #expect(ProcessTree.matching(sleep) == [])
      #expect(ProcessTree.matching(marker) == [])
      // The session is still usable.
      #expect(
        try executor.run("echo after", on: server.host(user: TestUsers.sudoer)).stdout == "after\n")
    }
  }

  @Test func processThatIgnoresTermIsKilled() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let started = ContinuousClock.now
      try TestUsers.ensure()
      let r = try executor.run(
        "trap '' TERM; echo ready; while :; do sleep 0.1; done",
        on: server.host(user: TestUsers.sudoer), timeout: 500_000_000)
      let elapsed = ContinuousClock.now - started
      print("TERM ignored: returned after \(elapsed)")
      #expect(r.exitStatus == 124)
      // timeout + TERM + grace (0.5 s here) + KILL, each signal on a channel of its own.
      #expect(elapsed < .seconds(20))
    }
  }

  @Test func timeoutReachesAProcessThatClosedItsOutput() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let marker = "haflow-closed-\(UInt32.random(in: 0...UInt32.max))"
      let started = ContinuousClock.now
      let r = try executor.run(
        "exec >/dev/null 2>&1; sleep 55 # \(marker)\nsleep 56",
        on: server.host(user: TestUsers.sudoer), timeout: 700_000_000)
      #expect(r.exitStatus == 124)
      #expect(ContinuousClock.now - started < .seconds(15))
      let deadline = Date().addingTimeInterval(2)
      while !ProcessTree.matching(marker).isEmpty && Date() < deadline { usleep(50_000) }
      #expect(ProcessTree.matching(marker) == [])
    }
  }

  @Test func connectionCutMidCommandFailsThatCommandCleanly() async throws {
    let server = try SSHServerFixture.require()
    try await blocking { () throws in
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("cut")
      #expect(try executor.run("echo before", on: host).stdout == "before\n")
      let killer = Thread {
        usleep(500_000)
        server.killConnections()
      }
      killer.start()
      let started = ContinuousClock.now
      let message = errorMessage { _ = try executor.run("echo going; sleep 30", on: host) } ?? ""
      let elapsed = ContinuousClock.now - started
      print("cut: \(elapsed): \(message)")
      #expect(message.contains("lost the connection to cut (\(server.address):\(server.port))"))
      #expect(elapsed < .seconds(20))
      // The next command reconnects.
      #expect(try executor.run("echo after", on: host).stdout == "after\n")
    }
  }

  @Test func deadIdleSessionIsReopenedTransparently() async throws {
    let server = try SSHServerFixture.require()
    try await blocking { () throws in
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("idle")
      #expect(try executor.run("echo one", on: host).stdout == "one\n")
      server.killConnections()
      usleep(200_000)
      #expect(try executor.run("echo two", on: host).stdout == "two\n")
    }
  }

  @Test func interruptTerminatesRemoteCommands() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("int")
      _ = try executor.session(for: host)
      let stopper = Thread {
        usleep(700_000)
        executor.terminateRunningCommands()
      }
      stopper.start()
      let started = ContinuousClock.now
      let r = try executor.run("echo up; sleep 60", on: host)
      #expect(r.exitStatus == 143)
      #expect(ContinuousClock.now - started < .seconds(20))
    }
  }
}
