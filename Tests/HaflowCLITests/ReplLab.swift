import Foundation
import Testing

/// A `haflow lab` of real sshd hosts for one REPL or debugger test, in the test's directory.
enum ReplLab {
  /// Starts `hosts` hosts from `firstAddress` in `directory`; returns the inventory path.
  static func up(hosts: Int, firstAddress: String, in directory: URL) throws -> String {
    let result = try HaflowCLI.run(
      ["lab", "up", "--hosts", String(hosts), "--first-address", firstAddress], in: directory)
    guard result.status == 0 else {
      throw PTYError("haflow lab up failed (\(result.status)):\n\(result.stderr)")
    }
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Stops the lab and removes its files.
  static func down(in directory: URL) {
    _ = try? HaflowCLI.run(["lab", "down", "--purge"], in: directory)
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

  /// Whether a process whose command line contains `marker` runs now.
  static func processRuns(_ marker: String) -> Bool {
    let pgrep = Process()
    pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
    pgrep.arguments = ["-f", marker]
    pgrep.standardOutput = FileHandle.nullDevice
    guard (try? pgrep.run()) != nil else { return false }
    let started = Date()
    while pgrep.isRunning && Date().timeIntervalSince(started) < 5 { usleep(10_000) }
    return !pgrep.isRunning && pgrep.terminationStatus == 0
  }
}
