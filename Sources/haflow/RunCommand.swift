import ArgumentParser
import Foundation
import Session

import class Interpreter.Cancellation

/// `haflow run FILE [-p name=value]… [--params FILE.yaml] [--quiet]`.
struct RunCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Check a playbook, bind its params and run it.",
    discussion: HelpText.run)

  /// The playbook.
  @Argument(help: "The playbook to run (a .hf file).")
  var file: String

  /// `-p`, `--params`.
  @OptionGroup(title: "Params")
  var paramOptions: ParamOptions

  /// `-i`, host keys, identities.
  @OptionGroup(title: "Connecting to hosts")
  var connection: ConnectionOptions

  /// `--quiet`.
  @Flag(name: .shortAndLong, help: "Hide command output and logs; keep step lines and errors.")
  var quiet = false

  /// `--debug-on-failure`.
  @Flag(help: "Open the step debugger at a failed step instead of exiting (see `haflow debug`).")
  var debugOnFailure = false

  /// Runs the playbook and exits with its outcome's code.
  func run() throws {
    if debugOnFailure {
      return try DebugLauncher.run(
        .init(
          file: file, params: paramOptions, connection: connection,
          quiet: quiet, mode: .running))
    }
    let environment = ProcessInfo.processInfo.environment
    let style = TerminalStyle.forStandardError(environment: environment)
    let report = OutcomeReport(style: style)
    let inputs = try paramOptions.inputs(report: report)
    let setup = try connection.setup(report: report, environment: environment)
    let sink = TerminalSink(quiet: quiet, style: style)
    let cancellation = Cancellation()
    let executor = setup.makeExecutor(sink: sink, cancellation: cancellation)
    Interrupts.install(cancellation: cancellation) { executor.terminateRunningCommands() }
    defer { executor.close() }
    let driver = Driver(sink: sink, executor: executor)
    let options = RunOptions(
      params: inputs, environment: environment, inventory: setup.inventory,
      cancellation: cancellation
    ) { diagnostics, sources in
      report.writeDiagnostics(diagnostics, sources: sources, isRun: true)
    }
    let outcome = driver.run(path: file, options: options)
    // Stopped by Ctrl-C or SIGTERM: the run has unwound; the sessions close on the way out.
    if let status = Interrupts.interruptedStatus { throw ExitCode(status) }
    report.write(outcome, isRun: true, diagnosticsShown: true)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
  }
}
