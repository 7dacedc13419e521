import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// An sshd on 127.0.0.32 that accepts passwords as well as keys.
let passwordServer: SSHServerFixture.Options = {
  var options = SSHServerFixture.Options()
  options.address = "127.0.0.32"
  options.extraConfig = ["PasswordAuthentication yes"]
  return options
}()

/// Passwords typed once for the run, against a real sshd that accepts passwords: `--ask-pass`
/// (SSH password authentication, typed on a pseudo-terminal without echo) for `haflowpw`, a
/// user haflow has no key for; `--ask-become-pass` and `--become-password-file` for the sudo of
/// `exec --sudo` and of a playbook's commands and transfers. The password never shows.
@Suite(.serialized, .sshServer(passwordServer))
struct PasswordTests {

  static let available = TestUsers.canCreate

  /// A workspace with an inventory naming the server as `pwhost`, logging in as `haflowpw`,
  /// trusting its host key; HOME there has no keys, and the agent is left out.
  static func workspace(_ server: SSHServerFixture) throws -> (Workspace, String) {
    try TestUsers.ensure()
    let workspace = try Workspace()
    let inventory = try workspace.write(
      "hosts.ini",
      """
      pwhost ansible_host=\(server.address) ansible_port=\(server.port) \
      ansible_user=\(TestUsers.passwordSudoer) haflow_known_hosts=\(server.knownHosts)

      """)
    return (workspace, inventory)
  }

