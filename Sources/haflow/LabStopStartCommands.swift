import ArgumentParser
import Foundation
import Lab

/// `haflow lab stop HOST…`: takes hosts down on purpose.
struct LabStopCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "stop",
    abstract: "Take lab hosts down, as a power cut would, to rehearse a lost host.",
    discussion: """
      Stops the host's sshd, every session on it and every other process it runs (haproxy \
      on lb, so the control_plane_endpoint goes with it; later, the host's cluster \
      components). The host's files stay. A playbook then finds it unreachable; \
      `lab status` shows it as stopped, and `lab start` (or `lab up`) brings it back.

      EXAMPLES:
        haflow lab stop w2
        haflow lab stop cp3 lb
        haflow exec -i .haflow/lab/inventory.ini w2 -- true     # UNREACHABLE
        haflow lab start w2

      EXIT CODES:
        0   the hosts are down
        1   no running lab, an unknown host, or a process that would not die
      """)

  /// The hosts.
  @Argument(help: ArgumentHelp("Hosts to take down (names from lab status).", valueName: "host"))
  var hosts: [String]

  @OptionGroup var location: LabLocation

  /// Stops the hosts.
  func run() throws {
    do {
      let stopped = try location.lab.stop(hosts) { Console.err("  \($0)\n") }
      Console.err("haflow lab: \(stopped.count) of \(hosts.count) hosts stopped\n")
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
  }
}

/// `haflow lab start HOST…`: brings stopped hosts back.
struct LabStartCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Bring lab hosts back after lab stop (or a crash), with the files they had.",
    discussion: """
      Starts the host's sshd again (in fresh namespaces over the same directories, so its \
      files are as it left them) and, on lb, haproxy; returns when they accept connections. \
      A host that is up is left alone.

      EXAMPLES:
        haflow lab start w2
        haflow lab start cp3 lb

      EXIT CODES:
        0   the hosts are up
        1   no running lab, an unknown host, or a host that would not start (its log is quoted)
      """)

  /// The hosts.
  @Argument(help: ArgumentHelp("Hosts to bring back.", valueName: "host"))
  var hosts: [String]

  @OptionGroup var location: LabLocation

  /// Starts the hosts.
  func run() throws {
    do {
      let started = try location.lab.start(hosts) { Console.err("  \($0)\n") }
      Console.err("haflow lab: \(started.count) of \(hosts.count) hosts started\n")
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
  }
}
