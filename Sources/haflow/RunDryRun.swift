import ArgumentParser
import Foundation
import Interpreter
import Session

import struct Interpreter.Host

/// `haflow run --dry-run[=plan|connect]`.
enum DryRunMode: String, ExpressibleByArgument, CaseIterable {
  /// The plan: every step's commands and transfers, host by host; nothing runs, nothing is
  /// connected to.
  case plan
  /// Open and authenticate every session the run would use (host keys checked); run nothing.
  case connect

  /// The arguments with a bare `--dry-run` written as `--dry-run=plan` (an option's value
  /// cannot be optional in ArgumentParser).
  static func normalized(_ arguments: [String]) -> [String] {
    arguments.map { $0 == "--dry-run" ? "--dry-run=plan" : $0 }
  }
}

/// What `--dry-run` does.
enum RunDryRun {
  /// The plan: the run's progress lines with a stand-in executor, then a note.
  static func plan(
    _ file: String, inputs: [String: ParamInput], setup: RemoteSetup, filter: StepFilter?,
    environment: [String: String], style: TerminalStyle, report: OutcomeReport
  ) throws {
    Console.err(
      style.bold("DRY RUN")
        + ": nothing runs and no host is connected to; remote output is shown as <from step \"…\">\n"
    )
    let log = RunEventLog()
    let driver = Driver(
      sink: TerminalSink(quiet: false, style: style), executor: DryRunExecutor(log: log),
      prober: DryRunProber())
    var options = RunOptions(
      params: inputs, environment: environment, inventory: setup.inventory
    ) { diagnostics, sources in
      report.writeDiagnostics(diagnostics, sources: sources, isRun: true)
    }
    options.events = log
    options.selection = filter
    let outcome = driver.run(path: file, options: options)
    if let error = outcome.runtimeError {
      Console.err(
        "haflow: note: the plan stops here: a value the run would get from a host is a "
          + "placeholder in a dry run:\n" + report.highlight(error.rendered(in: outcome.sources))
          + "\n")
      return
    }
    report.write(outcome, isRun: true, diagnosticsShown: true)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
  }

  /// Connects to every host the run would use — each step's hosts, or every host of the
  /// inventory (within `--limit`) when some step's hosts are known only at run time — and
  /// prints one line per host; exits 3 when a host cannot be reached.
  static func connect(
    _ file: String, inputs: [String: ParamInput], setup: RemoteSetup, filter: StepFilter?,
    environment: [String: String], style: TerminalStyle, report: OutcomeReport
  ) throws {
    let (outcome, steps) = RunListings.stepHosts(
      file, inputs: inputs, setup: setup, filter: filter, environment: environment)
    guard outcome.diagnostics.allSatisfy({ $0.severity != .error }), outcome.usageErrors.isEmpty,
      outcome.paramErrors.isEmpty
    else {
      report.write(outcome, isRun: true)
      throw ExitCode(outcome.exitCode)
    }
    var names: [String] = []
    if steps.contains(where: { $0.1 == nil }) || outcome.runtimeError != nil {
      names = setup.inventory.hosts.map(\.name).filter { filter?.includes(host: $0) ?? true }
    } else {
      for (_, hosts) in steps {
        for host in hosts ?? [] where !names.contains(host) { names.append(host) }
      }
    }
    let hosts: [Host] = names.compactMap { setup.inventory.host(named: $0) }.filter { !$0.isLocal }
    let executor = setup.makeExecutor(
      sink: TerminalSink(quiet: false, style: style), cancellation: Cancellation())
    defer { executor.close() }
    let failures = executor.connectAll(hosts)
    for host in hosts {
      if let error = failures[host.name] {
        let hint = error.hint.map { "\n  hint: \($0)" } ?? ""
        Console.out("\(host.name) | \(style.red("UNREACHABLE")) | \(error.message)\(hint)\n")
      } else {
        Console.out("\(host.name) | \(style.green("ok")) | connected and authenticated\n")
      }
    }
    let reached = hosts.count - failures.count
    Console.err(
      "\(hosts.count) hosts: \(reached) connected, \(failures.count) unreachable; nothing ran\n")
    if !failures.isEmpty { throw ExitCode(ExitStatus.unreachable) }
  }
}
