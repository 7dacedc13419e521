import Foundation

/// Who holds a host's run lock: the content of the lock file on the host, one JSON line,
/// written by the run that took the lock and read by a run that finds it taken, to name the
/// holder (run id, playbook, controller machine, user, process id, start).
public struct RunLockHolder: Sendable, Equatable, Codable {
  /// The run's id (`haflow runs`).
  public var runID: String
  /// The playbook it runs.
  public var playbook: String
  /// The machine haflow runs on (its host name).
  public var controller: String
  /// The user haflow runs as there.
  public var user: String
  /// haflow's process id there.
  public var pid: Int32
  /// When the run started (RFC 3339, UTC).
  public var started: String

  enum CodingKeys: String, CodingKey {
    case runID = "run_id"
    case playbook, controller, user, pid, started
  }

  /// Makes a holder.
  public init(
    runID: String, playbook: String, controller: String, user: String, pid: Int32,
    started: String
  ) {
    self.runID = runID
    self.playbook = playbook
    self.controller = controller
    self.user = user
    self.pid = pid
    self.started = started
  }

  /// The lock file's content: one line of JSON, keys sorted (the same holder always writes
  /// the same text, which is how a run recognises its own lock when it releases it).
  public var line: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// The holder a lock file names, or nil when it is not one haflow wrote.
  public static func parse(_ text: String) -> RunLockHolder? {
    try? JSONDecoder().decode(RunLockHolder.self, from: Data(text.utf8))
  }

  /// `run 20261207T070000Z-1a2b3c (site.hf), started 2026-12-07T07:00:00Z by root on ctl1,
  /// pid 4242`.
  public var summary: String {
    "run \(runID) (\(playbook)), started \(started) by \(user) on \(controller), pid \(pid)"
  }

  /// How an unreadable lock file is named in messages: its first line, cut short.
  static func describeUnknown(_ text: String) -> String {
    let first = text.split(separator: "\n", omittingEmptySubsequences: true).first ?? ""
    let cut = first.count > 120 ? first.prefix(120) + "…" : first
    return cut.isEmpty ? "an empty lock file" : "a lock file haflow cannot read (\(cut))"
  }
}
