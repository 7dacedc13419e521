import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `haflow lab up --topology`, `lab stop|start`, `lab advance` end to end: a stacked lab on
/// 127.0.0.190–.196, a playbook that finds a stopped worker unreachable and then reachable
/// again, and nothing left running afterwards.
@Suite(.serialized) struct LabClusterCommandTests {
  @Test(.timeLimit(.minutes(3)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func stackedLabStopStartAdvance() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-labcluster-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let lab = directory.path + "/.haflow/lab"
    defer {
      _ = try? HaflowCLI.run(["lab", "down"], in: directory)
      try? FileManager.default.removeItem(at: directory)
    }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(
        ["lab", "up", "--topology", "stacked", "--first-address", "127.0.0.190"], in: directory)
      #expect(up.status == 0, "\(up.stderr)")
      #expect(up.stdout == lab + "/inventory.ini\n")
      #expect(up.stderr.contains("started 7 of 7 hosts"))
      #expect(
        up.stderr.contains(
          "stacked: lb, 3 control planes, 3 workers; control_plane_endpoint 127.0.0.190:6443"))

      let status = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(status.status == 0, "\(status.stderr)")
      let lines = status.stdout.split(separator: "\n").map(String.init)
      #expect(
        lines.first?.hasSuffix(
          "7 hosts (stacked: lb, 3 control planes, 3 workers), user root, isolated, "
            + "cluster clock +0s") == true, "\(status.stdout)")
      #expect(lines.count == 9, "7 hosts and haproxy: \(status.stdout)")
      let haproxy = try #require(lines.first { $0.hasPrefix("lb haproxy") })
      #expect(haproxy.contains("127.0.0.190:6443") && haproxy.hasSuffix("  up"))

      let inventory = lab + "/inventory.ini"
      let names = try HaflowCLI.run(
        ["exec", "-i", inventory, "control_plane", "--", "hostname"], in: directory)
      #expect(names.status == 0, "\(names.stderr)")
      for name in ["cp1", "cp2", "cp3"] {
        #expect(names.stdout.contains("\(name) | ok | rc=0 | "))
        #expect(names.stdout.contains("\n\(name)\n"), "\(names.stdout)")
      }