  static let environment = ["SSH_AUTH_SOCK": ""]

  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func askPassLogsInWithATypedPassword() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory) = try Self.workspace(server)
      let pty = try ReplPTY(
        ["exec", "-i", inventory, "pwhost", "--ask-pass", "--", "id -un"], in: workspace.url,
        environment: Self.environment)
      defer { pty.shutdown() }
      try pty.expect("SSH password: ")
      try pty.line(TestUsers.sudoPassword)
      try pty.expect("pwhost | ok | rc=0")
      try pty.expect(TestUsers.passwordSudoer)
      #expect(pty.waitForExit(timeout: 30) == 0, "\(pty.screen)")
      #expect(!pty.screen.contains(TestUsers.sudoPassword), "the password was echoed")

      // A wrong password: the host is unreachable, the error says what was tried.
      let wrong = try ReplPTY(
        ["exec", "-i", inventory, "pwhost", "--ask-pass", "--", "true"], in: workspace.url,
        environment: Self.environment)
      defer { wrong.shutdown() }
      try wrong.expect("SSH password: ")
      try wrong.line("not-the-password")
      try wrong.expect("password (refused)")
      #expect(wrong.waitForExit(timeout: 30) == 3, "unreachable: exit 3 \(wrong.screen)")
      #expect(!wrong.screen.contains("not-the-password"))
    }
  }

  /// `run -vv` names the method that logged in — `password` — and never the password, on the
  /// terminal or in the `--log` file's `host_connect` event.
  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func veryVerboseNamesThePasswordMethodNotThePassword() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory) = try Self.workspace(server)
      let playbook = try workspace.write("who.hf", "on \"pwhost\" { `id -un` }\n")
      let log = workspace.url.path + "/run.jsonl"
      let pty = try ReplPTY(
        ["run", "-vv", "-i", inventory, playbook, "--ask-pass", "--log", log],
        in: workspace.url, environment: Self.environment)
      defer { pty.shutdown() }
      try pty.expect("SSH password: ")
      try pty.line(TestUsers.sudoPassword)
      #expect(pty.waitForExit(timeout: 30) == 0, "\(pty.screen)")
      #expect(
        pty.screen.contains("[pwhost] connected and authenticated by password ("),
        "\(pty.screen)")
      #expect(pty.screen.contains("[pwhost] channel closed: exit 0 ("), "\(pty.screen)")
      let events = try String(contentsOfFile: log, encoding: .utf8)
      #expect(events.contains(#""event":"host_connect","host":"pwhost""#), "\(events)")
      #expect(events.contains(#""auth":"password""#), "\(events)")
      #expect(!pty.screen.contains(TestUsers.sudoPassword))
      #expect(!events.contains(TestUsers.sudoPassword))
    }
  }

  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func withoutAskPassTheHintSaysSo() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory) = try Self.workspace(server)
      let result = try HaflowCLI.run(
        ["exec", "-i", inventory, "pwhost", "--", "true"], in: workspace.url,
        launcher: ["/usr/bin/env", "-u", "SSH_AUTH_SOCK", "HOME=\(workspace.url.path)"])
      #expect(result.status == 3, "exec's status for an unreachable host")
      #expect(result.stdout.contains("pwhost | UNREACHABLE"), "\(result.stdout)")
      #expect(result.stdout.contains("--ask-pass"), "\(result.stdout)")
      // No terminal to ask on: a clear error, not a hang.
      let noTerminal = try HaflowCLI.run(
        ["exec", "-i", inventory, "pwhost", "--ask-pass", "--", "true"], in: workspace.url,
        launcher: ["/usr/bin/setsid", "-w"])
      #expect(noTerminal.status == 2)
      #expect(noTerminal.stderr.contains("--ask-pass needs a terminal"), "\(noTerminal.stderr)")
    }
  }

  /// `-u NAME` logs in as NAME where the inventory names no user; an inventory user wins.
  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func dashUSetsTheLoginUser() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, _) = try Self.workspace(server)
      let inventory = try workspace.write(
        "users.ini",
        """
        plain ansible_host=\(server.address) ansible_port=\(server.port) \
        haflow_known_hosts=\(server.knownHosts)
        named ansible_host=\(server.address) ansible_port=\(server.port) \
        haflow_known_hosts=\(server.knownHosts) ansible_user=\(TestUsers.passwordSudoer)

        """)
      let noConfig = try workspace.write("ssh_config", "# nothing\n")
      let result = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "all", "-u", TestUsers.sudoer, "--identity", server.clientKey,
          "--ssh-config", noConfig, "--", "id -un",
        ], in: workspace.url)
      #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
      let lines = result.stdout.split(separator: "\n").map(String.init)
      let plain = try #require(lines.firstIndex { $0.hasPrefix("plain | ok") })
      let named = try #require(lines.firstIndex { $0.hasPrefix("named | ok") })
      #expect(lines[plain + 1] == TestUsers.sudoer)
      #expect(lines[named + 1] == TestUsers.passwordSudoer)
      let empty = try HaflowCLI.run(["exec", "-i", inventory, "all", "-u", "", "--", "true"])
      #expect(empty.status == 64 || empty.status == 2, "\(empty.status)")
      #expect(empty.stderr.contains("-u/--user needs a user name"), "\(empty.stderr)")
    }
  }

  /// `--ask-become-pass` after `--ask-pass`: an empty answer means the SSH password, and
  /// `exec --sudo` runs as root with it.
  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func askBecomePassFeedsExecSudo() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory) = try Self.workspace(server)
      let pty = try ReplPTY(
        [
          "exec", "-i", inventory, "pwhost", "--ask-pass", "--ask-become-pass", "--sudo", "--",
          "id -u",
        ], in: workspace.url, environment: Self.environment)
      defer { pty.shutdown() }
      try pty.expect("SSH password: ")
      try pty.line(TestUsers.sudoPassword)
      try pty.expect("sudo password [the SSH password]: ")
      try pty.line("")
      try pty.expect("pwhost | ok | rc=0")
      #expect(pty.waitForExit(timeout: 30) == 0, "\(pty.screen)")
      #expect(pty.screen.contains("\n0\n") || pty.screen.contains("\r\n0\r\n"), "\(pty.screen)")
      #expect(!pty.screen.contains(TestUsers.sudoPassword))
    }
  }

  /// `--become-password-file`: every sudo of a playbook (a command, a write and a read as
  /// root) uses it, and output that contains it shows it redacted.
  @Test(.enabled(if: available), .timeLimit(.minutes(2)))
  func becomePasswordFileServesAPlaybook() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, _) = try Self.workspace(server)
      // Logs in with the key this time; only sudo wants the password.
      let inventory = try workspace.write(
        "keyed.ini",
        """
        pwhost ansible_host=\(server.address) ansible_port=\(server.port) \
        ansible_user=\(TestUsers.passwordSudoer) haflow_known_hosts=\(server.knownHosts) \
        ansible_ssh_private_key_file=\(server.clientKey)

        """)
      let passwordFile = try workspace.write("become", TestUsers.sudoPassword + "\n")
      chmod(passwordFile, 0o600)
      let target = "/root/haflow-become-\(UInt32.random(in: 0...UInt32.max))"
      defer { try? FileManager.default.removeItem(atPath: target) }
      let script = try workspace.write(
        "site.hf",
        """
        on "pwhost" {
          let r = run(`id -u`, sudo: true)
          print("uid=${trim(r.stdout)}")
          write_file("\(target)", "as root", mode: "0600", sudo: true)
          print("read=${read_file("\(target)", sudo: true)}")
          print("shown=${trim(run(`cat \(passwordFile)`, sudo: true).stdout)}")
        }
        """)
      let run = try HaflowCLI.run(
        ["run", "-i", inventory, "--become-password-file", passwordFile, script],
        in: workspace.url)
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.contains("uid=0"), "\(run.stdout)")
      #expect(run.stdout.contains("read=as root"), "\(run.stdout)")
      #expect(run.stdout.contains("shown=<secret sudo password>"), "\(run.stdout)")
      #expect(!(run.stdout + run.stderr).contains(TestUsers.sudoPassword))
      let owner = try Shell.run("stat", "-c", "%a %U", target)
      #expect(owner == "600 root\n")

      // Without it, sudo's reason is the hint about passwords.
      let without = try HaflowCLI.run(["run", "-i", inventory, script], in: workspace.url)
      #expect(without.status != 0)
      #expect((without.stdout + without.stderr).contains("sudo asked for a password"))
    }
  }
}

