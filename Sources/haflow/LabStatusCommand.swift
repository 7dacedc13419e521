import ArgumentParser
import Foundation
import Lab

/// `haflow lab status`.
struct LabStatusCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show each lab host: address:port, sshd pid, up or down.",
    discussion: """
      A host is up when its sshd runs and its port accepts a TCP connection.

      EXIT CODES:
        0   every host is up
        1   a host is down, or there is no lab here
      """)

  @OptionGroup var location: LabLocation

  /// Prints the table; exits 1 unless every host is up.
  func run() throws {
    let lab = location.lab
    let hosts: [LabHostStatus]
    do {
      guard let found = try lab.status() else {
        Console.err(
          "haflow lab: no lab in \(lab.files.directory) (start one with haflow lab up)\n")
        throw ExitCode(ExitStatus.failed)
      }
      hosts = found
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
    let user = (try? lab.state())??.user ?? "?"
    Console.out("lab \(lab.files.directory): \(hosts.count) hosts, user \(user)\n")
    let width = hosts.map { "\($0.address):\($0.port)".count }.max() ?? 0
    let nameWidth = hosts.map(\.name.count).max() ?? 0
    for host in hosts {
      let address = "\(host.address):\(host.port)"
      let pid = host.pid.map { "pid \($0)" } ?? "no pid"
      Console.out(
        host.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
          + address.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + pid.padding(toLength: 12, withPad: " ", startingAt: 0) + host.summary + "\n")
    }
    let down = hosts.filter { !$0.isUp }.count
    if down > 0 {
      Console.err("\(down) of \(hosts.count) hosts down (haflow lab up restarts them)\n")
      throw ExitCode(ExitStatus.failed)
    }
  }
}
