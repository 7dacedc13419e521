import Foundation

/// Where run journals live: `.haflow/runs` under the current directory, or `HAFLOW_RUNS_DIR`;
/// one directory per run, named by its run id (sortable by start).
public struct RunsDirectory: Sendable {
  /// The journal's file name inside a run's directory.
  public static let journalName = "journal.jsonl"

  /// The directory, absolute.
  public let path: String

  /// The runs directory for this environment.
  public init(environment: [String: String]) {
    let chosen = environment["HAFLOW_RUNS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".haflow/runs"
    path = URL(fileURLWithPath: chosen).standardizedFileURL.path
  }

  /// The journals there, oldest first; unreadable ones are left out.
  public func journals() -> [JournalSummary] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let found = names.compactMap { name -> JournalSummary? in
      guard
        let text = try? String(
          contentsOfFile: path + "/" + name + "/" + Self.journalName, encoding: .utf8)
      else { return nil }
      let summary = JournalSummary(text: text)
      return summary.runID == nil ? nil : summary
    }
    // By start (to the microsecond): run ids of one second do not sort by start.
    return found.sorted { ($0.start ?? "", $0.runID ?? "") < ($1.start ?? "", $1.runID ?? "") }
  }

  /// The run `id`, or the latest run of `playbook` when `id` is nil.
  public func find(id: String?, playbook: String) -> JournalSummary? {
    let all = journals()
    if let id { return all.last { $0.runID == id } }
    let wanted = Self.canonical(playbook)
    return all.last { $0.playbook.map(Self.canonical) == wanted }
  }

  /// A playbook path made absolute, to compare runs started from the same directory.
  public static func canonical(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }

  /// Makes `path` and its parents (0700); false when it cannot.
  static func makeDirectories(_ path: String) -> Bool {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
      return true
    } catch {
      return false
    }
  }
}
