import Foundation
import Interpreter
import Lexer
import Synchronization
import TestSupport
import Testing

@testable import Session
@testable import Stdlib

/// The step debugger engine driven by a scripted console: where it pauses, what input sees in
/// the paused scope, and how retry, skip and failures go.
@Suite struct SessionDebugTests {
  @Test func inputSeesTheLocalsOfTheFunctionAStepIsIn() async throws {
    let script = """
      let base = 10
      var total = 0
      fn deploy(n) {
        let doubled = n * 2
        step "inside" { total += 1 }
        return doubled
      }
      print(deploy(4))
      print(total)

      """
    let (console, outcome, sink) = await Self.debug(
      script,
      inputs: [
        "doubled + base + n", "let k = 5", "k * 2", ":vars", "total = 40", "doubled = 1",
        ":continue",
      ])
    #expect(outcome.runtimeError == nil)
    #expect(sink.printed == ["8", "41"])
    let text = console.text
    #expect(text.contains("paused before step \"inside\" at ") && text.contains("<test>:5:3"))
    #expect(text.contains("22 : int"))
    #expect(text.contains("10 : int"))
    #expect(text.contains("doubled = 8 : int") && text.contains("n = 4 : int"))
    #expect(text.contains("base = 10 : int") && text.contains("k = 5 : int"))
    #expect(console.errors.contains("cannot assign to 'doubled'"))
  }

  @Test func retryAfterAFixAndLettingAFailureThrough() async throws {
    let script = """
      var ready = false
      step "outer" {
        step "needs ready" { if not ready { fail("not ready") } }
        step "inner doomed" { fail("no way") }
      }
      print("unreachable")

      """
    let (console, outcome, sink) = await Self.debug(
      script, mode: .running, inputs: [":retry", "ready = true", ":retry", ":continue"])
    let text = console.text
    #expect(text.components(separatedBy: "step \"needs ready\" failed").count == 3)
    #expect(text.contains("step \"inner doomed\" failed"))
    // Once let through, the failure does not pause the enclosing step again.
    #expect(!text.contains("step \"outer\" failed"))
    #expect(outcome.runtimeError?.message == "no way")
    #expect(sink.printed.isEmpty)
  }

  @Test func stepsListStatusesAndLineBreakpointsPause() async throws {
    let script = """
      step "one" { 1 }
      step "two" {
        2
      }
      step "three" { 3 }

      """
    let (console, outcome, _) = await Self.debug(
      script, mode: .running, breakpoints: [.line(file: nil, line: 3), .step("three")],
      inputs: [":steps", ":skip", ":steps", ":continue"])
    #expect(outcome.runtimeError == nil)
    let text = console.text
    #expect(text.contains("paused before step \"two\""))
    #expect(text.contains("ok       \"one\""))
    #expect(text.contains("> paused   \"two\""))
    #expect(text.contains("pending  \"three\""))
    #expect(text.contains("skipped  \"two\""))
  }

  @Test func aStepTypedAtThePromptPausesAtANestedPrompt() async throws {
    let (console, outcome, sink) = await Self.debug(
      "step \"written\" { print(\"ran\") }\n",
      inputs: ["step \"typed\" { 41 + 1 }", ":next", ":next"])
    #expect(outcome.runtimeError == nil)
    #expect(console.text.contains("paused before step \"typed\""))
    #expect(console.text.contains("42 : int"))
    #expect(sink.printed == ["ran"])
  }

  @Test func endOfInputStopsTheRun() async throws {
    let (_, outcome, sink) = await Self.debug("step \"s\" { print(1) }\n", inputs: [])
    #expect(outcome.runtimeError?.kind == .interrupted)
    #expect(sink.printed.isEmpty)
  }

  /// `:vars` and `:out` redact every secret the run knows, also in plain strings made from
  /// one and in the output of a command that printed it.
  @Test func varsAndOutRedactSecrets() async throws {
    let script = """
      let tok = secret("s3cr3t-t0ken-123", label: "tok")
      let plain = reveal(tok)
      step "show" on "localhost" { `echo ${plain}` }
      step "after" { 1 }

      """
    let (console, outcome, _) = await Self.debug(
      script, inputs: [":vars", ":next", ":out", ":continue"])
    #expect(outcome.runtimeError == nil)
    let text = console.text
    #expect(text.contains("plain = \"<secret tok>\" : string"), "\(text)")
    #expect(text.contains("[localhost] $ echo <secret tok>"), "\(text)")
    #expect(text.contains("    <secret tok>\n"))
    #expect(!text.contains("s3cr3t-t0ken-123"))
  }

