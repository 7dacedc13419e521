import Foundation
import Testing

/// `haflow run`'s lock on the hosts it touches, end to end on a `haflow lab` (127.0.0.220–.222):
/// a second run is refused naming the holder, `--break-lock` takes over with a warning, a
/// stale lock of a dead haflow of this machine is taken over with a note, and the locks go on
/// success, failure and SIGTERM.
@Suite(.serialized) struct RunLockTests {
  /// The lab's hosts see their own `/root` and `/tmp`: here under `hosts/NAME/fs`.
  struct Lab {
    let directory: URL
    let path: String
    var inventory: String { path + "/inventory.ini" }
    func file(_ host: String, _ remote: String) -> String { path + "/hosts/\(host)/fs" + remote }
    /// The lock file of `host`, when it is there (the lab's login user is root or ubuntu).
    func lock(_ host: String) -> String? {
      for home in ["/root", "/home/ubuntu"] {
        let candidate = file(host, home + "/.haflow/run.lock")
        if let text = try? String(contentsOfFile: candidate, encoding: .utf8) { return text }
      }
      return nil
    }
    /// Where `host`'s lock file goes (the home that has `.haflow`, root's by default).
    func lockPath(_ host: String) -> String {
      let ubuntu = file(host, "/home/ubuntu/.haflow")
      return FileManager.default.fileExists(atPath: ubuntu)
        ? ubuntu + "/run.lock" : file(host, "/root/.haflow/run.lock")
    }
    func run(_ arguments: String...) throws -> CLIResult {
      try HaflowCLI.run(["run", "-i", inventory] + arguments, in: directory)
    }
    /// `haflow run -i <inventory> PLAYBOOK` started in the background, its output in the
    /// file `logs`; the caller stops and reaps it.
    func start(_ playbook: String, logs: String) throws -> pid_t {
      try ChildProcess.spawn(
        [try #require(HaflowCLI.binary).path, "run", "-i", inventory, playbook],
        environment: RunLockTests.environment, directory: directory.path,
        output: logs, errors: logs)
    }
  }

  static func withLab(_ body: @escaping @Sendable (Lab) throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-runlock-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.220"], in: directory)
      try #require(up.status == 0, "\(up.stderr)")
      try body(Lab(directory: directory, path: directory.path + "/.haflow/lab"))
    }
  }

