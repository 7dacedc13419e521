import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The process table under `/proc`, and stopping a process with everything it forked.
enum LabProcesses {
  /// Whether `pid` exists and is not a zombie.
  static func isAlive(_ pid: Int32) -> Bool {
    guard pid > 0, let state = stat(pid)?.state else { return false }
    return state != "Z" && state != "X"
  }

  /// The command line of `pid`, arguments joined by spaces; nil when it is gone.
  static func commandLine(_ pid: Int32) -> String? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
      return nil
    }
    return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
  }

  /// Whether `pid` is alive and runs sshd with `config` (a recorded ID may have been reused).
  static func isSSHD(_ pid: Int32, config: String) -> Bool {
    guard isAlive(pid), let line = commandLine(pid) else { return false }
    let flag = "-f " + config
    return line.contains("sshd") && (line.contains(flag + " ") || line.hasSuffix(flag))
  }

  /// Every descendant of `pid` (children, theirs, …).
  static func descendants(of pid: Int32) -> [Int32] {
    let table = parents()
    var result: [Int32] = []
    var frontier = [pid]
    // Each process is visited once: the table is a forest keyed by parent.
    while let next = frontier.popLast(), result.count < table.count {
      let kids = table.filter { $0.value == next }.map(\.key)
      result += kids
      frontier += kids
    }
    return result
  }

  /// Stops `pid` and everything it forked: SIGTERM, up to `grace` for them to end, then
  /// SIGKILL and up to 2 s more. Returns the IDs still alive at the end (none, normally).
  static func stopTree(_ pid: Int32, grace: Duration = .seconds(3)) -> [Int32] {
    var targets = descendants(of: pid) + [pid]
    for target in targets { kill(target, SIGTERM) }
    targets = waitForEnd(of: targets, within: grace, watching: pid)
    guard !targets.isEmpty else { return [] }
    targets += descendants(of: pid).filter { !targets.contains($0) }
    for target in targets { kill(target, SIGKILL) }
    return waitForEnd(of: targets, within: .seconds(2), watching: pid)
  }

  /// Waits until none of `pids` is alive or the time is up; reaps `pid` if it is our child.
  private static func waitForEnd(
    of pids: [Int32], within limit: Duration, watching pid: Int32
  ) -> [Int32] {
    let deadline = ContinuousClock.now + limit
    var alive = pids
    while true {
      var status: Int32 = 0
      _ = waitpid(pid, &status, WNOHANG)
      alive = alive.filter(isAlive)
      if alive.isEmpty || ContinuousClock.now >= deadline { return alive }
      usleep(20_000)
    }
  }

  /// `/proc/PID/stat`'s state letter and parent.
  private static func stat(_ pid: Int32) -> (state: Substring, parent: Int32)? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
    return (fields[0], parent)
  }

  /// Parent of every process.
  private static func parents() -> [Int32: Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var table: [Int32: Int32] = [:]
    for name in entries {
      guard let pid = Int32(name), let entry = stat(pid) else { continue }
      table[pid] = entry.parent
    }
    return table
  }
}
