import Foundation
import Testing

/// `haflow run` as a pipe sees it (a line per event, then the recap), and step and host
/// selection, on `haflow lab` hosts (127.0.0.200–.202).
@Suite(.serialized) struct RunProgressTests {
  static let playbook = """
    let nodes = group("lab")

    step "greet" on nodes {
      `echo hello`
    }
    step "left out" on nodes[0] { `true` }
    step "write a file" on nodes[0] {
      write_file("/tmp/haflow-golden/a", "content", parents: true)
    }
    step "break on node2" on nodes {
      `test ${current_host().name} != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }`
    }
    step "never reached" on nodes { `true` }
    """

  /// Standard error of a failing run, times replaced by `<t>`.
  static let golden = """
    ==> step "greet" on node1, node2, node3
    [node1] $ echo hello
    [node1] hello
    [node2] $ echo hello
    [node2] hello
    [node3] $ echo hello
    [node3] hello
    ok  step "greet" (<t>)
    skip step "left out" (--skip)
    ==> step "write a file" on node1
    [node1] wrote /tmp/haflow-golden/a (7 B, 0644)
    ok  step "write a file" (<t>)
    ==> step "break on node2" on node1, node2, node3
    [node1] $ test node1 != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }
    [node2] $ test node2 != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }
    [node2] first line
    [node2] it broke
    [node2] exit status 3 after <t>
    FAILED step "break on node2" (<t>): command failed with exit status 3: test node2 != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }
    <dir>/golden.hf:11:3: error: [node2] command failed with exit status 3: test node2 != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }
    first line
    it broke
      11 |   `test ${current_host().name} != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }`
         |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
          = hint: wrap it in try { } catch e { }, or write run(`…`, check: false) to allow a non-zero exit
    RECAP FAILED in <t>
      node1  ok=0 changed=3 failed=0 skipped=1 unreachable=0  <t>
      node2  ok=0 changed=1 failed=1 skipped=0 unreachable=0  <t>
      node3  ok=0 changed=1 failed=0 skipped=1 unreachable=0  <t>
    steps
      ok      greet           <t>  node1, node2, node3
      skipped left out        --skip
      ok      write a file    <t>  node1
      FAILED  break on node2  <t>  node1, node2, node3
    failed commands
      node2 in "break on node2": exit status 3: test node2 != node2 || { echo "first line" >&2; echo "it broke" >&2; exit 3; }
        | first line
        | it broke

    """

  /// `text` with elapsed times as `<t>` and `directory` as `<dir>`.
  static func normalized(_ text: String, directory: URL) -> String {
    text.replacingOccurrences(of: directory.path, with: "<dir>")
      .replacingOccurrences(
        of: #"\b[0-9]+(\.[0-9]+s|m[0-9]{2}s|h[0-9]{2}m)"#, with: "<t>", options: .regularExpression)
  }

  @Test(.timeLimit(.minutes(8))) func pipedOutputAndRecapAndSelection() async throws {
    try await RunLab.withLab { directory, lab in
      let inventory = lab + "/inventory.ini"
      let playbook = directory.path + "/golden.hf"
      try Self.playbook.write(toFile: playbook, atomically: true, encoding: .utf8)

      // Not a terminal: a line per event, then the recap, no colour codes.
      let run = try HaflowCLI.run(["run", "-i", inventory, playbook, "--skip", "left out"])
      #expect(run.status == 1)
      #expect(Self.normalized(run.stderr, directory: directory) == Self.golden)
      #expect(!run.stderr.contains("\u{1B}["))
      // --color always forces colours even into a pipe (NO_COLOR is set by HaflowCLI).
      let colored = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--only", "greet", "--color", "always"])
      #expect(colored.status == 0, "\(colored.stderr)")
      #expect(colored.stderr.contains("\u{1B}[32mok\u{1B}[0m"))
      #expect(colored.stderr.contains("RECAP"))

      // --only, repeatable: the others are skipped, and the recap says why.
      let only = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--only", "greet", "--only", "write a file"])
      #expect(only.status == 0, "\(only.stderr)")
      #expect(only.stderr.contains("skip step \"break on node2\" (--only)"))
      #expect(only.stderr.contains("skipped never reached   --only"))
      #expect(only.stderr.contains("node1  ok=1 changed=1 failed=0 skipped=3"), "\(only.stderr)")

      // --start-at: the steps before it are left out.
      let start = try HaflowCLI.run(
        [
          "run", "-i", inventory, playbook, "--start-at", "write a file", "--skip",
          "break on node2",
        ])
      #expect(start.status == 0, "\(start.stderr)")
      #expect(start.stderr.contains("skip step \"greet\" (--start-at)"))
      #expect(start.stderr.contains("==> step \"never reached\" on node1, node2, node3"))

      // A name that matches no step: usage error with "did you mean", nothing runs.
      let typo = try HaflowCLI.run(["run", "-i", inventory, playbook, "--skip", "gret"])
      #expect(typo.status == 2)
      #expect(typo.stderr.contains("--skip: no step is named \"gret\"; did you mean \"greet\"?"))
      #expect(!typo.stderr.contains("==> step"))

      // --limit: `on` leaves out the other hosts, so node2 never breaks.
      let limited = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--limit", "lab,!node2", "--skip", "left out"])
      #expect(limited.status == 0, "\(limited.stderr)")
      #expect(limited.stderr.contains("==> step \"break on node2\" on node1, node3"))
      #expect(!limited.stderr.contains("[node2]"))
      // @file: one host per line, as Ansible's retry files.
      let retry = directory.path + "/retry"
      try "node2\n# a comment\n\n".write(toFile: retry, atomically: true, encoding: .utf8)
      let fromFile = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--limit", "@" + retry, "--only", "greet"])
      #expect(fromFile.status == 0, "\(fromFile.stderr)")
      #expect(fromFile.stderr.contains("==> step \"greet\" on node2\n"))
      let unknownHost = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--limit", "node9"])
      #expect(unknownHost.status == 2)
      #expect(unknownHost.stderr.contains("--limit: "), "\(unknownHost.stderr)")

      // Modes that cannot go together are a usage error, not one of them ignored.
      let both = try HaflowCLI.run(["run", playbook, "--list-steps", "--dry-run"])
      #expect(both.status == 2)
      #expect(
        both.stderr.contains("--dry-run=plan and --list-steps cannot be used together"),
        "\(both.stderr)")
      let events = try HaflowCLI.run(["run", playbook, "--list-steps", "--log-format", "json"])
      #expect(events.status == 2)
      #expect(events.stderr.contains("--list-steps writes no events"))

      // Listings run nothing.
      let steps = try HaflowCLI.run(["run", playbook, "--list-steps"])
      #expect(steps.status == 0, "\(steps.stderr)")
      #expect(
        steps.stdout.hasPrefix("\"greet\"  on nodes\n\"left out\"  on nodes[0]\n"),
        "\(steps.stdout)")
      let hosts = try HaflowCLI.run(
        ["run", "-i", inventory, playbook, "--list-hosts", "--limit", "node1,node3"])
      #expect(hosts.status == 0, "\(hosts.stderr)")
      #expect(hosts.stdout.contains("\"greet\"  node1, node3\n"), "\(hosts.stdout)")
      #expect(hosts.stdout.contains("\"left out\"  node1\n"))
      #expect(!hosts.stderr.contains("==> step"))
    }
  }
}