  /// Waits (bounded) until `condition` holds.
  static func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      usleep(50_000)
    }
    return condition()
  }

  static var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    return environment
  }

  static var machine: String {
    var buffer = [CChar](repeating: 0, count: 256)
    gethostname(&buffer, 255)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(
      JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
  }

  @Test(.timeLimit(.minutes(3))) func aSecondRunIsRefusedAndBreakLockTakesOver() async throws {
    try await Self.withLab { lab in
      let hold = lab.directory.appendingPathComponent("hold.hf").path
      try """
      step "hold" on "node1,node2" parallel {
        `i=0; while [ ! -e /tmp/go ] && [ $i -lt 900 ]; do sleep 0.1; i=$((i+1)); done`
      }

      """.write(toFile: hold, atomically: true, encoding: .utf8)
      let other = lab.directory.appendingPathComponent("other.hf").path
      try "step \"other\" on \"node2,node3\" parallel { `touch /tmp/other-ran` }\n"
        .write(toFile: other, atomically: true, encoding: .utf8)

      let logs = lab.directory.appendingPathComponent("holder.err").path
      let holder = try lab.start(hold, logs: logs)
      defer {
        ChildProcess.killTree(holder)
        _ = ChildProcess.reap(holder, within: 5)
      }
      #expect(Self.waitUntil(60) { lab.lock("node1") != nil && lab.lock("node2") != nil })
      let held = try Self.json(try #require(lab.lock("node2")))
      let runID = try #require(held["run_id"] as? String)
      #expect(held["pid"] as? Int == Int(holder))
      #expect(held["controller"] as? String == Self.machine)
      #expect(held["playbook"] as? String == hold)
      #expect((held["started"] as? String)?.hasSuffix("Z") == true)

      // Refused: exit 4, the holder named, nothing ran on node3 (not locked by anyone).
      let events = lab.directory.appendingPathComponent("refused.jsonl").path
      let refused = try lab.run(other, "--log", events)
      #expect(refused.status == 4, "\(refused.stderr)")
      #expect(refused.stderr.contains("node2 is locked by another run: run \(runID) (\(hold))"))
      #expect(refused.stderr.contains("by root on \(Self.machine), pid \(holder)"))
      #expect(refused.stderr.contains("--break-lock"))
      #expect(!FileManager.default.fileExists(atPath: lab.file("node3", "/tmp/other-ran")))
      #expect(lab.lock("node3") == nil, "the refused run released node3")
      let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
      let lockEvents = try lines.map { try Self.json(String($0)) }.filter {
        $0["event"] as? String == "lock"
      }
      let refusal = try #require(lockEvents.first { $0["action"] as? String == "refused" })
      #expect(refusal["host"] as? String == "node2")
      #expect(refusal["holder_run_id"] as? String == runID)
      #expect(refusal["holder_pid"] as? Int == Int(holder))
      #expect(
        lockEvents.contains {
          $0["action"] as? String == "released" && $0["host"] as? String == "node3"
        })
      let end = try Self.json(String(try #require(lines.last)))
      #expect(end["status"] as? String == "locked")
      #expect(end["exit_status"] as? Int == 4)

      // --break-lock takes node2 over with a warning and runs.
      let broken = try lab.run(other, "--break-lock")
      #expect(broken.status == 0, "\(broken.stderr)")
      #expect(
        broken.stderr.contains("--break-lock: took over the run lock on node2 from run \(runID)"))
      #expect(FileManager.default.fileExists(atPath: lab.file("node3", "/tmp/other-ran")))
      #expect(lab.lock("node2") == nil && lab.lock("node3") == nil)

      // The holder finishes and releases what it still holds.
      for host in ["node1", "node2"] {
        #expect(FileManager.default.createFile(atPath: lab.file(host, "/tmp/go"), contents: nil))
      }
      let status = ChildProcess.reap(holder, within: 60)
      #expect(status == 0, "\((try? String(contentsOfFile: logs, encoding: .utf8)) ?? "")")
      #expect(lab.lock("node1") == nil && lab.lock("node2") == nil)
    }
  }

  @Test(.timeLimit(.minutes(3))) func staleForeignReleasedOnFailureAndSigterm() async throws {
    try await Self.withLab { lab in
      let touch = lab.directory.appendingPathComponent("touch.hf").path
      try "step \"touch\" on \"node1\" { `true` }\n"
        .write(toFile: touch, atomically: true, encoding: .utf8)
      // Create the lock directory with a first run (it stays; the lock goes); -vv shows the
      // lock taken and released.
      let first = try lab.run(touch, "-vv")
      #expect(first.status == 0, "\(first.stderr)")
      #expect(lab.lock("node1") == nil)
      let lockLines = first.stderr.split(separator: "\n").filter { $0.contains("run lock ") }
      #expect(lockLines.count == 2, "\(first.stderr)")
      #expect(
        lockLines.first?.hasPrefix("[node1] run lock /") == true
          && lockLines.first?.hasSuffix("/run.lock: acquired") == true, "\(lockLines)")
      #expect(lockLines.last?.hasSuffix("/run.lock: released") == true, "\(lockLines)")

      // A lock of a dead haflow of this machine: taken over with a note.
      let dead = Process()
      dead.executableURL = URL(fileURLWithPath: "/bin/true")
      try dead.run()
      dead.waitUntilExit()
      let stale =
        #"{"controller":"\#(Self.machine)","pid":\#(dead.processIdentifier),"playbook":"old.hf","#
        + #""run_id":"20261207T000000Z-000001","started":"2026-12-07T00:00:00.000000Z","user":"root"}"#
      try (stale + "\n").write(toFile: lab.lockPath("node1"), atomically: true, encoding: .utf8)
      let taken = try lab.run(touch)
      #expect(taken.status == 0, "\(taken.stderr)")
      #expect(
        taken.stderr.contains("took over a stale run lock on node1: run 20261207T000000Z-000001"))
      #expect(lab.lock("node1") == nil)

      // Another machine's lock: refused whatever its pid, left as it was; --no-lock ignores it.
      let foreign = stale.replacingOccurrences(of: Self.machine, with: "elsewhere.example")
        .replacingOccurrences(of: "\"pid\":\(dead.processIdentifier)", with: "\"pid\":1")
      try (foreign + "\n").write(toFile: lab.lockPath("node1"), atomically: true, encoding: .utf8)
      let refused = try lab.run(touch)
      #expect(refused.status == 4)
      #expect(refused.stderr.contains("by root on elsewhere.example, pid 1"))
      #expect(lab.lock("node1") == foreign + "\n")
      let unlocked = try lab.run(touch, "--no-lock")
      #expect(unlocked.status == 0, "\(unlocked.stderr)")
      #expect(lab.lock("node1") == foreign + "\n")
      try FileManager.default.removeItem(atPath: lab.lockPath("node1"))

      // A failed run releases its lock.
      let failing = lab.directory.appendingPathComponent("fail.hf").path
      try "step \"fail\" on \"node1\" { `false` }\n"
        .write(toFile: failing, atomically: true, encoding: .utf8)
      #expect(try lab.run(failing).status == 1)
      #expect(lab.lock("node1") == nil)

      // So does a run stopped by SIGTERM.
      let sleeping = lab.directory.appendingPathComponent("sleep.hf").path
      try "step \"sleep\" on \"node1\" { `sleep 30` }\n"
        .write(toFile: sleeping, atomically: true, encoding: .utf8)
      let logs = lab.directory.appendingPathComponent("sleep.err").path
      let pid = try lab.start(sleeping, logs: logs)
      defer {
        ChildProcess.killTree(pid)
        _ = ChildProcess.reap(pid, within: 5)
      }
      #expect(Self.waitUntil(60) { lab.lock("node1") != nil })
      usleep(300_000)
      kill(pid, SIGTERM)
      #expect(ChildProcess.reap(pid, within: 20) == 143)
      #expect(
        lab.lock("node1") == nil, "\((try? String(contentsOfFile: logs, encoding: .utf8)) ?? "")")
    }
  }
}
