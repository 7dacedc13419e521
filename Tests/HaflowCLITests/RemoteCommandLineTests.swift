import Foundation
import Testing

/// `haflow exec` and `haflow run -i` end to end on `haflow lab` hosts (127.0.0.120–.122): host
/// patterns, quoting, grouped output and exit codes; host-key checking from the command line.
@Suite(.serialized) struct RemoteCommandLineTests {
  /// Starts a 3-host lab in a fresh directory, runs `body` with the directory and the lab's
  /// directory, and stops the lab whatever happens.
  static func withLab(_ body: @escaping @Sendable (URL, String) throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-remotecli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.120"], in: directory)
      try #require(up.status == 0, "\(up.stderr)")
      try body(directory, directory.path + "/.haflow/lab")
    }
  }

  @Test(.timeLimit(.minutes(2))) func execPatternsQuotingAndExitCodes() async throws {
    try await Self.withLab { directory, lab in
      let inventory = lab + "/inventory.ini"
      let all = try HaflowCLI.run(["exec", "-i", inventory, "all", "--", "echo $((40+2))"])
      #expect(all.status == 0, "\(all.stderr)")
      let lines = all.stdout.split(separator: "\n").map(String.init)
      #expect(lines.count == 6)
      for name in ["node1", "node2", "node3"] {
        let header = try #require(lines.firstIndex { $0.hasPrefix("\(name) | ok | rc=0 | ") })
        #expect(lines[header + 1] == "42", "each host's output follows its header")
      }
      // The recap `run` prints: a command that exited 0 counts as changed.
      #expect(all.stderr.hasPrefix("RECAP ok in "), "\(all.stderr)")
      for name in ["node1", "node2", "node3"] {
        #expect(
          all.stderr.contains("  \(name)  ok=0 changed=1 failed=0 skipped=0 unreachable=0  "),
          "\(all.stderr)")
      }
      #expect(!all.stderr.contains("hosts:"), "no summary of exec's own")

      // Several words are quoted one by one; a pattern can leave hosts out.
      let words = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "lab,!node2", "--forks", "1", "--", "printf", "%s|", "a b",
          "$HOME",
        ])
      #expect(words.status == 0, "\(words.stderr)")
      #expect(words.stdout.components(separatedBy: "a b|$HOME|").count == 3)
      #expect(!words.stdout.contains("node2"))

      // A failure on one host: exit 1, the summary names it.
      let failing = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "all", "--",
          "test $(cat /proc/sys/kernel/hostname) = x || { echo no >&2; exit 3; }",
        ])
      #expect(failing.status == 1)
      #expect(failing.stdout.contains("node1 | FAILED | rc=3 | "))
      #expect(failing.stderr.contains("RECAP FAILED in "), "\(failing.stderr)")
      #expect(failing.stderr.components(separatedBy: "changed=0 failed=1 ").count == 4)
      #expect(failing.stderr.contains("failed commands\n"))
      for name in ["node1", "node2", "node3"] {
        #expect(
          failing.stderr.contains(
            "  \(name): exit status 3: test $(cat /proc/sys/kernel/hostname) = x || "
              + "{ echo no >&2; exit 3; }\n    | no\n"), "\(failing.stderr)")
      }

      // The pattern language `on` uses: positions, wildcards, intersection, exclusion.
      let chosen = try HaflowCLI.run(
        ["exec", "-i", inventory, "lab[0],node*,&lab,!node3", "--", "true"])
      #expect(chosen.status == 0, "\(chosen.stderr)")
      #expect(chosen.stderr.components(separatedBy: " changed=1 ").count == 3, "\(chosen.stderr)")
      #expect(!chosen.stderr.contains("node3"))
      #expect(!chosen.stdout.contains("node3"))

      let unknown = try HaflowCLI.run(["exec", "-i", inventory, "worker", "--", "true"])
      #expect(unknown.status == 2)
      #expect(unknown.stderr.contains("unknown host or group 'worker'"))
      #expect(unknown.stderr.contains("did you mean 'workers'?"))
      let noCommand = try HaflowCLI.run(["exec", "-i", inventory, "all"])
      #expect(noCommand.status == 2)
      #expect(noCommand.stderr.contains("give the command after --"))

      // An unreachable host is reported as such; the others still run.
      let mixed = directory.path + "/mixed.ini"
      try """
      [lab:children]
      real
      [real]
      node1 ansible_host=127.0.0.120 ansible_ssh_private_key_file=\(lab)/client_key
      [lab]
      gone ansible_host=127.0.0.120 ansible_port=1
      [lab:vars]
      haflow_known_hosts=\(lab)/known_hosts
      """.write(toFile: mixed, atomically: true, encoding: .utf8)
      let partly = try HaflowCLI.run(["exec", "-i", mixed, "all", "--", "true"])
      #expect(partly.status == 3, "unreachable, and no command failed")
      #expect(partly.stdout.contains("gone | UNREACHABLE | connection refused"))
      #expect(partly.stdout.contains("node1 | ok | rc=0"))
      #expect(partly.stderr.contains("RECAP unreachable in "), "\(partly.stderr)")
      #expect(partly.stderr.contains("  node1  ok=0 changed=1 failed=0 skipped=0 unreachable=0"))
      #expect(partly.stderr.contains("  gone   ok=0 changed=0 failed=0 skipped=0 unreachable=1"))
      #expect(partly.stderr.contains("failed and unreachable hosts\n  gone: unreachable: "))
      // A failed command wins over an unreachable host: exit 1.
      let both = try HaflowCLI.run(["exec", "-i", mixed, "all", "--", "false"])
      #expect(both.status == 1)
      #expect(both.stderr.contains("RECAP FAILED in "), "\(both.stderr)")
      #expect(both.stderr.contains("  node1  ok=0 changed=0 failed=1 skipped=0 unreachable=0"))
      #expect(both.stderr.contains("  gone   ok=0 changed=0 failed=0 skipped=0 unreachable=1"))
      #expect(both.stderr.contains("failed commands\n  node1: exit status 1: false\n"))
    }
  }

  /// Ctrl-C during `haflow run -i` stops the remote command too, then exits 130.
  @Test(.timeLimit(.minutes(2))) func sigintStopsRemoteCommands() async throws {
    try await Self.withLab { directory, lab in
      let binary = try #require(HaflowCLI.binary, "no haflow binary found")
      let marker = "haflow-remote-interrupt-\(UInt32.random(in: 1...UInt32.max))"
      let playbook = directory.path + "/wait.hf"
      try "on \"node2\" { `sleep 30 && echo \(marker)` }\n"
        .write(toFile: playbook, atomically: true, encoding: .utf8)
      let process = Process()
      process.executableURL = binary
      process.arguments = ["run", "-i", lab + "/inventory.ini", playbook]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Wait (bounded) until the remote command runs.
      #expect(
        ReplLab.waitForProcess("sleep 30 && echo \(marker)", running: true, timeout: 20),
        "never started")
      let started = Date()
      process.interrupt()
      while process.isRunning && Date().timeIntervalSince(started) < 15 {
        Thread.sleep(forTimeInterval: 0.05)
      }
      #expect(!process.isRunning, "haflow did not exit within 15 s of SIGINT")
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
      } else {
        #expect(process.terminationStatus == 130)
      }
      // The remote shell (sshd's child on node2) is gone too.
      #expect(
        ReplLab.waitForProcess(marker, running: false, timeout: 10),
        "the remote command outlived haflow")
    }
  }

  /// The README's first playbook without a cluster: the example playbook on a fresh lab.
  @Test(.timeLimit(.minutes(2))) func theExampleLabPlaybookRuns() async throws {
    let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../playbooks/examples/hello-lab.hf").standardized.path
    try await Self.withLab { _, lab in
      let run = try HaflowCLI.run(["run", "-i", lab + "/inventory.ini", example])
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.contains("node1: port 22 open") || run.stdout.contains("node1: port "))
      #expect(run.stdout.hasSuffix("all 3 copies match\n"), "\(run.stdout)")
      #expect(run.stderr.contains("copied node1:/tmp/haflow-hello-lab/token → node2:"))
      // Isolated hosts (as root) answer with their own names.
      if getuid() == 0 { #expect(run.stdout.contains("node2: Linux"), "\(run.stdout)") }
      #expect(!run.stderr.contains("0123456789abcdef"), "the token is never shown")
    }
  }

  @Test(.timeLimit(.minutes(2))) func runChecksHostKeysFromTheCommandLine() async throws {
    try await Self.withLab { directory, lab in
      // An inventory that does not name the lab's known_hosts file.
      let inventory = directory.path + "/plain.ini"
      try """
      [nodes]
      node1 ansible_host=127.0.0.121 ansible_ssh_private_key_file=\(lab)/client_key
      """.write(toFile: inventory, atomically: true, encoding: .utf8)
      let playbook = directory.path + "/play.hf"
      try #"on "nodes" { print(trim(`echo reached`.stdout)) }"#
        .write(toFile: playbook, atomically: true, encoding: .utf8)
      let knownHosts = directory.path + "/known_hosts"
      let base = ["run", "-i", inventory, "--known-hosts", knownHosts, playbook]

      let refused = try HaflowCLI.run(base)
      #expect(refused.status == 1)
      #expect(refused.stdout.isEmpty)
      #expect(refused.stderr.contains("the host key of node1 (127.0.0.121:22) is unknown"))
      #expect(refused.stderr.contains("SHA256:"))
      #expect(refused.stderr.contains("--accept-new-host-keys"))

      let accepted = try HaflowCLI.run(base + ["--accept-new-host-keys"])
      #expect(accepted.status == 0, "\(accepted.stderr)")
      #expect(accepted.stdout == "reached\n")
      let recorded = try String(contentsOfFile: knownHosts, encoding: .utf8)
      #expect(recorded.hasPrefix("127.0.0.121 ssh-ed25519 "))

      let again = try HaflowCLI.run(base)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(again.stdout == "reached\n")
    }
  }

  /// `exec` checks host keys as `run` does: the same hint for an unknown key, and a key
  /// recorded with --accept-new-host-keys is reported on standard error.
  @Test(.timeLimit(.minutes(2))) func execReportsHostKeysAsRunDoes() async throws {
    try await Self.withLab { directory, lab in
      let inventory = directory.path + "/plain.ini"
      try """
      [nodes]
      node1 ansible_host=127.0.0.121 ansible_ssh_private_key_file=\(lab)/client_key
      """.write(toFile: inventory, atomically: true, encoding: .utf8)
      let playbook = directory.path + "/play.hf"
      try #"on "nodes" { `true` }"#.write(toFile: playbook, atomically: true, encoding: .utf8)
      let hint =
        "check the fingerprint on the host (ssh-keygen -lf on its public host key), "
        + "then run again with --accept-new-host-keys to record it"
      let recorded = "[node1] warning: recorded the new host key of node1"

      let runRefused = try HaflowCLI.run(
        ["run", "-i", inventory, "--known-hosts", directory.path + "/run_known", playbook])
      #expect(runRefused.stderr.contains(hint), "\(runRefused.stderr)")
      let execRefused = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "--known-hosts", directory.path + "/exec_known", "all", "--",
          "true",
        ])
      #expect(execRefused.status == 3, "an unknown host key makes the host unreachable")
      #expect(execRefused.stdout.contains("node1 | UNREACHABLE | the host key of node1"))
      #expect(execRefused.stdout.contains("  hint: " + hint), "\(execRefused.stdout)")

      let runAccepted = try HaflowCLI.run(
        [
          "run", "-i", inventory, "--known-hosts", directory.path + "/run_known",
          "--accept-new-host-keys", playbook,
        ])
      #expect(runAccepted.status == 0, "\(runAccepted.stderr)")
      #expect(runAccepted.stderr.contains(recorded), "\(runAccepted.stderr)")
      let execAccepted = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "--known-hosts", directory.path + "/exec_known",
          "--accept-new-host-keys", "all", "--", "true",
        ])
      #expect(execAccepted.status == 0, "\(execAccepted.stderr)")
      #expect(execAccepted.stderr.contains(recorded), "\(execAccepted.stderr)")
    }
  }
}
