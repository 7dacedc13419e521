import Foundation
import Testing

/// `haflow run` on a terminal: a live line for the running step with its output folded under
/// it; and the recap after a signal.
@Suite struct RunLiveProgressTests {
  @Test(.timeLimit(.minutes(2))) func aTerminalGetsALiveLineAndFoldedOutput() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try ReplFiles.write(
      """
      step "slow" { local `sleep 1.5; echo folded-away` }
      step "fails" { local `echo shown-on-failure >&2; exit 4` }
      """, to: "live.hf", in: directory)
    try await offThePool {
      let pty = try ReplPTY(["run", "live.hf"], in: directory)
      // The live line is redrawn in place while the step runs: its spinner turns, its time
      // grows (the screen shows each drawing, escapes left out).
      try pty.expect("| step \"slow\" (")
      try pty.expect("/ step \"slow\" (")
      try pty.expect("ok  step \"slow\"")
      try pty.expect("FAILED step \"fails\"")
      try pty.expect("shown-on-failure")
      try pty.expect("RECAP FAILED")
      #expect(pty.waitForExit() == 1)
      #expect(!pty.screen.contains("folded-away"), "a step that succeeds keeps its output folded")
      #expect(!pty.screen.contains("\u{1B}[32m"), "NO_COLOR: no colours on the terminal")
    }
    // -v: the output is shown live, a line per event.
    try await offThePool {
      let pty = try ReplPTY(["run", "-v", "live.hf"], in: directory)
      try pty.expect("==> step \"slow\"")
      try pty.expect("[local] folded-away")
      #expect(pty.waitForExit() == 1)
    }
  }

  @Test(.timeLimit(.minutes(2))) func aSignalStillPrintsTheRecap() async throws {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try ReplFiles.write(
      """
      step "quick" { local `true` }
      step "wait" { local `sleep 30` }
      """, to: "wait.hf", in: directory)
    let errors = directory.appendingPathComponent("stderr")
    #expect(FileManager.default.createFile(atPath: errors.path, contents: nil))
    let process = Process()
    process.executableURL = binary
    let log = directory.appendingPathComponent("events.jsonl").path
    process.arguments = ["run", directory.appendingPathComponent("wait.hf").path, "--log", log]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    let started = Date()
    while Date().timeIntervalSince(started) < 20 {
      let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      if text.contains("==> step \"wait\"") { break }
      try await Task.sleep(for: .milliseconds(50))
    }
    process.terminate()
    while process.isRunning && Date().timeIntervalSince(started) < 30 {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning)
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    #expect(process.terminationStatus == 143)
    let text = try String(contentsOf: errors, encoding: .utf8)
    #expect(text.contains("RECAP interrupted in "), "\(text)")
    #expect(text.contains("  ok      quick"), "\(text)")
    #expect(text.contains("  failed  wait") || text.contains("  FAILED  wait"), "\(text)")
    // The event log ends with the run's end, as interrupted, with the exit status it had.
    let events = try String(contentsOfFile: log, encoding: .utf8)
    let last = events.split(separator: "\n").last.map(String.init) ?? ""
    #expect(
      last.contains(#""event":"run_end","status":"interrupted","exit_status":143"#), "\(last)")
  }
}
