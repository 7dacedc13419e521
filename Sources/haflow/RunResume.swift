import ArgumentParser
import Foundation
import Interpreter
import Session

/// `haflow run --resume[=ID]`: finds the past run and makes its plan.
enum RunResume {
  /// The value a bare `--resume` stands for: the latest run of the playbook.
  static let latest = "latest"

  /// The arguments with a bare `--resume` written as `--resume=latest`, unless a run id
  /// follows it (an option's value cannot be optional in ArgumentParser).
  static func normalized(_ arguments: [String]) -> [String] {
    var out: [String] = []
    for (index, argument) in arguments.enumerated() {
      guard argument == "--resume" else {
        out.append(argument)
        continue
      }
      let next = index + 1 < arguments.count ? arguments[index + 1] : ""
      out.append(isRunID(next) ? argument : "--resume=" + latest)
    }
    return out
  }

  /// `20261207T034512Z-1a2b3c`.
  static func isRunID(_ text: String) -> Bool {
    text.range(of: #"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"#, options: .regularExpression) != nil
  }

  /// The plan for `--resume=choice`; exits 2 when there is no such run.
  static func plan(
    _ choice: String, file: String, runs: RunsDirectory, inventory: Inventory,
    report: OutcomeReport
  ) throws -> ResumePlan {
    let id = choice == latest ? nil : choice
    guard let summary = runs.find(id: id, playbook: file) else {
      report.usageError(
        id.map { "--resume: no run \($0) in \(runs.path)" }
          ?? "--resume: no past run of \(file) in \(runs.path)")
      throw ExitCode(ExitStatus.usage)
    }
    if let playbook = summary.playbook, id != nil,
      RunsDirectory.canonical(playbook) != RunsDirectory.canonical(file)
    {
      report.usageError("--resume: run \(summary.runID ?? "?") ran \(playbook), not \(file)")
      throw ExitCode(ExitStatus.usage)
    }
    return ResumePlan(summary, inventory: inventory)
  }
}
