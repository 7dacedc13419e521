import ArgumentParser
import Foundation
import Lab

/// `haflow lab down [--purge]`.
struct LabDownCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "down",
    abstract: "Stop the lab's OpenSSH servers (and every connection they serve).",
    discussion: """
      Each sshd gets SIGTERM, then SIGKILL if it has not ended within 3 seconds; the same \
      goes for the processes it forked for connections and, on isolated hosts, for every \
      process left in the host's namespace (haproxy, daemons a playbook started), so no \
      process, mount or namespace of the lab is left. Running it again, or with no lab, is \
      fine. Keys, inventories and the hosts' files stay (the next lab up reuses the host \
      keys and starts the hosts empty) unless --purge removes the whole lab directory.

      EXAMPLES:
        haflow lab down
        haflow lab down --purge
      """)

  /// `--purge`.
  @Flag(help: "Also remove the lab directory: keys, known_hosts, inventories, logs.")
  var purge = false

  @OptionGroup var location: LabLocation

  /// Stops the lab.
  func run() throws {
    let lab = location.lab
    let report: LabDownReport
    do {
      report = try lab.down { Console.err("  \($0)\n") }
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
    if report.stopped.isEmpty {
      Console.err("haflow lab: nothing running in \(lab.files.directory)\n")
    } else {
      let seconds = Double(report.elapsed / .milliseconds(1)) / 1000
      Console.err(
        "haflow lab: stopped \(report.stopped.count) hosts in "
          + String(format: "%.2fs", seconds) + "\n")
    }
    if !report.leftover.isEmpty {
      let pids = report.leftover.map(String.init).joined(separator: " ")
      Console.err("haflow lab: processes that would not die: \(pids)\n")
      throw ExitCode(ExitStatus.failed)
    }
    if purge, FileManager.default.fileExists(atPath: lab.files.directory) {
      do {
        try FileManager.default.removeItem(atPath: lab.files.directory)
        Console.err("haflow lab: removed \(lab.files.directory)\n")
      } catch {
        LabLocation.report(LabError("cannot remove \(lab.files.directory): \(error)"))
        throw ExitCode(ExitStatus.failed)
      }
    }
  }
}
