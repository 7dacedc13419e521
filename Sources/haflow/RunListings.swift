import ArgumentParser
import Foundation
import Interpreter
import Session
import Synchronization

/// `haflow run --list-steps` and `--list-hosts`: what a run would do, without running it.
enum RunListings {
  /// Prints each step, in source order, with its `on` as written.
  static func listSteps(_ file: String, report: OutcomeReport) throws {
    let (outcome, steps) = Driver(sink: DiscardingSink()).listSteps(path: file)
    report.write(outcome, isRun: false)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
    for step in steps {
      let name = step.name.map(TerminalSink.quoted) ?? "(computed name)"
      Console.out(name + (step.target.map { "  " + $0 } ?? "") + "\n")
    }
  }

  /// Evaluates the playbook's top level with every step left out and no connection, and
  /// prints the hosts each step would run on.
  static func listHosts(
    _ file: String, inputs: [String: ParamInput], setup: RemoteSetup, filter: StepFilter?,
    environment: [String: String], report: OutcomeReport
  ) throws {
    let (outcome, steps) = stepHosts(
      file, inputs: inputs, setup: setup, filter: filter, environment: environment)
    guard outcome.diagnostics.allSatisfy({ $0.severity != .error }), outcome.usageErrors.isEmpty,
      outcome.paramErrors.isEmpty
    else {
      report.write(outcome, isRun: true)
      throw ExitCode(outcome.exitCode)
    }
    for (name, found) in steps {
      let hosts: String
      if let found {
        hosts = found.isEmpty ? "(no hosts: runs here)" : found.joined(separator: ", ")
      } else {
        hosts = "(known only when the run gets there)"
      }
      Console.out(TerminalSink.quoted(name) + "  " + hosts + "\n")
    }
    if let error = outcome.runtimeError {
      Console.err(
        "haflow: note: the listing stopped at an error; later steps' hosts depend on what "
          + "earlier steps return:\n" + report.highlight(error.rendered(in: outcome.sources)) + "\n"
      )
    }
  }

  /// The steps the run would run (in source order, `filter` applied) with the hosts each
  /// would run on: nil when they are known only when the run gets there. Nothing runs and
  /// nothing is connected to.
  static func stepHosts(
    _ file: String, inputs: [String: ParamInput], setup: RemoteSetup, filter: StepFilter?,
    environment: [String: String]
  ) -> (RunOutcome, [(String, [String]?)]) {
    let listing = StepFilter(
      startAt: filter?.startAt, only: filter?.only ?? [], skip: filter?.skip ?? [],
      limit: filter?.limit, skipEvery: "--list-hosts")
    let steps = Mutex<[(String, [String])]>([])
    let log = RunEventLog()
    log.addListener { event in
      guard event.kind == .stepSkip, let name = event.step else { return }
      if case .strings(let hosts) = event["hosts"] { steps.withLock { $0.append((name, hosts)) } }
    }
    let driver = Driver(
      sink: DiscardingSink(), executor: ListingExecutor(), prober: ListingProber())
    var options = RunOptions(params: inputs, environment: environment, inventory: setup.inventory)
    options.events = log
    options.selection = listing
    let outcome = driver.run(path: file, options: options)
    let reached = Dictionary(steps.withLock { $0 }, uniquingKeysWith: { first, _ in first })
    let (_, all) = Driver(sink: DiscardingSink()).listSteps(path: file)
    var result: [(String, [String]?)] = []
    for step in all {
      guard let name = step.name else { continue }
      if let filter, filter.skipReason(step: name) != nil { continue }
      result.append((name, reached[name]))
    }
    return (outcome, result)
  }
}
