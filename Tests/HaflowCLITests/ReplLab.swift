import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A `haflow lab` of real sshd hosts for one REPL or debugger test, in the test's directory.
///
/// Use as `defer { ReplLab.down(in: directory) }` *before* `ReplLab.up`, so that hosts a
/// failed or timed-out `up` left running are stopped too. Both are bounded: `haflow lab` is
/// killed (with everything it started) when it does not finish in time.
enum ReplLab {
  /// Starts `hosts` hosts from `firstAddress` in `directory`; returns the inventory path.
  /// The hosts share this machine's files (`--shared`): the debugger test checks, on the
  /// hosts, marker files it writes here.
  static func up(hosts: Int, firstAddress: String, in directory: URL) throws -> String {
    let result = try haflow(
      ["lab", "up", "--shared", "--hosts", String(hosts), "--first-address", firstAddress],
      in: directory, limit: 60)
    guard result.status == 0 else {
      throw PTYError("haflow lab up failed (\(result.status)):\n\(result.errors)")
    }
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Stops the lab and removes its files (no lab: nothing happens).
  static func down(in directory: URL) {
    _ = try? haflow(["lab", "down", "--purge"], in: directory, limit: 30)
  }

  /// Runs `haflow ARGUMENTS` in `directory`; kills it and what it started when it runs
  /// longer than `limit` seconds.
  static func haflow(_ arguments: [String], in directory: URL, limit: Double) throws -> (
    status: Int32, output: String, errors: String
  ) {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let name = directory.appendingPathComponent(".lab-\(UUID().uuidString)").path
    let output = name + ".out"
    let errors = name + ".err"
    defer {
      unlink(output)
      unlink(errors)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    let pid = try ChildProcess.spawn(
      [binary.path] + arguments, environment: environment, directory: directory.path,
      output: output, errors: errors)
    guard let status = ChildProcess.reap(pid, within: limit) else {
      ChildProcess.killTree(pid)
      _ = ChildProcess.reap(pid, within: 5)
      throw PTYError("haflow \(arguments.joined(separator: " ")) took more than \(limit)s")
    }
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    return (status, read(output), read(errors))
  }

  /// Waits up to `timeout` seconds until a process whose command line contains `marker` runs
  /// (`running: true`) or none does (`running: false`); returns whether that happened.
  static func waitForProcess(_ marker: String, running: Bool, timeout: Double = 5) -> Bool {
    let started = Date()
    repeat {
      if processRuns(marker) == running { return true }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date().timeIntervalSince(started) < timeout
    return false
  }

  /// Whether a process whose command line contains `marker` runs now (read from /proc: no
  /// process to start and wait for).
  static func processRuns(_ marker: String) -> Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    let own = getpid()
    for name in names {
      guard let pid = pid_t(name), pid != own,
        let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
      else { continue }
      let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      if words.joined(separator: " ").contains(marker) { return true }
    }
    return false
  }
}
