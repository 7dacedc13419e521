import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// The run journal (`RunJournal`), the value codec it stores step values with (`StoredValue`),
/// what a journal says (`JournalSummary`) and `--resume`'s replay (`ResumePlan`), on local runs
/// through the `Driver`. Killed runs on SSH hosts are in `HaflowCLITests` (`RunResumeTests`).
@Suite struct RunJournalTests {
  static let inventory = Inventory(
    hosts: ["a", "b"].map { Host(name: $0, connection: .local, groups: ["g"]) })

  @Test func everyStorableValueComesBackAsItWas() throws {
    let map: Value = .map([
      "z": .int(1), "a": .list([.nil, .bool(true), .float(1.5), .float(.infinity), .float(2)]),
      "$odd": .duration(90_000_000_000),
    ])
    let values: [Value] = [
      .nil, .bool(false), .int(-7), .string("tab\there \"q\" ünï"), .duration(1_500_000),
      .float(-0.25), map, .map(["nested": map]),
      .host(Self.inventory.hosts[1]),
      .result(
        CommandResult(
          host: "a", command: "echo", stdout: "x\n", stderr: "", exitStatus: 3, duration: 42)),
    ]
    for value in values {
      let json = try StoredValue.encode(value).get()
      let back = try StoredValue.decode(json, inventory: Self.inventory)
      #expect(back.repr == value.repr, "\(json)")
      #expect(back.typeName == value.typeName)
    }
    // Key order is kept, and a `$` key cannot be mistaken for a tag.
    let json = try StoredValue.encode(map).get()
    #expect(json.hasPrefix("{\"$map\":[[\"z\",1],[\"a\","), "\(json)")
  }

  @Test func secretsAndFunctionsAreLeftOut() {
    #expect(StoredValue.encode(.secret(Secret("s3cret"))) == .failure(.secret))
    #expect(
      StoredValue.encode(.list([.string("token s3cret here")])) { $0.contains("s3cret") }
        == .failure(.secret))
    #expect(StoredValue.encode(.map(["k": .secret(Secret("x"))])) == .failure(.secret))
    #expect(StoredValue.encode(.command(CommandValue([.raw("ls")]))) == .failure(.unstorable))
    #expect(throws: StoredValue.DecodeError.self) {
      try StoredValue.decode("{\"$host\":\"gone\"}", inventory: Self.inventory)
    }
  }

  static let playbook = """
    let first = step "first" on "g" parallel { {"n": 1, "wait": 2s} }
    let token = step "token" { secret("tok-12345") }
    let made = step "made" { [first["b"]["wait"], "plain"] }
    step "last" {
      let n = first["a"]["n"]
      let same = reveal(token) == "tok-12345"
      print("${n} ${made[0]} ${made[1]} ${same}")
      fail_here()
    }
    """

  /// Runs `source` with a journal under `root`, resuming `plan` when given.
  static func run(
    _ source: String, root: String, plan: ResumePlan? = nil
  ) async throws -> (RunOutcome, [String], [RunEvent]) {
    let log = RunEventLog()
    let events = Recorded()
    log.addListener(RunJournal(root: root, plan: plan).record)
    log.addListener { events.append($0) }
    var options = RunOptions(environment: [:], inventory: inventory)
    options.events = log
    options.resume = plan
    let given = options
    let sink = RecordingSink()
    let outcome = try await blocking {
      Driver(sink: sink).run(source: source, name: "<test>", options: given)
    }
    let printed = sink.events.compactMap { event -> String? in
      if case .print(let text) = event { return text }
      return nil
    }
    return (outcome, printed, events.all)
  }

  @Test func aFailedRunIsResumedWithItsValuesAndItsSecretStepRunAgain() async throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "haflow-journal-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: root) }
    let failing = Self.playbook.replacingOccurrences(of: "fail_here()", with: "fail(\"boom\")")
    let (first, _, _) = try await Self.run(failing, root: root)
    #expect(first.exitCode == 1)
    let runs = RunsDirectory(environment: ["HAFLOW_RUNS_DIR": root])
    let journals = runs.journals()
    try #require(journals.count == 1)
    let summary = journals[0]
    #expect(summary.status == "failed")
    #expect(summary.failedStep == "last")
    #expect(summary.playbook == "<test>")
    #expect(summary.completed.map(\.name) == ["first", "token", "made"])
    #expect(summary.completed[1].json == nil && summary.completed[1].leftOut == "secret")
    let id = try #require(summary.runID)
    let text = try String(contentsOfFile: root + "/\(id)/journal.jsonl", encoding: .utf8)
    #expect(!text.contains("tok-12345"), "secrets are never written")
    #expect(!text.contains("\"output\""), "commands' output is not journaled")
    let mode =
      try FileManager.default.attributesOfItem(atPath: root + "/\(id)/journal.jsonl")[
        .posixPermissions] as? Int
    #expect(mode == 0o600)

    // Resumed: "first" and "made" are given back, "token" (a secret) runs again.
    let fixed = Self.playbook.replacingOccurrences(of: "fail_here()", with: "")
    let plan = ResumePlan(summary, inventory: Self.inventory)
    let (second, printed, events) = try await Self.run(fixed, root: root, plan: plan)
    #expect(second.exitCode == 0, "\(String(describing: second.runtimeError))")
    #expect(printed == ["1 2s plain true"])
    let skipped = events.filter { $0.kind == .stepSkip }.compactMap(\.step)
    #expect(skipped == ["first", "made"])
    #expect(
      events.filter { $0.kind == .stepSkip }.allSatisfy { $0["reason"] == .string("--resume") })
    let ran = events.filter { $0.kind == .stepStart }.compactMap(\.step)
    #expect(ran == ["token", "last"])

    // The resumed run's own journal records the values it gave back: it can be resumed too.
    let latest = try #require(runs.journals().last)
    #expect(latest.status == "ok")
    #expect(latest.completed.map(\.name) == ["first", "token", "made", "last"])
    #expect(latest.completed[0].json == summary.completed[0].json)
  }

  @Test func aTornLastLineIsIgnoredAndAStepWhoseHostIsGoneRunsAgain() throws {
    let text = """
      {"time":"2026-12-07T05:00:00.000001Z","event":"run_start","run_id":"20261207T050000Z-00000a","playbook":"p.hf","hosts":[],"pid":1}
      {"time":"2026-12-07T05:00:00.000002Z","event":"step_end","step":"pick","status":"ok","duration_ms":1,"value":{"$host":"gone"}}
      {"time":"2026-12-07T05:00:00.000003Z","event":"step_end","step":"count","status":"ok","duration_ms":1,"value":3}
      {"time":"2026-12-07T05:00:00.000004Z","event":"step_end","step":"half","sta
      """
    let summary = JournalSummary(text: text)
    #expect(summary.runID == "20261207T050000Z-00000a")
    #expect(summary.status == "unfinished")
    #expect(summary.failedStep == nil)
    #expect(summary.completed.map(\.name) == ["pick", "count"])
    let selection = ResumePlan(summary, inventory: Self.inventory).selection(over: nil)
    #expect(selection.replay(step: "pick") == nil, "host gone: the step runs again")
    #expect(selection.replay(step: "count")?.repr == "3")
    #expect(selection.replay(step: "count") == nil, "each stored run of a step replays once")
    #expect(selection.replay(step: "half") == nil)
  }
}
