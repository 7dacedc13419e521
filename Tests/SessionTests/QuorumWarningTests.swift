import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// `haflow run` warns before its first command when its inventory has an even number of
/// control-plane or etcd hosts (etcd's quorum), once per group, on the output and as an
/// event, whatever names the playbook uses for the groups.
@Suite struct QuorumWarningTests {
  static func inventory(controlPlanes: Int, etcd: Int) -> Inventory {
    Inventory(
      hosts: (1...controlPlanes).map {
        Host(name: "cp\($0)", connection: .local, groups: ["control_plane"])
      } + (0..<etcd).map { Host(name: "e\($0 + 1)", connection: .local, groups: ["etcd"]) })
  }

  static func run(_ inventory: Inventory, _ source: String) async throws -> (
    warnings: [String], events: [RunEvent], printed: [String]
  ) {
    let events = Recorded()
    let log = RunEventLog()
    log.addListener { events.append($0) }
    var options = RunOptions(params: [:], environment: [:], inventory: inventory)
    options.events = log
    let given = options
    let sink = RecordingSink()
    let outcome = try await blocking {
      Driver(sink: sink).run(source: source, name: "<test>", options: given)
    }
    #expect(outcome.runtimeError == nil)
    let warnings = sink.events.compactMap { event -> String? in
      if case .warning(let text, _) = event { text } else { nil }
    }
    return (warnings, events.all, sink.printed)
  }

  @Test func anEvenControlPlaneWarnsOnceAtRunStartSayingWhy() async throws {
    // The playbook names the group through a variable: the check cannot see it, the run can.
    let (warnings, events, printed) = try await Self.run(
      Self.inventory(controlPlanes: 4, etcd: 3),
      """
      let name = "control" + "_plane"
      on name { print("up") }
      on name { print("again") }
      """)
    #expect(warnings.count == 1, "\(warnings)")
    #expect(
      warnings.first?.hasPrefix(
        "group 'control_plane' has 4 hosts: etcd needs a majority (its quorum), so 4 members "
          + "survive 1 failure, no more than 3 would; use an odd number (3 or 5)") == true,
      "\(warnings)")
    let warningEvents = events.filter { $0.kind == .warning }
    #expect(warningEvents.count == 1)
    #expect(warningEvents.first.map { "\($0.jsonLine)" }?.contains("its quorum") == true)
    // Before the first command: the warning comes before any output.
    let first = events.firstIndex { $0.kind == .warning }
    let output = events.firstIndex { $0.kind == .print || $0.kind == .commandStart }
    #expect(first != nil && output != nil && first! < output!)
    #expect(printed.count == 8)
  }

  @Test func evenEtcdAndEvenControlPlaneWarnEachAndOddOnesNot() async throws {
    let (both, _, _) = try await Self.run(
      Self.inventory(controlPlanes: 2, etcd: 4), "print(1)")
    #expect(both.count == 2)
    #expect(both.contains { $0.hasPrefix("group 'etcd' has 4 hosts") })
    #expect(both.contains { $0.hasPrefix("group 'control_plane' has 2 hosts") })
    let (none, _, _) = try await Self.run(Self.inventory(controlPlanes: 3, etcd: 5), "print(1)")
    #expect(none.isEmpty)
    let (single, _, _) = try await Self.run(Self.inventory(controlPlanes: 1, etcd: 0), "print(1)")
    #expect(single.isEmpty)
  }
}
