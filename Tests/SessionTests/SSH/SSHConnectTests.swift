import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session
@testable import Stdlib

#if canImport(Glibc)
  import Glibc
#endif

/// Connection failures that need no server.
@Suite struct SSHConnectTests {
  @Test func nothingListeningIsRefusedFast() async throws {
    try await blocking {
      let port = try SSHServerFixture.freePort(on: "127.0.0.9")
      var configuration = SSHConfiguration(environment: ["HOME": "/nonexistent"])
      configuration.connectTimeout = .seconds(5)
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let started = ContinuousClock.now
      let message =
        errorMessage {
          _ = try executor.run("true", on: Host(name: "down", address: "127.0.0.9", port: port))
        } ?? ""
      let elapsed = ContinuousClock.now - started
      print("refused after \(elapsed): \(message)")
      #expect(message.contains("connection refused by down (127.0.0.9:\(port))"))
      #expect(elapsed < .seconds(5), "refused, not waiting for the 10 s connect timeout")
    }
  }

  @Test func blackholedPortHonoursTheConnectTimeout() async throws {
    try await blocking {
      let listener = try FullBacklogListener(address: "127.0.0.9")
      defer { listener.close() }
      var configuration = SSHConfiguration(environment: ["HOME": "/nonexistent"])
      configuration.connectTimeout = .milliseconds(1500)
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let started = ContinuousClock.now
      let message =
        errorMessage {
          _ = try executor.run(
            "true", on: Host(name: "hole", address: "127.0.0.9", port: listener.port))
        } ?? ""
      let elapsed = ContinuousClock.now - started
      print("blackhole gave up after \(elapsed): \(message)")
      #expect(
        message.contains("could not connect to hole (127.0.0.9:\(listener.port)) within 1s500ms"))
      #expect(elapsed >= .milliseconds(1400))
      #expect(elapsed < .seconds(6))
    }
  }

  @Test func unresolvableNameIsReported() async throws {
    try await blocking {
      let executor = SSHExecutor(configuration: SSHConfiguration(environment: ["HOME": "/x"]))
      defer { executor.close() }
      let message =
        errorMessage {
          _ = try executor.run("true", on: Host(name: "ghost", address: "no-such-host.invalid"))
        } ?? ""
      #expect(message.hasPrefix("cannot resolve no-such-host.invalid"))
    }
  }

  @Test func localHostsGoToTheLocalExecutor() async throws {
    try await blocking {
      let executor = SSHExecutor(configuration: SSHConfiguration(environment: ["HOME": "/x"]))
      defer { executor.close() }
      let local = Host(name: "localhost", connection: .local)
      #expect(try executor.run("echo here", on: local).stdout == "here\n")
      let none = try executor.run(
        CommandRequest(command: CommandValue([.raw("echo none")]), host: nil),
        sink: RecordingSink())
      #expect(none.stdout == "none\n")
      #expect(none.host == "local")
    }
  }
}
