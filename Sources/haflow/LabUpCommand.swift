import ArgumentParser
import Foundation
import Lab

/// `haflow lab up [--hosts N] [--user NAME]`.
struct LabUpCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "up",
    abstract: "Start the lab's OpenSSH servers and write its inventories.",
    discussion: """
      Progress goes to standard error; the last line on standard output is the path of \
      inventory.ini, so a script can write: inventory=$(haflow lab up --hosts 6). When the \
      lab is already up, nothing is started twice: hosts whose sshd died are restarted and \
      the path is printed again. Host keys are kept across `lab down` and `lab up`, so \
      known_hosts entries stay valid.

      EXAMPLES:
        haflow lab up
        haflow lab up --hosts 8
        sudo haflow lab up --hosts 6 --user bench   # log in as a plain-sh user
        HAFLOW_LAB_DIR=/tmp/lab2 haflow lab up --first-address 127.0.0.40

      EXIT CODES:
        0   every host is up
        1   a host could not be started (its sshd log is quoted)
        2   usage error
      """)

  /// `--hosts N`.
  @Option(help: ArgumentHelp("How many hosts (1-50).", valueName: "n"))
  var hosts = 3

  /// `--user NAME`.
  @Option(
    help: ArgumentHelp(
      "Log in as this user (root only; created with useradd -M -s /bin/sh when missing). Default: root as root, else you.",
      valueName: "name"))
  var user: String?

  /// `--first-address ADDRESS`.
  @Option(
    help: ArgumentHelp(
      "The first host's address; the others follow (for a second lab beside the first).",
      valueName: "address"))
  var firstAddress = "127.0.0.2"

  /// `--free-ports`.
  @Flag(help: "Listen on free high ports even as root (default as root: port 22).")
  var freePorts = false

  @OptionGroup var location: LabLocation

  /// Rejects a host count out of range.
  func validate() throws {
    guard (1...LabOptions.maxHosts).contains(hosts) else {
      throw ValidationError("--hosts must be 1-\(LabOptions.maxHosts)")
    }
  }

  /// Starts the lab and prints how to use it.
  func run() throws {
    let lab = location.lab
    let options = LabOptions(
      hosts: hosts, user: user, firstAddress: firstAddress, freePorts: freePorts)
    Console.err("haflow lab: \(lab.files.directory)\n")
    let report: LabUpReport
    do {
      report = try lab.up(options) { Console.err("  \($0)\n") }
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
    let files = lab.files
    let count = report.state.hosts.count
    if report.started.isEmpty {
      Console.err("the lab is already up: \(count) hosts, user \(report.state.user)\n")
    } else {
      let seconds = Double(report.elapsed / .milliseconds(1)) / 1000
      Console.err(
        "started \(report.started.count) of \(count) hosts in "
          + String(format: "%.2fs", seconds) + ", user \(report.state.user)\n")
    }
    let first = report.state.hosts[0]
    let sshPort = first.port == 22 ? "" : " -p \(first.port)"
    Console.err(
      """
      use it:
        haflow inventory -i \(files.inventoryINI)
        haflow run -i \(files.inventoryINI) PLAYBOOK.hf
        ssh -i \(files.clientKey) -o UserKnownHostsFile=\(files.knownHosts)\(sshPort) \(report.state.user)@\(first.address)
        haflow lab down

      """)
    Console.out(files.inventoryINI + "\n")
  }
}
