import Foundation
import Interpreter
import Session
import Synchronization
import TestSupport
import Testing

/// A run's events as values (`RunEventLog`), their JSON lines, the recap made from them
/// (`RecapBuilder`) and step selection (`StepFilter`), on local runs through the `Driver`.
/// The same on SSH hosts, end to end, is in `HaflowCLITests` (`RunEventsTests`).
@Suite struct RunEventTests {
  /// Three hosts that run here (connection local), as a parallel `on` sees hosts.
  static let inventory = Inventory(
    hosts: ["a", "b", "c"].map { Host(name: $0, connection: .local, groups: ["g"]) })

  /// Runs `source` with an event log; returns the outcome, the events and the recap.
  static func run(
    _ source: String, params: [String: ParamInput] = [:], selection: StepFilter? = nil
  ) async throws -> (RunOutcome, [RunEvent], RunRecap) {
    let events = Recorded()
    let log = RunEventLog()
    let recap = RecapBuilder()
    log.addListener(recap.observe)
    log.addListener { events.append($0) }
    var options = RunOptions(params: params, environment: [:], inventory: inventory)
    options.events = log
    options.selection = selection
    let given = options
    let outcome = try await blocking {
      Driver(sink: RecordingSink()).run(source: source, name: "<test>", options: given)
    }
    return (outcome, events.all, recap.recap)
  }