  /// A failure on one host of a parallel step: the caret is on the failing statement, the
  /// hint names the host, and `:out` shows that host's last command, not an earlier one.
  @Test func aParallelFailureNamesItsHostAndStatement() async throws {
    let script = """
      step "prepare" on "localhost" { `echo unrelated` }
      step "join" on "nodes" parallel {
        let me = current_host().name
        `echo joining ${me}`
        if me == "b" { `false` }
      }

      """
    let nodes = Inventory(
      hosts: ["a", "b", "c"].map { Host(name: $0, connection: .local, groups: ["nodes"]) })
    let (console, outcome, _) = await Self.debug(
      script, mode: .running, inventory: nodes, inputs: [":out", ":continue"])
    #expect(outcome.runtimeError?.host == "b")
    let errors = console.errors
    #expect(errors.contains("<test>:5:18: error: [b] failed on 1 of 3 hosts"), "\(errors)")
    #expect(errors.contains("|   if me == \"b\" { `false` }"))
    let text = console.text
    #expect(text.contains("step \"join\" failed on b: "), "\(text)")
    #expect(text.contains(":on b runs commands you type there"))
    #expect(text.contains("[b] $ false  (exit 1, "), "\(text)")
    #expect(text.contains("step \"join\")"))
    #expect(!text.contains("unrelated"))
  }

  /// `--break` with a step the playbook does not have stops before the run, with "did you
  /// mean"; so does a line with no step. At the prompt, `:break` refuses them the same way.
  @Test func breakpointsThatCanNeverPauseAreRefused() async throws {
    let script = """
      step "report" { 1 }
      step "deploy" {
        2
      }

      """
    let (_, misspelled, sink) = await Self.debug(
      script, mode: .running, breakpoints: [.step("reprot")], inputs: [])
    #expect(
      misspelled.usageErrors == [
        "--break \"reprot\": no step named \"reprot\"; did you mean \"report\"?"
      ])
    #expect(misspelled.exitCode == 2)
    #expect(sink.events.isEmpty)
    let (_, pastTheEnd, _) = await Self.debug(
      script, mode: .running, breakpoints: [.line(file: nil, line: 999)], inputs: [])
    #expect(pastTheEnd.usageErrors.count == 1)
    let message = pastTheEnd.usageErrors.first ?? ""
    #expect(message.hasPrefix("--break line 999: no step at line 999 of /"), "\(message)")
    #expect(
      message.hasSuffix("<test> (it has 4 lines); did you mean line 2 (step \"deploy\")?"))
    let (console, outcome, _) = await Self.debug(
      script, inputs: [":break 999", ":break \"reprot\"", ":break 3", ":continue", ":continue"])
    #expect(outcome.runtimeError == nil)
    #expect(console.errors.contains("<test> (it has 4 lines); did you mean line 2"))
    #expect(console.errors.contains("no step named \"reprot\"; did you mean \"report\"?"))
    #expect(console.text.contains("breakpoint at line 3\n"))
    #expect(console.text.contains("paused before step \"deploy\""))
  }

  /// Runs `script` under a debugger reading `inputs`.
  static func debug(
    _ script: String, mode: DebugSession.Mode = .stepping, breakpoints: [DebugBreakpoint] = [],
    inventory: Inventory = Inventory(), inputs: [String]
  ) async -> (ScriptedConsole, RunOutcome, RecordingSink) {
    await withCheckedContinuation { continuation in
      let thread = Thread {
        let directory = FileManager.default.temporaryDirectory
          .appendingPathComponent("haflow-debug-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("<test>").path
        try? script.write(toFile: path, atomically: true, encoding: .utf8)
        let console = ScriptedConsole(inputs)
        let sink = RecordingSink()
        let debugger = DebugSession(console: console, mode: mode, sink: sink, table: Stdlib.table)
        for breakpoint in breakpoints { debugger.add(breakpoint) }
        let driver = Driver(sink: debugger.recorder)
        let outcome = driver.debug(
          path: path, options: RunOptions(inventory: inventory), debugger: debugger)
        continuation.resume(returning: (console, outcome, sink))
      }
      thread.stackSize = 64 << 20
      thread.start()
    }
  }
}

/// A console that answers prompts from a list and keeps what was written.
final class ScriptedConsole: DebugConsole, @unchecked Sendable {
  private let state: Mutex<(inputs: [String], output: String, errors: String)>

  init(_ inputs: [String]) { state = Mutex((inputs, "", "")) }

  var text: String { state.withLock { $0.output } }
  var errors: String { state.withLock { $0.errors } }

  func read(prompt: String, completer: Completer) -> ConsoleInput {
    state.withLock { state in
      guard !state.inputs.isEmpty else { return .end }
      return .text(state.inputs.removeFirst())
    }
  }

  func output(_ text: String) { state.withLock { $0.output += text } }
  func error(_ text: String) { state.withLock { $0.errors += text } }
  func highlight(_ rendered: String) -> String { rendered }
}
