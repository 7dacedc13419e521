import ArgumentParser
import Foundation
import Interpreter
import Session

/// `haflow run FILE [-p name=value]… [--params FILE.yaml] [--quiet]`.
struct RunCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Check a playbook, bind its params and run it.",
    discussion: HelpText.run)

  /// The playbook.
  @ArgumentParser.Argument(help: "The playbook to run (a .hf file).")
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

  /// `--log-format`, `--log`, `--color`, `-v`.
  @OptionGroup(title: "Output")
  var output: RunOutputOptions

  /// `--start-at`, `--only`, `--skip`, `--limit`, `--list-steps`, `--list-hosts`.
  @OptionGroup(title: "Choosing steps and hosts")
  var selection: RunSelectionOptions

  /// `--dry-run[=plan|connect]`.
  @Option(
    help: ArgumentHelp(
      "Show the plan (commands and transfers per step and host) without connecting; =connect: also open and authenticate every session, run nothing.",
      valueName: "plan|connect"))
  var dryRun: DryRunMode?

  /// `--resume[=ID]`.
  @Option(
    help: ArgumentHelp(
      "Continue the latest run of this playbook (or run ID, see `haflow runs`): steps it completed are not run again, their values are given back (docs/run.md).",
      valueName: "id"))
  var resume: String?

  /// `--break-lock`.
  @Flag(
    help:
      "Take over the run lock of hosts another run holds (a run whose machine crashed); warns for each (docs/run.md)."
  )
  var breakLock = false

  /// `--no-lock`.
  @Flag(help: "Take no run lock on the hosts (docs/run.md).")
  var noLock = false

  /// Rejects modes that cannot go together (exit 2), rather than ignoring one of them.
  func validate() throws {
    if breakLock && noLock {
      throw ValidationError("--break-lock and --no-lock cannot be used together")
    }
    var modes: [String] = []
    if debugOnFailure { modes.append("--debug-on-failure") }
    if let dryRun { modes.append("--dry-run=\(dryRun.rawValue)") }
    if selection.listSteps { modes.append("--list-steps") }
    if selection.listHosts { modes.append("--list-hosts") }
    if modes.count > 1 {
      throw ValidationError("\(modes.joined(separator: " and ")) cannot be used together")
    }
    if let mode = modes.first, resume != nil {
      throw ValidationError("\(mode) and --resume cannot be used together")
    }
    if let mode = modes.first, output.logFormat == .json || output.logFile != nil {
      throw ValidationError("\(mode) writes no events: leave out --log-format json and --log")
    }
  }

  /// Runs the playbook and exits with its outcome's code.
  func run() throws {
    if debugOnFailure {
      return try DebugLauncher.run(
        .init(
          file: file, params: paramOptions, connection: connection,
          quiet: quiet, mode: .running))
    }
    let environment = ProcessInfo.processInfo.environment
    let style = output.style(environment: environment)
    let report = OutcomeReport(style: style)
    if selection.listSteps { return try RunListings.listSteps(file, report: report) }
    let inputs = try paramOptions.inputs(report: report)
    let setup = try connection.setup(report: report, environment: environment)
    let filter = try selection.filter(inventory: setup.inventory, report: report)
    if let dryRun {
      let run = dryRun == .plan ? RunDryRun.plan : RunDryRun.connect
      return try run(file, inputs, setup, filter, environment, style, report)
    }
    if selection.listHosts {
      return try RunListings.listHosts(
        file, inputs: inputs, setup: setup, filter: filter, environment: environment,
        report: report)
    }
    let runs = RunsDirectory(environment: environment)
    let plan = try resume.map {
      try RunResume.plan(
        $0, file: file, runs: runs, inventory: setup.inventory, report: report)
    }
    if let plan, output.logFormat != .json { Console.err("resuming run \(plan.runID)\n") }
    let cancellation = Cancellation()
    let running = RunningCommands()
    Interrupts.install(cancellation: cancellation, stop: { running.stop() })
    let status = try PlaybookRun(
      file: file, inputs: inputs, setup: setup, quiet: quiet, output: output,
      environment: environment, style: style, report: report
    ).run(
      filter: filter, plan: plan, runs: runs, cancellation: cancellation, running: running,
      locks: noLock ? nil : RunLocks(breakLock: breakLock))
    guard status == ExitStatus.ok else { throw ExitCode(status) }
  }
}
