import ArgumentParser
import Foundation
import Interpreter
import Remote
import Session
import Synchronization

/// One run of a playbook with the terminal around it: live progress or a line per event, the
/// event log and journal, the recap. Shared by `run` and `rehearse`.
struct PlaybookRun {
  /// The playbook.
  let file: String
  /// The param values given.
  let inputs: [String: ParamInput]
  /// The inventory and SSH settings.
  let setup: RemoteSetup
  /// `--quiet`.
  let quiet: Bool
  /// `--log-format`, `--log`, `--color`, `-v`.
  let output: RunOutputOptions
  /// The process's environment.
  let environment: [String: String]
  /// Colours for standard error.
  let style: TerminalStyle
  /// Where errors are written.
  let report: OutcomeReport

  /// Runs the playbook, prints its outcome and recap, and returns its exit status (130/143
  /// when a signal stopped it). `running` learns the executor, so a signal can stop its
  /// commands; `locks` holds each host's run lock while the run drives it (nil: `--no-lock`).
  func run(
    filter: StepFilter?, plan: ResumePlan?, runs: RunsDirectory, cancellation: Cancellation,
    running: RunningCommands, locks: RunLocks? = RunLocks()
  ) throws -> Int32 {
    let json = output.logFormat == .json
    let log = RunEventLog()
    let journal = RunJournal(root: runs.path, plan: plan)
    log.addListener(journal.record)
    let recap = RecapBuilder()
    log.addListener(recap.observe)
    if let eventFile = try output.openLogFile(report: report) { log.addListener(eventFile.write) }
    if json { log.addListener { Console.out($0.jsonLine + "\n") } }
    let terminal = TerminalSink(quiet: quiet, style: style)
    // On a terminal the running step is a live line with its output folded under it; `-v`,
    // `--quiet` and pipes get a line per event.
    let showLive = !json && !quiet && output.verbosity == 0 && Console.stderrIsTerminal
    let live: LiveProgress? = showLive ? LiveProgress(style: style) : nil
    defer { live?.finish() }
    var sink: any OutputSink = terminal
    if let live { sink = live }
    if json { sink = DiscardingSink() }
    if !json && output.verbosity >= 2 {
      let style = style
      log.addListener { event in
        if let line = DetailLines.line(event, style: style) { Console.err(line) }
      }
    }
    var setup = setup
    if !json && output.verbosity >= 2 {
      let style = style
      setup.configuration.channelTrace = { Console.err(DetailLines.channel($0, style: style)) }
    }
    if let live {
      // Long transfers show their bytes and rate on the live line until their event.
      setup.configuration.transferProgress = { live.transfer($0) }
      log.addListener { event in
        if event.kind == .transfer, let host = event.host {
          live.transferEnded(host: host, path: event["path"]?.text)
        } else if event.kind == .hostUnreachable, let host = event.host {
          live.transferEnded(host: host)
        }
      }
    }
    let executor = setup.makeExecutor(sink: terminal, cancellation: cancellation)
    running.attach { executor.terminateRunningCommands() }
    defer {
      running.attach(nil)
      executor.close()
    }
    let driver = Driver(sink: sink, executor: executor)
    let report = report
    var options = RunOptions(
      params: inputs, environment: environment, inventory: setup.inventory,
      cancellation: cancellation
    ) { diagnostics, sources in
      report.writeDiagnostics(diagnostics, sources: sources, isRun: true)
    }
    options.events = log
    options.selection = filter
    options.resume = plan
    options.locks = locks
    options.interruptedStatus = { Interrupts.interruptedStatus ?? 130 }
    let outcome = driver.run(path: file, options: options)
    live?.finish()
    // Stopped by Ctrl-C or SIGTERM: the run has unwound; the sessions close on the way out.
    if let status = Interrupts.interruptedStatus {
      if !json, outcome.began, recap.recap.status != nil {
        Console.err(RecapText.render(recap.recap, style: style))
      }
      return status
    }
    report.write(outcome, isRun: true, diagnosticsShown: true)
    if journal.hadWriteError {
      Console.err("haflow: warning: could not write the run's journal in \(runs.path)\n")
    }
    // A run refused before it began (check errors, params) has its events but no recap.
    if !json, outcome.began, recap.recap.status != nil {
      Console.err(RecapText.render(recap.recap, style: style))
    }
    return outcome.exitCode
  }
}

/// The running commands a signal stops: set once a run has its executor, cleared after.
/// The signal handlers are installed before (so a rehearsal's lab can be taken down when a
/// signal comes while it starts), hence the indirection.
final class RunningCommands: Sendable {
  private let stopper = Mutex<(@Sendable () -> Int)?>(nil)

  /// Makes an empty one.
  init() {}

  /// Sets (or clears) what stops the commands; it returns how many it stopped.
  func attach(_ stop: (@Sendable () -> Int)?) { stopper.withLock { $0 = stop } }

  /// Stops the running commands, if a run has some; how many.
  func stop() -> Int { stopper.withLock { $0 }?() ?? 0 }
}
