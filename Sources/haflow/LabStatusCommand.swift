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
      A host is up when its sshd runs and its port accepts a TCP connection; lb's haproxy \
      has a line of its own (lb haproxy, address:6443) and must be up too. The first line \
      names the lab: its hosts, the cluster shape, the login user, whether hosts are \
      isolated, and the cluster clock's offset (haflow lab advance).

      EXAMPLES:
        haflow lab status
        HAFLOW_LAB_DIR=/tmp/lab2 haflow lab status

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
    let state = (try? lab.state()) ?? nil
    Console.out("lab \(lab.files.directory): " + Self.header(state, hosts: hosts.count) + "\n")
    var rows: [(String, String, String, String)] = []
    for host in hosts {
      let pid = host.pid.map { "pid \($0)" } ?? "no pid"
      rows.append((host.name, "\(host.address):\(host.port)", pid, host.summary))
      for part in host.components {
        let pid = part.pid.map { "pid \($0)" } ?? "no pid"
        let summary = part.isUp ? "up" : part.running ? "down (not accepting connections)" : "down"
        rows.append(("\(host.name) \(part.name)", "\(part.address):\(part.port)", pid, summary))
      }
    }
    let nameWidth = rows.map(\.0.count).max() ?? 0
    let width = rows.map(\.1.count).max() ?? 0
    for (name, address, pid, summary) in rows {
      Console.out(
        name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
          + address.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
          + pid.padding(toLength: 12, withPad: " ", startingAt: 0) + summary + "\n")
    }
    let down = hosts.filter { !$0.isUp }.count
    if down > 0 {
      let hint =
        hosts.contains { $0.stoppedOnPurpose && !$0.running }
        ? "haflow lab start HOST or haflow lab up brings them back"
        : "haflow lab up restarts them"
      Console.err("\(down) of \(hosts.count) hosts down (\(hint))\n")
      throw ExitCode(ExitStatus.failed)
    }
  }

  /// `7 hosts (stacked: lb, 3 control planes, 3 workers), user root, isolated, cluster clock
  /// +3h`; the clock only for a cluster lab or when it moved.
  static func header(_ state: LabState?, hosts: Int) -> String {
    guard let state else { return "\(hosts) hosts" }
    var text = "\(hosts) hosts"
    if let shape = state.shape { text += " (\(shape.summary))" }
    text += ", user \(state.user)"
    if state.isolated { text += ", isolated" }
    if state.shape != nil || state.clockOffsetSeconds != 0 {
      text += ", cluster clock +" + LabClock.text(seconds: state.clockOffsetSeconds)
    }
    return text
  }
}
