import Foundation
import Testing

/// `haflow run --resume` and `haflow runs` on `haflow lab` hosts (127.0.0.200–.202): a run
/// killed with SIGKILL mid-step leaves a journal; resumed, it finishes without redoing the
/// steps it completed (counted by the lines each step appends to a file on each host), gives
/// their values back, and runs again the step whose value held a secret.
@Suite(.serialized) struct RunResumeTests {
  static func playbook(_ dir: String) -> String {
    """
    let nodes = group("lab")
    let first = step "first" on nodes parallel {
      `mkdir -p \(dir) && echo first >> \(dir)/count-${current_host().name}`
      {"n": 1, "wait": 2s}
    }
    let token = step "token" on nodes[0] {
      `echo token >> \(dir)/count-${current_host().name}`
      secret("tok-98765")
    }
    step "second" on nodes parallel {
      `echo second >> \(dir)/count-${current_host().name}`
      `for i in $(seq 1 600); do test -e \(dir)/go && exit 0; sleep 0.1; done; exit 1`
    }
    let got = step "first again" { first }
    step "third" on nodes parallel {
      `echo third >> \(dir)/count-${current_host().name}`
    }
    let w = got["node2"]["wait"]
    let same = reveal(token) == "tok-98765"
    print("node2 waited ${w}, token kept: ${same}")
    """
  }

  /// The text of each host's count file, by file name (`count-node1=first,second,`).
  static func counts(_ inventory: String, _ dir: String) throws -> String {
    let check = try HaflowCLI.run([
      "exec", "-i", inventory, "all", "--",
      "for f in \(dir)/count-*; do echo \"$(basename $f)=$(tr '\\n' , < $f)\"; done",
    ])
    #expect(check.status == 0, "\(check.stderr)")
    return check.stdout
  }

  @Test(.timeLimit(.minutes(8))) func aKilledRunResumesWithoutRedoingCompletedSteps()
    async throws
  {
    try await RunLab.withLab { directory, lab in
      let inventory = lab + "/inventory.ini"
      let dir = "/tmp/haflow-resume-\(UInt32.random(in: 1...UInt32.max))"
      let playbook = directory.path + "/resume.hf"
      try Self.playbook(dir).write(toFile: playbook, atomically: true, encoding: .utf8)
      let binary = try #require(HaflowCLI.binary)
      let logPath = directory.path + "/first.jsonl"
      var environment = ProcessInfo.processInfo.environment
      environment["NO_COLOR"] = "1"
      let pid = try ChildProcess.spawn(
        [binary.path, "run", "-i", inventory, "resume.hf", "--log", logPath],
        environment: environment, directory: directory.path,
        output: directory.path + "/first.out", errors: directory.path + "/first.err")
      // Wait (bounded) until the waiting command of "second" runs on all three hosts.
      var waiting = 0
      for _ in 0..<600 where waiting < 3 {
        Thread.sleep(forTimeInterval: 0.1)
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        waiting = log.components(separatedBy: "seq 1 600").count - 1
      }
      kill(pid, SIGKILL)
      _ = ChildProcess.reap(pid, within: 10)
      let firstErrors =
        (try? String(contentsOfFile: directory.path + "/first.err", encoding: .utf8)) ?? ""
      try #require(waiting == 3, "the run never reached \"second\" on every host: \(firstErrors)")

      let runs = try HaflowCLI.run(["runs"], in: directory)
      #expect(runs.status == 0)
      #expect(runs.stdout.hasPrefix("ID "), "\(runs.stdout)")
      #expect(runs.stdout.contains("resume.hf"), "\(runs.stdout)")
      #expect(runs.stdout.contains("unfinished"), "\(runs.stdout)")
      let journal = try #require(
        FileManager.default.enumerator(atPath: directory.path + "/.haflow/runs")?
          .compactMap { $0 as? String }.first { $0.hasSuffix("journal.jsonl") })
      let text = try String(
        contentsOfFile: directory.path + "/.haflow/runs/" + journal, encoding: .utf8)
      #expect(text.contains("\"value_left_out\":\"secret\""), "\(text)")
      #expect(!text.contains("tok-98765"), "secrets are never written")

      // Let the orphaned waits end, then resume.
      _ = try HaflowCLI.run(["exec", "-i", inventory, "all", "--", "touch \(dir)/go"])
      let resumed = try HaflowCLI.run(
        ["run", "-i", inventory, "resume.hf", "--resume"], in: directory)
      #expect(resumed.status == 0, "\(resumed.stderr)")
      #expect(resumed.stderr.hasPrefix("resuming run "), "\(resumed.stderr)")
      #expect(resumed.stderr.contains("skip step \"first\" (--resume)"), "\(resumed.stderr)")
      #expect(resumed.stdout == "node2 waited 2s, token kept: true\n", "\(resumed.stdout)")

      // "first" ran once; "token" (a secret) and "second" (killed) twice; "third" once.
      let counts = try Self.counts(inventory, dir)
      #expect(counts.contains("count-node1=first,token,second,token,second,third,"), "\(counts)")
      #expect(counts.contains("count-node2=first,second,second,third,"), "\(counts)")
      #expect(counts.contains("count-node3=first,second,second,third,"), "\(counts)")

      // A finished run's journal says so, and a second resume redoes nothing that completed.
      let listed = try HaflowCLI.run(["runs"], in: directory)
      #expect(listed.stdout.split(separator: "\n").count == 3, "\(listed.stdout)")
      #expect(listed.stdout.split(separator: "\n").last?.contains(" ok ") == true)
      let again = try HaflowCLI.run(
        ["run", "-i", inventory, "resume.hf", "--resume"], in: directory)
      #expect(again.status == 0, "\(again.stderr)")
      let after = try Self.counts(inventory, dir)
      #expect(after.contains("count-node2=first,second,second,third,\n"), "\(after)")
      #expect(after.contains("count-node1=first,token,second,token,second,third,token,"))

      let missing = try HaflowCLI.run(
        ["run", "-i", inventory, "resume.hf", "--resume", "20200101T000000Z-000000"],
        in: directory)
      #expect(missing.status == 2)
      #expect(missing.stderr.contains("no run 20200101T000000Z-000000"), "\(missing.stderr)")
    }
  }
}
