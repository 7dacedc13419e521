import ArgumentParser
import Foundation
import Interpreter
import Session

/// Which steps and hosts `haflow run` runs, and the listings that run nothing.
struct RunSelectionOptions: ParsableArguments {
  /// `--start-at STEP`.
  @Option(
    help: ArgumentHelp(
      "Leave out the steps before the first one with this name.", valueName: "step"))
  var startAt: String?

  /// `--only STEP`, repeatable.
  @Option(
    help: ArgumentHelp("Run only the steps with this name (repeatable).", valueName: "step"))
  var only: [String] = []

  /// `--skip STEP`, repeatable.
  @Option(help: ArgumentHelp("Leave out the step with this name (repeatable).", valueName: "step"))
  var skip: [String] = []

  /// `--limit PATTERN`.
  @Option(
    help: ArgumentHelp(
      "Run `on` only on these hosts: a host pattern as `exec` takes it, or @FILE with one host per line.",
      valueName: "pattern"))
  var limit: String?

  /// `--list-steps`.
  @Flag(help: "List the playbook's steps and exit; nothing runs.")
  var listSteps = false

  /// `--list-hosts`.
  @Flag(help: "List the hosts each step would run on and exit; no host is connected to.")
  var listHosts = false

  /// Whether anything is selected.
  var isEmpty: Bool { startAt == nil && only.isEmpty && skip.isEmpty && limit == nil }

  /// The filter for the run; `--limit` is resolved in `inventory` (exits 2 on an unknown host
  /// or an unreadable @file).
  func filter(inventory: Inventory, report: OutcomeReport) throws -> StepFilter? {
    guard !isEmpty else { return nil }
    var hosts: Set<String>?
    if let limit {
      do {
        hosts = try HostLimit.resolve(limit, in: inventory)
      } catch let error as RuntimeError {
        report.usageError(
          "--limit: " + error.message + (error.hint.map { "\nhint: " + $0 } ?? ""))
        throw ExitCode(ExitStatus.usage)
      }
    }
    return StepFilter(startAt: startAt, only: only, skip: skip, limit: hosts)
  }
}
