import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session
@testable import Stdlib

/// `haflow exec`'s engine: host patterns, and one command on many hosts with a fork limit.
@Suite(.sshServer(address: "127.0.0.11"))
struct SSHAdHocTests {
  static let inventory = Inventory(hosts: [
    Host(name: "cp1", groups: ["control_plane", "k8s"]),
    Host(name: "cp2", groups: ["control_plane", "k8s"]),
    Host(name: "w1", groups: ["workers", "k8s"]),
    Host(name: "lb", groups: ["lbs"]),
  ])

  static func names(_ pattern: String) throws -> [String] {
    try AdHocRun.select(pattern, in: inventory).map(\.name)
  }

  /// exec chooses hosts with the pattern language `on` uses (tested in HostSelectorTests).
  @Test func patternsAreTheLanguageOnUses() throws {
    for pattern in ["all", "workers,cp1", "k8s:!cp2", "!lb", "lb", "k8s:&control_plane", "k8s[1:]"]
    {
      #expect(
        try Self.names(pattern) == HostSelector.select(pattern, in: Self.inventory).map(\.name))
    }
    #expect(try Self.names("workers,cp1") == ["w1", "cp1"])
    let error = #expect(throws: RuntimeError.self) { try Self.names("worker") }
    #expect(error?.message == "unknown host or group 'worker'")
    #expect(error?.hint == "did you mean 'workers'?")
  }

  @Test func oneCommandOnManyHostsWithAForkLimit() async throws {
    let server = try SSHServerFixture.require()
    let hosts =
      (1...6).map { server.host("n\($0)") } + [
        Host(name: "down", address: server.address, port: 1, user: "root")
      ]
    let (outcomes, most) = try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sink = ConcurrencySink()
      let request = CommandRequest(
        command: CommandValue([.raw("sleep 0.2; echo \"$0\"; echo err >&2; exit 0")]), host: nil)
      let outcomes = AdHocRun.run(request, on: hosts, executor: executor, forks: 2, sink: sink)
      return (outcomes, sink.most)
    }
    #expect(outcomes.map(\.host.name) == hosts.map(\.name))
    #expect(
      outcomes.prefix(6).allSatisfy { $0.ok && $0.result?.stderr == "err\n" },
      "\(outcomes.prefix(6).map { "\($0.host.name): \($0.error?.message ?? $0.result?.stderr ?? "")" })"
    )
    #expect(outcomes.last?.result == nil)
    #expect(outcomes.last?.error?.message.contains("connection refused") == true)
    // Never more than the limit; the figure is printed (a loaded machine may overlap less).
    #expect(most >= 1 && most <= 2, "at most \(most) commands at once with --forks 2")
    print("--forks 2 over 7 hosts: at most \(most) at once")
  }
}

/// Measures how many commands run at once.
final class ConcurrencySink: OutputSink {
  private let running = Mutex((now: 0, most: 0))
  /// The most commands that ran at once.
  var most: Int { running.withLock { $0.most } }
  func emit(_ event: OutputEvent) {
    switch event {
    case .commandStarted:
      running.withLock {
        $0.now += 1
        $0.most = max($0.most, $0.now)
      }
    case .commandFinished: running.withLock { $0.now -= 1 }
    default: break
    }
  }
}
