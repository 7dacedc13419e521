import ArgumentParser
import Foundation
import Interpreter
import Session
import Stdlib

/// Runs a playbook under the step debugger: `haflow debug` (paused before the first step) and
/// `haflow run --debug-on-failure` (paused only where a step fails).
enum DebugLauncher {
  /// What to run and how.
  struct Request {
    var file: String
    var params: ParamOptions
    var connection: ConnectionOptions
    var quiet: Bool
    var mode: DebugSession.Mode
    var breakpoints: [String] = []
  }

  /// Runs the request and exits with the run's outcome code.
  static func run(_ request: Request) throws {
    let environment = ProcessInfo.processInfo.environment
    let style = TerminalStyle.forStandardError(environment: environment)
    let report = OutcomeReport(style: style)
    let inputs = try request.params.inputs(report: report)
    let setup = try request.connection.setup(report: report, environment: environment)
    let sink = TerminalSink(quiet: request.quiet, style: style)
    let cancellation = Cancellation()
    let executor = setup.makeExecutor(sink: sink, cancellation: cancellation)
    defer { executor.close() }
    let input: any ReplInput
    if isatty(STDIN_FILENO) != 0 {
      // The debugged run is under way until it ends: Ctrl-C cancels the step running, and
      // the debugger pauses at it.
      ReplInterrupts.install(
        cancellation: cancellation, isEvaluating: { true },
        stop: { executor.terminateRunningCommands() })
      input = TerminalInput(editor: ReplCommand.makeEditor(environment: environment))
    } else {
      Interrupts.install(cancellation: cancellation) { executor.terminateRunningCommands() }
      input = PipedInput()
    }
    let console = DebugTerminalConsole(input: input, report: report)
    let debugger = DebugSession(
      console: console, mode: request.mode, sink: sink, table: Stdlib.table)
    for text in request.breakpoints {
      guard let breakpoint = DebugBreakpoint.parse(text) ?? DebugBreakpoint.parse("\"\(text)\"")
      else { continue }
      debugger.add(breakpoint)
    }
    let driver = Driver(sink: debugger.recorder, executor: executor)
    let options = RunOptions(
      params: inputs, environment: environment, inventory: setup.inventory,
      cancellation: cancellation
    ) { diagnostics, sources in
      report.writeDiagnostics(diagnostics, sources: sources, isRun: true)
    }
    let outcome = driver.debug(path: request.file, options: options, debugger: debugger)
    if let status = Interrupts.interruptedStatus { throw ExitCode(status) }
    report.write(outcome, isRun: true, diagnosticsShown: true)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
  }
}
