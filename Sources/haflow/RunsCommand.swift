import ArgumentParser
import Foundation
import Session

/// `haflow runs`: the past runs whose journals are in `.haflow/runs`.
struct RunsCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "List past runs (id, playbook, start, status, failed step) from their journals.",
    discussion:
      "Journals are in .haflow/runs/<id>/journal.jsonl (HAFLOW_RUNS_DIR to choose another directory); `haflow run --resume [ID]` continues one."
  )

  /// Prints one line per run, oldest first.
  func run() throws {
    let runs = RunsDirectory(environment: ProcessInfo.processInfo.environment)
    let journals = runs.journals()
    guard !journals.isEmpty else {
      Console.err("no runs in \(runs.path)\n")
      return
    }
    let rows =
      [["ID", "PLAYBOOK", "STARTED", "STATUS", "FAILED STEP"]]
      + journals.map { run in
        [
          run.runID ?? "?", run.playbook ?? "?", run.start ?? "?", run.status,
          run.failedStep ?? "-",
        ]
      }
    Console.out(RunsCommand.table(rows))
  }

  /// Rows as columns padded to their widest cell.
  static func table(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1
          ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}
