import ArgumentParser
import Foundation
import Session

/// `haflow check FILE…`.
struct CheckCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check playbooks for syntax and static errors without running them.",
    discussion: HelpText.check)

  /// The playbooks.
  @Argument(help: "The playbooks to check (.hf files).")
  var files: [String]

  /// Requires at least one file.
  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one playbook to check") }
  }

  /// Checks the files; exits 65 on errors, 2 when a file cannot be read.
  func run() throws {
    let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
    let driver = Driver(sink: TerminalSink(quiet: false, style: style))
    let outcome = driver.check(paths: files)
    OutcomeReport(style: style).write(outcome, isRun: false)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
    let warnings = outcome.diagnostics.count { $0.severity == .warning }
    var line = "ok: " + OutcomeReport.counted(files.count, "file")
    if warnings > 0 { line += " (" + OutcomeReport.counted(warnings, "warning") + ")" }
    Console.out(line + "\n")
  }
}