      let playbook = directory.path + "/workers.hf"
      try """
      let endpoint = group("load_balancer")[0].control_plane_endpoint
      print("endpoint ${endpoint}")
      step "ask the workers" on group("workers") parallel {
        print("${current_host().name} says ${trim(`hostname`.stdout)}")
      }
      """.write(toFile: playbook, atomically: true, encoding: .utf8)
      let run = try HaflowCLI.run(["run", "-i", inventory, playbook], in: directory)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.hasPrefix("endpoint 127.0.0.190:6443\n"))
      #expect(run.stdout.contains("w2 says w2"))

      // w2 down: the playbook fails on it, exec reports it unreachable, status says why.
      let stop = try HaflowCLI.run(["lab", "stop", "w2"], in: directory)
      #expect(stop.status == 0, "\(stop.stderr)")
      #expect(stop.stderr.contains("1 of 1 hosts stopped"))
      let down = try HaflowCLI.run(["run", "-i", inventory, playbook], in: directory)
      #expect(down.status == 1)
      #expect(down.stderr.contains("w2"), "\(down.stderr)")
      #expect(down.stdout.contains("w1 says w1") && !down.stdout.contains("w2 says"))
      let exec = try HaflowCLI.run(["exec", "-i", inventory, "w2", "--", "true"], in: directory)
      #expect(exec.status == 3, "unreachable: exec exits 3")
      #expect(exec.stdout.contains("w2 | UNREACHABLE"), "\(exec.stdout)")
      let partly = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(partly.status == 1)
      #expect(partly.stdout.contains("down (stopped with haflow lab stop)"))

      let start = try HaflowCLI.run(["lab", "start", "w2"], in: directory)
      #expect(start.status == 0, "\(start.stderr)")
      let back = try HaflowCLI.run(["run", "-i", inventory, playbook], in: directory)
      #expect(back.status == 0, "\(back.stderr)")
      #expect(back.stdout.contains("w2 says w2"))

      // The clock adds up and shows in status.
      let three = try HaflowCLI.run(["lab", "advance", "3h"], in: directory)
      #expect(three.status == 0 && three.stdout == "cluster clock +3h\n", "\(three.stderr)")
      let more = try HaflowCLI.run(["lab", "advance", "30m"], in: directory)
      #expect(more.stdout == "cluster clock +3h30m\n")
      let clock = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(clock.stdout.contains(", cluster clock +3h30m\n"), "\(clock.stdout)")
      let bad = try HaflowCLI.run(["lab", "advance", "3x"], in: directory)
      #expect(bad.status == 2)
      #expect(bad.stderr.contains("'3x' is not a duration"))

      // Up again: nothing starts twice; another shape is refused while this one runs.
      let again = try HaflowCLI.run(
        ["lab", "up", "--topology", "stacked", "--first-address", "127.0.0.190"], in: directory)
      #expect(again.status == 0 && again.stderr.contains("the lab is already up"))
      let other = try HaflowCLI.run(
        ["lab", "up", "--topology", "external", "--first-address", "127.0.0.190"], in: directory)
      #expect(other.status == 1)
      #expect(other.stderr.contains("a stacked lab (7 hosts, user root) is already running"))

      let off = try HaflowCLI.run(["lab", "down"], in: directory)
      #expect(off.status == 0, "\(off.stderr)")
      #expect(off.stderr.contains("stopped 7 hosts in "))
      #expect(LabCommandTests.processes(mentioning: lab).isEmpty, "processes left running")
      #expect(Self.mountTables(mentioning: lab).isEmpty, "mounts left behind")
    }
  }

  @Test(.timeLimit(.minutes(1))) func flagsMistakesAndRoot() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-labcluster-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      let both = try HaflowCLI.run(
        ["lab", "up", "--hosts", "3", "--topology", "stacked"], in: directory)
      #expect(both.status == 2)
      #expect(both.stderr.contains("--hosts is for a plain lab"))
      let ring = try HaflowCLI.run(["lab", "up", "--topology", "ring"], in: directory)
      #expect(ring.status == 2)
      #expect(ring.stderr.contains("unknown topology 'ring'"))
      let shared = try HaflowCLI.run(["lab", "up", "--shared", "--workers", "1"], in: directory)
      #expect(shared.status == 2)
      #expect(shared.stderr.contains("--shared is for a plain lab"))
      let none = try HaflowCLI.run(["lab", "up", "--control-planes", "0"], in: directory)
      #expect(none.status == 2)
      #expect(none.stderr.contains("--control-planes must be at least 1"))
      for command in [["lab", "stop", "w1"], ["lab", "start", "w1"], ["lab", "advance", "3h"]] {
        let result = try HaflowCLI.run(command, in: directory)
        #expect(result.status == 1, "\(command)")
        #expect(result.stderr.contains("no running lab in"), "\(command): \(result.stderr)")
      }
      let noHost = try HaflowCLI.run(["lab", "stop"], in: directory)
      #expect(noHost.status == 2)
      let help = try HaflowCLI.run(["lab", "advance", "--help"], in: directory)
      #expect(
        help.stdout.contains("server stand-in reads it") && help.stdout.contains("never moves"))
      #expect(help.stdout.contains("haflow lab advance 3h"))

      // Without root: one sentence that says why, before anything is made.
      guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
      else { return }
      let user = try HaflowCLI.run(
        ["lab", "up", "--topology", "stacked"], in: directory,
        launcher: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
      #expect(user.status == 1)
      #expect(
        user.stderr.contains(
          "isolated lab hosts need root: each host runs in its own mount and UTS namespace, "
            + "and only root can create those"), "\(user.stderr)")
      #expect(!FileManager.default.fileExists(atPath: directory.path + "/.haflow"))
    }
  }

  /// Processes whose mount table mentions `text` (a lab host's namespace left behind).
  static func mountTables(mentioning text: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.filter { entry in
      guard Int32(entry) != nil,
        let table = try? String(contentsOfFile: "/proc/\(entry)/mountinfo", encoding: .utf8)
      else { return false }
      return table.contains(text)
    }
  }
}