  @Test func aJSONLineHasItsKeysInOrderEscapedAndTimedToTheMicrosecond() {
    let event = RunEvent(
      .output, time: Date(timeIntervalSince1970: 1_765_080_000.25), step: "say \"hi\"",
      host: "cp1",
      fields: [.init("stream", .string("stdout")), .init("line", .string("a\tb\u{1}\\"))])
    #expect(
      event.jsonLine
        == #"{"time":"2025-12-07T04:00:00.250000Z","event":"output","step":"say \"hi\"","host":"cp1","stream":"stdout","line":"a\tb\u0001\\"}"#
    )
    let end = RunEvent(
      .commandEnd, time: Date(timeIntervalSince1970: 0),
      fields: [
        .init("exit_status", .int(3)), .init("duration_ms", .milliseconds(1_234_567)),
        .init("changed", .bool(false)), .init("hosts", .strings(["a", "b"])),
      ])
    #expect(
      end.jsonLine
        == #"{"time":"1970-01-01T00:00:00.000000Z","event":"command_end","exit_status":3,"duration_ms":1.235,"changed":false,"hosts":["a","b"]}"#
    )
  }

  @Test func eventsCarryTheirStepAndHostAndNeverASecret() async throws {
    let (outcome, events, recap) = try await Self.run(
      """
      param tok: secret
      step "say" on "a" { `echo "token ${tok}"` }
      log("outside")
      """, params: ["tok": .text("very-secret-value-42")])
    #expect(outcome.runtimeError == nil)
    #expect(
      events.map(\.kind.rawValue) == [
        "run_start", "step_start", "command_start", "output", "command_end", "host_end",
        "step_end", "log", "run_end",
      ])
    let output = try #require(events.first { $0.kind == .output })
    #expect(output.step == "say" && output.host == "a")
    #expect(output["line"] == .string("token <secret tok>"))
    #expect(!events.map(\.jsonLine).joined().contains("very-secret-value-42"))
    #expect(events.first { $0.kind == .log }?.step == nil, "no step runs then")
    #expect(events.last?["status"] == .string("ok"))
    #expect(recap.status == "ok")
    #expect(recap.hosts.map(\.name) == ["a"])
    #expect(recap.hosts.first?.changed == 1)
  }

  @Test func theRecapCountsEachHostOfAParallelStep() async throws {
    let (outcome, _, recap) = try await Self.run(
      """
      step "look" on "g" parallel { current_host().name }
      step "act" on "g" parallel {
        if current_host().name == "b" { `echo "it broke" >&2; exit 3` }
        `true`
      }
      """)
    #expect(outcome.runtimeError != nil)
    #expect(recap.status == "failed")
    let counts = recap.hosts.map { [$0.name, "\($0.ok)", "\($0.changed)", "\($0.failed)"] }
    #expect(counts == [["a", "1", "1", "0"], ["b", "1", "0", "1"], ["c", "1", "1", "0"]])
    #expect(recap.steps.map(\.status) == ["ok", "failed"])
    #expect(recap.failedCommands.count == 1)
    #expect(recap.failedCommands.first?.host == "b")
    #expect(recap.failedCommands.first?.stderr == ["it broke"])
    #expect(recap.failedCommands.first?.exitStatus == 3)
  }

  @Test func theRecapSaysWhyAHostFailedWithoutAFailedCommand() async throws {
    let (_, _, recap) = try await Self.run(
      """
      step "check" on "g" parallel {
        if current_host().name == "c" { fail("c is not ready\\nsecond line") }
      }
      """)
    #expect(recap.failedCommands.isEmpty)
    #expect(
      recap.problems.map { [$0.step ?? "", $0.host, $0.status, $0.message] } == [
        ["check", "c", "failed", "c is not ready"]
      ])
  }

  @Test func writingAFileChangesItsHostButReadingOneDoesNot() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-recap-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let (outcome, events, recap) = try await Self.run(
      """
      step "put" on "a" { write_file("\(directory)/f", "x", parents: true) }
      step "put again" on "a" { write_file("\(directory)/f", "x", parents: true) }
      step "get" on "b" { download("\(directory)/f", "\(directory)/g") }
      """)
    #expect(outcome.runtimeError == nil, "\(String(describing: outcome.runtimeError))")
    #expect(
      events.filter { $0.kind == .transfer }.map { $0["direction"] } == [
        .string("write"), .string("write"), .string("download"),
      ])
    let a = try #require(recap.hosts.first { $0.name == "a" })
    #expect((a.changed, a.ok) == (1, 1), "the second write found the file in place")
    let b = try #require(recap.hosts.first { $0.name == "b" })
    #expect((b.changed, b.ok) == (0, 1), "a download changes this machine, not the host")
  }

  @Test func selectionLeavesStepsOutAndTheRecapSaysWhy() async throws {
    let source = """
      let first = step "one" on "a" { 1 }
      step "two" on "g" { `true` }
      step "three" { log("three") }
      """
    let (outcome, events, recap) = try await Self.run(
      source, selection: StepFilter(startAt: "two", skip: ["three"], limit: ["a", "c"]))
    #expect(outcome.runtimeError == nil)
    let skipped = events.filter { $0.kind == .stepSkip }.map {
      "\($0.step ?? "") \($0["reason"]?.text ?? "")"
    }
    #expect(skipped == ["one --start-at", "three --skip"])
    let two = try #require(events.first { $0.kind == .stepStart })
    #expect(two["hosts"] == .strings(["a", "c"]), "--limit drops b from the step's hosts")
    #expect(recap.steps.map(\.status) == ["skipped", "ok", "skipped"])
    #expect(recap.hosts.first { $0.name == "b" } == nil)

    let unknown = StepFilter(only: ["to"], skip: ["thre"])
    #expect(
      unknown.problems(stepNames: ["one", "two", "three"]) == [
        "--only: no step is named \"to\"; did you mean \"two\"?",
        "--skip: no step is named \"thre\"; did you mean \"three\"?",
      ])
    let (refused, refusedEvents, _) = try await Self.run(source, selection: unknown)
    #expect(refused.exitCode == 2)
    #expect(!refused.began, "nothing ran")
    // A refused run still says so in its events: each problem, then the end.
    let kinds: [RunEvent.Kind] = refusedEvents.map(\.kind)
    #expect(kinds == [.runStart, .error, .error, .runEnd])
    let errorKinds: [EventValue?] = refusedEvents.filter { $0.kind == .error }.map { $0["kind"] }
    #expect(errorKinds == [.string("usage"), .string("usage")])
    #expect(refusedEvents.last?["status"] == EventValue.string("usage"))
    #expect(refusedEvents.last?["exit_status"] == EventValue.int(2))
  }

  /// `exec`'s recap: no steps; each command outside a step counts once for its host, a failed
  /// one with its last stderr lines, an unreachable host with why (and its command not
  /// counted as failed). A playbook's recap leaves commands outside steps uncounted.
  @Test func commandsOutsideStepsCountWhenAskedAsExecsRecap() throws {
    let events: [RunEvent] = [
      RunEvent(.commandStart, host: "a", fields: [.init("command", .string("true"))]),
      RunEvent(.commandStart, host: "b", fields: [.init("command", .string("check"))]),
      RunEvent(.commandStart, host: "c", fields: [.init("command", .string("true"))]),
      RunEvent(
        .output, host: "b",
        fields: [.init("stream", .string("stderr")), .init("line", .string("no"))]),
      RunEvent(.hostUnreachable, host: "c", fields: [.init("message", .string("refused\nmore"))]),
      RunEvent(
        .commandEnd, host: "a",
        fields: [.init("exit_status", .int(0)), .init("duration_ms", .number(2))]),
      RunEvent(
        .commandEnd, host: "b",
        fields: [.init("exit_status", .int(3)), .init("duration_ms", .number(3))]),
      RunEvent(
        .commandEnd, host: "c",
        fields: [.init("exit_status", .int(-1)), .init("duration_ms", .number(0))]),
      RunEvent(
        .runEnd,
        fields: [.init("status", .string("failed")), .init("duration_ms", .number(10))]),
    ]
    let exec = RecapBuilder(countsCommands: true)
    let playbook = RecapBuilder()
    for event in events {
      exec.observe(event)
      playbook.observe(event)
    }
    let recap = exec.recap
    #expect(recap.status == "failed")
    #expect(recap.total == 10_000_000)
    #expect(recap.hosts.map(\.name) == ["a", "b", "c"])
    #expect(recap.hosts.map(\.changed) == [1, 0, 0])
    #expect(recap.hosts.map(\.failed) == [0, 1, 0])
    #expect(recap.hosts.map(\.unreachable) == [0, 0, 1])
    #expect(recap.hosts.map(\.time) == [2_000_000, 3_000_000, 0])
    let failed = try #require(recap.failedCommands.first)
    #expect(recap.failedCommands.count == 1)
    #expect(failed.step == nil && failed.host == "b" && failed.command == "check")
    #expect(failed.exitStatus == 3 && failed.stderr == ["no"])
    let problem = try #require(recap.problems.first)
    #expect(recap.problems.count == 1)
    #expect(problem.host == "c" && problem.status == "unreachable" && problem.message == "refused")
    #expect(playbook.recap.hosts.map(\.changed) == [0, 0, 0])
    #expect(playbook.recap.failedCommands.isEmpty)
  }
}

/// Events collected from the log's listener.
final class Recorded: Sendable {
  private let events = Mutex<[RunEvent]>([])
  func append(_ event: RunEvent) { events.withLock { $0.append(event) } }
  var all: [RunEvent] { events.withLock { $0 } }
}
