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
    runs(pid, program: "sshd", config: config)
  }

  /// Whether `pid` is alive and its command line names `program` and `-f config` (sshd
  /// rewrites its command line as one string, so this reads words, not arguments).
  static func runs(_ pid: Int32, program: String, config: String) -> Bool {
    guard isAlive(pid), let line = commandLine(pid) else { return false }
    let flag = "-f " + config
    return line.contains(program) && (line.contains(flag + " ") || line.hasSuffix(flag))
  }

  /// Live processes whose command line names `program` and `-f config`.
  static func running(program: String, config: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { runs($0, program: program, config: config) }
  }

  /// Live processes whose command line names `program` and `-f CONFIG` for a CONFIG of
  /// `configs`, under the value `configs` gives it; one look at the
  /// process table for all of them.
  static func running(program: String, configs: [String: String]) -> [String: [Int32]] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [String: [Int32]] = [:]
    for pid in entries.compactMap(Int32.init) {
      guard let line = commandLine(pid), line.contains(program),
        let flag = line.range(of: "-f ")
      else { continue }
      let rest = line[flag.upperBound...]
      // The path up to the next space; a path with spaces is compared in full.
      let key =
        configs[String(rest.prefix { $0 != " " })]
        ?? configs.first { rest == $0.key || rest.hasPrefix($0.key + " ") }?.value
      guard let key, isAlive(pid) else { continue }
      found[key, default: []].append(pid)
    }
    return found
  }

  /// Stops what `find` names, with everything those processes forked: SIGTERM, up to `grace`
  /// for them all to end (`find` is asked again while waiting, so a process that appears
  /// meanwhile is caught), then SIGKILL and up to 2 s more. Returns the IDs still alive at
  /// the end (none, normally). `reaping` names processes this one may have started that may
  /// be dead already (a recorded sshd or haproxy): reaped if they are zombie children.
  static func stop(
    grace: Duration = .seconds(3), reaping: [Int32] = [], finding find: () -> [Int32]
  ) -> [Int32] {
    for pid in reaping where pid > 0 {
      var status: Int32 = 0
      _ = waitpid(pid, &status, WNOHANG)
    }
    func all() -> [Int32] {
      let roots = find()
      return roots.isEmpty ? [] : Array(Set(roots + descendants(of: roots))).sorted()
    }
    var targets = all()
    guard !targets.isEmpty else { return [] }
    // SIGCONT after SIGTERM: a frozen process (a kubelet stopped with systemctl) handles it.
    for target in targets {
      kill(target, SIGTERM)
      kill(target, SIGCONT)
    }
    targets = waitForEnd(of: targets, within: grace, finding: all)
    guard !targets.isEmpty else { return [] }
    for target in targets { kill(target, SIGKILL) }
    return waitForEnd(of: targets, within: .seconds(2), finding: all)
  }

  /// Waits until `find` names no live process or the time is up; reaps those of them that are
  /// this process's children (a lab started in-process, as the tests do, has its sshd and
  /// haproxy as children).
  private static func waitForEnd(
    of targets: [Int32], within limit: Duration, finding find: () -> [Int32]
  ) -> [Int32] {
    let deadline = ContinuousClock.now + limit
    var seen = Set(targets)
    while true {
      let found = find()
      seen.formUnion(found)
      for pid in seen {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
      }
      let alive = found.filter(isAlive)
      if alive.isEmpty || ContinuousClock.now >= deadline { return alive }
      usleep(25_000)
    }
  }

  /// Every descendant of `pid` (children, theirs, …).
  static func descendants(of pid: Int32) -> [Int32] { descendants(of: [pid]) }

  /// Every descendant of the processes in `roots`, read from one look at the process table.
  static func descendants(of roots: [Int32]) -> [Int32] {
    let table = parents()
    var children: [Int32: [Int32]] = [:]
    for (pid, parent) in table { children[parent, default: []].append(pid) }
    var result: [Int32] = []
    var frontier = roots
    // Each process is visited once: the table is a forest keyed by parent.
    while let next = frontier.popLast(), result.count < table.count {
      let kids = children[next] ?? []
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
