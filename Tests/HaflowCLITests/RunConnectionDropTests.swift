import Foundation
import Testing

/// A host whose connection drops mid-step (`haflow lab stop` while its command runs), on a lab
/// at 127.0.0.134–.136: that host is unreachable in the recap with the step, the other hosts
/// finish, and `--resume` runs the step again once the host is back.
@Suite(.serialized) struct RunConnectionDropTests {
  @Test(.timeLimit(.minutes(4))) func aHostLostMidStepIsUnreachableAndResumeRedoesTheStep()
    async throws
  {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-drop-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.134"], in: directory)
      try #require(up.status == 0, "\(up.stderr)")
      let lab = RunLockTests.Lab(directory: directory, path: directory.path + "/.haflow/lab")
      let playbook = directory.appendingPathComponent("drop.hf").path
      try """
      step "work" on "node1,node2,node3" parallel {
        `touch /tmp/started; sleep 4; echo once >> /tmp/done`
      }
      step "after" on "node1" { `echo after >> /tmp/after` }

      """.write(toFile: playbook, atomically: true, encoding: .utf8)
      let events = directory.appendingPathComponent("events.jsonl").path
      let logs = directory.appendingPathComponent("run.err").path
      let pid = try ChildProcess.spawn(
        [
          try #require(HaflowCLI.binary).path, "run", "-i", lab.inventory, playbook, "--log",
          events,
        ],
        environment: RunLockTests.environment, directory: directory.path, output: logs,
        errors: logs)
      defer {
        ChildProcess.killTree(pid)
        _ = ChildProcess.reap(pid, within: 5)
      }
      #expect(
        RunLockTests.waitUntil(60) {
          FileManager.default.fileExists(atPath: lab.file("node2", "/tmp/started"))
        })
      let stop = try HaflowCLI.run(["lab", "stop", "node2"], in: directory)
      #expect(stop.status == 0, "\(stop.stderr)")
      let status = ChildProcess.reap(pid, within: 60)
      let stderr = (try? String(contentsOfFile: logs, encoding: .utf8)) ?? ""
      #expect(status == 1, "\(stderr)")
      // The other hosts finished the step; node2 did not; the next step did not run (it never
      // started: no host counts it as skipped).
      for host in ["node1", "node3"] {
        #expect(
          (try? String(contentsOfFile: lab.file(host, "/tmp/done"), encoding: .utf8)) == "once\n")
      }
      #expect(!FileManager.default.fileExists(atPath: lab.file("node2", "/tmp/done")))
      #expect(!FileManager.default.fileExists(atPath: lab.file("node1", "/tmp/after")))
      #expect(stderr.contains("lost the connection to"), "\(stderr)")
      #expect(
        stderr.contains("node2  ok=0 changed=0 failed=0 skipped=0 unreachable=1"), "\(stderr)")
      #expect(stderr.contains("node2 in \"work\": unreachable: lost the connection"), "\(stderr)")
      let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
      let unreachable = try lines.map { try RunLockTests.json(String($0)) }.filter {
        $0["event"] as? String == "host_unreachable"
      }
      #expect(unreachable.count == 1)
      #expect(unreachable.first?["host"] as? String == "node2")
      #expect(unreachable.first?["step"] as? String == "work")

      // Back up: --resume runs "work" again (its value was not recorded) and then "after";
      // node2's lock, left by the dead run, is stale.
      let start = try HaflowCLI.run(["lab", "start", "node2"], in: directory)
      #expect(start.status == 0, "\(start.stderr)")
      let resumed = try lab.run(playbook, "--resume")
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(resumed.stderr.contains("took over a stale run lock on node2"), "\(resumed.stderr)")
      #expect(
        (try? String(contentsOfFile: lab.file("node2", "/tmp/done"), encoding: .utf8)) == "once\n")
      #expect(
        (try? String(contentsOfFile: lab.file("node1", "/tmp/after"), encoding: .utf8))
          == "after\n")
      for host in ["node1", "node2", "node3"] { #expect(lab.lock(host) == nil, "\(host)") }
    }
  }
}
