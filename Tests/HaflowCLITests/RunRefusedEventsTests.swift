import Foundation
import Testing

/// A run refused before it begins (check errors, a missing param) still writes its events:
/// `run_start`, an `error` per problem with its `file:line:col`, `run_end` with the exit
/// status — on standard output with `--log-format json`, in the `--log` file otherwise — and
/// no recap, no journal. Nothing here reaches a host.
@Suite struct RunRefusedEventsTests {
  /// A playbook with two check errors (an unknown name, a type mismatch) and a param.
  static let playbook = """
    param who: string
    step "greet" {
      log("hello ${nobody}")
    }
    let n: int = "text"
    """

  /// A fresh directory with the playbook as `bad.hf`.
  static func workspace() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-refused-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try playbook.write(
      to: directory.appendingPathComponent("bad.hf"), atomically: true, encoding: .utf8)
    return directory
  }

  /// Checks the events of the refused run: documented, in order, with the errors' locations.
  static func expectRefused(_ events: [[String: JSONField]], document: EventDocument) {
    for event in events {
      let problems = document.problems(with: event)
      #expect(problems.isEmpty, "\(problems) in \(event)")
    }
    #expect(events.map { $0["event"]?.text ?? "?" } == ["run_start", "error", "error", "run_end"])
    #expect(events.first?["playbook"]?.text == "bad.hf")
    let errors = events.filter { $0["event"]?.text == "error" }
    #expect(errors.allSatisfy { $0["kind"]?.text == "check" })
    #expect(errors.first?["location"]?.text == "bad.hf:3:16", "\(errors)")
    #expect(errors.first?["message"]?.text?.contains("nobody") == true, "\(errors)")
    #expect(errors.last?["location"]?.text?.hasPrefix("bad.hf:5:") == true, "\(errors)")
    #expect(events.last?["status"]?.text == "invalid")
    #expect(events.last?["exit_status"] == .int(65))
  }

  @Test(.timeLimit(.minutes(1))) func aCheckErrorIsWrittenAsEventsToStandardOutput() throws {
    let directory = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let document = try EventDocument.load()
    let json = try HaflowCLI.run(
      ["run", "bad.hf", "-p", "who=x", "--log-format", "json"], in: directory)
    #expect(json.status == 65, "\(json.stderr)")
    Self.expectRefused(try EventDocument.parse(lines: json.stdout), document: document)
    #expect(json.stderr.contains("nothing ran"), "the diagnostics still go to standard error")
    #expect(
      !FileManager.default.fileExists(atPath: directory.path + "/.haflow/runs"),
      "a refused run keeps no journal")
  }

  @Test(.timeLimit(.minutes(1))) func aCheckErrorIsWrittenAsEventsToTheLogFile() throws {
    let directory = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: directory) }
    let document = try EventDocument.load()
    let log = directory.path + "/run.jsonl"
    let text = try HaflowCLI.run(["run", "bad.hf", "-p", "who=x", "--log", log], in: directory)
    #expect(text.status == 65, "\(text.stderr)")
    #expect(text.stderr.contains("bad.hf:3:16: error: "), "\(text.stderr)")
    #expect(!text.stderr.contains("RECAP"), "nothing ran: no recap")
    #expect(text.stdout.isEmpty)
    Self.expectRefused(
      try EventDocument.parse(lines: String(contentsOfFile: log, encoding: .utf8)),
      document: document)

    // A missing param: the same shape, kind param, exit 2.
    let param = try HaflowCLI.run(
      ["run", "bad.hf", "--log-format", "json"], in: directory)
    #expect(param.status == 65, "check errors come first: \(param.stderr)")
    try """
    param who: string
    log("hello ${who}")
    """.write(toFile: directory.path + "/good.hf", atomically: true, encoding: .utf8)
    let missing = try HaflowCLI.run(["run", "good.hf", "--log-format", "json"], in: directory)
    #expect(missing.status == 2, "\(missing.stderr)")
    let events = try EventDocument.parse(lines: missing.stdout)
    for event in events { #expect(document.problems(with: event).isEmpty, "\(event)") }
    #expect(events.map { $0["event"]?.text ?? "?" } == ["run_start", "error", "run_end"])
    #expect(events[1]["kind"]?.text == "param")
    #expect(events[1]["location"]?.text?.hasPrefix("good.hf:1:") == true, "\(events)")
    #expect(events.last?["status"]?.text == "usage")
    #expect(events.last?["exit_status"] == .int(2))
  }
}
