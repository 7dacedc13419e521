import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// Every secret value the run knows is redacted on every channel: the lines a command
/// streams (also when the command never named the secret, and when a value arrives in two
/// chunks), `print`, `log`, error messages and `result.stdout`. The debugger's views are
/// tested in `SessionDebugTests`.
@Suite struct SecretRedactionTests {
  static let token = "s3cr3t-t0ken-123"

  @Test func aCommandThatPrintsASecretItNeverNamedIsRedacted() async throws {
    let file = try Self.file("token=\(Self.token)\n")
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (outcome, sink) = try await Self.run(
      """
      param tok: secret
      param file: string
      on "localhost" { `cat ${file}` }
      """, params: ["file": .text(file)])
    #expect(outcome.runtimeError == nil)
    #expect(sink.outputLines.map(\.0) == ["token=<secret tok>"])
    #expect(!Self.text(sink).contains(Self.token))
  }

  @Test func aSecretSplitAcrossTwoChunksIsRedacted() async throws {
    let script = try Self.file("printf 's3cr3t-'; sleep 0.3; printf 't0ken-123 done\\n'\n")
    defer { try? FileManager.default.removeItem(atPath: script) }
    let (outcome, sink) = try await Self.run(
      """
      param tok: secret
      param script: string
      on "localhost" { `sh ${script}` }
      """, params: ["script": .text(script)])
    #expect(outcome.runtimeError == nil)
    #expect(sink.outputLines.map(\.0) == ["<secret tok> done"])
  }

  @Test func printedTextIsRedacted() async throws {
    let (outcome, sink) = try await Self.run(
      """
      param tok: secret
      print(reveal(tok))
      print("Authorization: Bearer ${reveal(tok)}")
      """)
    #expect(outcome.runtimeError == nil)
    #expect(sink.printed == ["<secret tok>", "Authorization: Bearer <secret tok>"])
  }

  @Test func logLinesAreRedacted() async throws {
    let (_, sink) = try await Self.run(
      """
      param tok: secret
      log("using " + reveal(tok))
      warn("still using " + reveal(tok))
      """)
    let lines = sink.events.compactMap { event -> String? in
      switch event {
      case .log(let text, _), .warning(let text, _): text
      default: nil
      }
    }
    #expect(lines == ["using <secret tok>", "still using <secret tok>"])
  }

  @Test func errorMessagesAreRedacted() async throws {
    let (failed, _) = try await Self.run(
      """
      param tok: secret
      fail("token ${reveal(tok)} was refused")
      """)
    #expect(failed.runtimeError?.message == "token <secret tok> was refused")
    let script = try Self.file("echo refused \(Self.token) >&2; exit 3\n")
    defer { try? FileManager.default.removeItem(atPath: script) }
    let (command, _) = try await Self.run(
      """
      param tok: secret
      param script: string
      on "localhost" { `sh ${script}` }
      """, params: ["script": .text(script)])
    let message = command.runtimeError?.message ?? ""
    #expect(message.contains("refused <secret tok>"), "\(message)")
    #expect(!message.contains(Self.token))
    #expect(command.runtimeError?.result?.stderr == "refused <secret tok>\n")
  }

  @Test func resultStdoutIsRedacted() async throws {
    let file = try Self.file("a\n\(Self.token)\nb\n")
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (outcome, sink) = try await Self.run(
      """
      param tok: secret
      param file: string
      let r = on "localhost" { `cat ${file}` }
      print(r.stdout)
      print(contains(r.stdout, reveal(tok)))
      """, params: ["file": .text(file)])
    #expect(outcome.runtimeError == nil)
    #expect(sink.printed == ["a\n<secret tok>\nb\n", "false"])
  }

  /// Secrets made by built-ins join the run's: `secret(…)`, and text derived from a secret
  /// by a built-in (`upper`), which no longer contains the original.
  @Test func secretsMadeByBuiltinsAreRedacted() async throws {
    let file = try Self.file("gen-key-998877\nS3CR3T-T0KEN-123\n")
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (outcome, sink) = try await Self.run(
      """
      param tok: secret
      param file: string
      let key = secret("gen-key-998877", label: "certificate-key")
      let shout = upper(tok)
      on "localhost" { `cat ${file}` }
      """, params: ["file": .text(file)])
    #expect(outcome.runtimeError == nil)
    #expect(sink.outputLines.map(\.0) == ["<secret certificate-key>", "<secret tok>"])
  }

  // MARK: - Helpers

  /// Runs on a thread of its own: local commands need the cooperative pool free.
  static func run(_ source: String, params: [String: ParamInput] = [:]) async throws -> (
    RunOutcome, RecordingSink
  ) {
    let sink = RecordingSink()
    var given = params
    given["tok"] = .text(token)
    let options = RunOptions(params: given, environment: [:])
    let outcome = try await blocking {
      Driver(sink: sink).run(
        source: source, name: "<test>", options: options)
    }
    return (outcome, sink)
  }

  /// Every text the events carry.
  static func text(_ sink: RecordingSink) -> String {
    sink.events.map { "\($0)" }.joined(separator: "\n")
  }

  static func file(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-secret-\(UUID().uuidString)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}