/// `haflow run --dry-run` (the plan, no connection) and `--dry-run=connect` (sessions opened
/// and authenticated, nothing run) on the shipped examples and lab hosts.
@Suite(.serialized) struct RunDryRunTests {
  static let examples = HaflowCLI.packageRoot.appendingPathComponent("playbooks/examples").path

  @Test(.timeLimit(.minutes(8))) func thePlanRunsNothingAndConnectOnlyConnects() async throws {
    try await RunLab.withLab { directory, lab in
      let inventory = lab + "/inventory.ini"
      let marker = "/tmp/haflow-dry-\(UInt32.random(in: 1...UInt32.max))"
      let playbook = directory.path + "/touch.hf"
      try """
      let out = step "read a name" on "node1" { trim(`cat /proc/sys/kernel/hostname`.stdout) }
      step "touch" on "lab" parallel { `touch \(marker)-${out}` }
      step "here" { local `touch \(marker)-local` }
      """.write(toFile: playbook, atomically: true, encoding: .utf8)
      let plan = try HaflowCLI.run(["run", "-i", inventory, playbook, "--dry-run"])
      #expect(plan.status == 0, "\(plan.stderr)")
      #expect(plan.stderr.hasPrefix("DRY RUN: nothing runs"))
      // A value from remote output is a placeholder naming its step.
      #expect(
        plan.stderr.contains("[node2] $ touch \(marker)-'<from step \"read a name\">'"),
        "\(plan.stderr)")
      #expect(plan.stderr.contains("[local] $ touch \(marker)-local"))
      #expect(
        !FileManager.default.fileExists(atPath: marker + "-local"), "local commands do not run")
      let check = try HaflowCLI.run([
        "exec", "-i", inventory, "all", "--", "ls /tmp | grep -c haflow-dry- || true",
      ])
      #expect(check.status == 0)
      #expect(
        check.stdout.components(separatedBy: "\n0\n").count == 4,
        "no host was touched: \(check.stdout)")

      // The shipped examples plan without a host (hello-lab) or a command (hello-local) run.
      let lab = try HaflowCLI.run(
        ["run", "-i", inventory, Self.examples + "/hello-lab.hf", "--dry-run"])
      #expect(lab.status == 0, "\(lab.stderr)")
      #expect(lab.stderr.contains("[node3] $ sha256sum /tmp/haflow-hello-lab/token"))
      #expect(lab.stdout.hasSuffix("all 3 copies match\n"))
      let local = try HaflowCLI.run(["run", Self.examples + "/hello-local.hf", "--dry-run"])
      #expect(local.status == 0, "\(local.stderr)")
      #expect(local.stdout.contains("<from step \"look at this machine\">"), "\(local.stdout)")

      // =connect: every host the run would use is connected to and authenticated; no step runs.
      let connect = try HaflowCLI.run(["run", "-i", inventory, playbook, "--dry-run=connect"])
      #expect(connect.status == 0, "\(connect.stderr)")
      for node in ["node1", "node2", "node3"] {
        #expect(connect.stdout.contains("\(node) | ok | connected and authenticated"))
      }
      #expect(connect.stderr.contains("3 hosts: 3 connected, 0 unreachable; nothing ran"))
      let gone = directory.path + "/gone.ini"
      try
        (try String(contentsOfFile: inventory, encoding: .utf8)
        + "\n[lab]\ngone ansible_host=127.0.0.200 ansible_port=1\n")
        .write(toFile: gone, atomically: true, encoding: .utf8)
      let refused = try HaflowCLI.run(["run", "-i", gone, playbook, "--dry-run=connect"])
      #expect(refused.status == 3, "\(refused.stderr)")
      #expect(
        refused.stdout.contains("gone | UNREACHABLE | connection refused"), "\(refused.stdout)")
      let after = try HaflowCLI.run([
        "exec", "-i", inventory, "all", "--", "ls /tmp | grep -c haflow-dry- || true",
      ])
      #expect(
        after.stdout.components(separatedBy: "\n0\n").count == 4,
        "connecting ran nothing: \(after.stdout)")
    }
  }
}
