import Foundation
import Interpreter
import Testing

import struct Interpreter.Host

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
      let local = Host(name: "localhost", connection: "local")
      #expect(try executor.run("echo here", on: local).stdout == "here\n")
      let none = try executor.run(
        CommandRequest(command: CommandValue([.raw("echo none")]), host: nil),
        sink: RecordingSink())
      #expect(none.stdout == "none\n")
      #expect(none.host == "local")
    }
  }
}

/// A loopback listener whose accept queue is full, so further connection attempts get no
/// answer at all: the closest thing to a host that drops packets.
final class FullBacklogListener: @unchecked Sendable {
  let port: Int
  private let fd: Int32
  private var fillers: [Int32] = []

  init(address: String) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    self.fd = fd
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, address, &addr.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else { throw FixtureError("cannot listen on \(address)") }
    port = Int(UInt16(bigEndian: addr.sin_port))
    // Fill the queue: these connect (or hang) and are never accepted.
    for _ in 0..<4 {
      let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
      var target = sockaddr_in()
      target.sin_family = sa_family_t(AF_INET)
      target.sin_port = UInt16(port).bigEndian
      inet_pton(AF_INET, address, &target.sin_addr)
      _ = withUnsafePointer(to: &target) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      fillers.append(filler)
    }
    usleep(100_000)
  }

  func close() {
    for filler in fillers { Glibc.close(filler) }
    fillers = []
    Glibc.close(fd)
  }
}