/// An sshd on 127.0.0.35 that takes passwords only by keyboard-interactive (through PAM).
let interactiveServer: SSHServerFixture.Options = {
  var options = SSHServerFixture.Options()
  options.address = "127.0.0.35"
  options.extraConfig = [
    "UsePAM yes", "KbdInteractiveAuthentication yes", "PasswordAuthentication no",
  ]
  return options
}()

/// `--ask-pass` against a server that asks for the password by keyboard-interactive prompts.
@Suite(.serialized, .sshServer(interactiveServer))
struct KeyboardInteractiveTests {
  @Test(.enabled(if: TestUsers.canCreate), .timeLimit(.minutes(2)))
  func askPassAnswersThePrompts() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory) = try PasswordTests.workspace(server)
      let pty = try ReplPTY(
        ["exec", "-i", inventory, "pwhost", "--ask-pass", "--", "id -un"], in: workspace.url,
        environment: PasswordTests.environment)
      defer { pty.shutdown() }
      try pty.expect("SSH password: ")
      try pty.line(TestUsers.sudoPassword)
      _ = pty.waitForExit(timeout: 30)
      #expect(pty.screen.contains("pwhost | ok | rc=0"), "\(pty.screen)")
      #expect(pty.screen.contains(TestUsers.passwordSudoer))
      #expect(!pty.screen.contains(TestUsers.sudoPassword))

      // A wrong answer: the method that was tried is named.
      let wrong = try ReplPTY(
        ["exec", "-i", inventory, "pwhost", "--ask-pass", "--", "true"], in: workspace.url,
        environment: PasswordTests.environment)
      defer { wrong.shutdown() }
      try wrong.expect("SSH password: ")
      try wrong.line("not-the-password")
      _ = wrong.waitForExit(timeout: 30)
      #expect(wrong.screen.contains("keyboard-interactive (refused)"), "\(wrong.screen)")
      #expect(!wrong.screen.contains("password (refused)"))
    }
  }
}
