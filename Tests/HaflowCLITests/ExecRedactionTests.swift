import Foundation
import TestSupport
import Testing

/// `haflow exec` hides kubeadm's secrets as a playbook does: a `kubeadm` on a real sshd host
/// that prints a join command with a certificate key and a bootstrap token shows them as
/// `<secret …>` in exec's output blocks and summary; `--reveal` prints them in clear; the same
/// text printed by another program is left alone.
@Suite(.sshServer(address: "127.0.0.43"), .enabled(if: TestUsers.canCreate))
struct ExecRedactionTests {
  static let token = "abcdef.0123456789abcdef"
  static let key = "f3a1c2e4b5d60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a"

  /// What the fake kubeadm prints: a join command on stdout, the token again on stderr.
  static let joinLine =
    "kubeadm join lb.example:6443 --token \(token) --discovery-token-ca-cert-hash "
    + "sha256:4d170b1dfb24229319e0439a052b3cb56d02b152fc5903a4e4753e4fa76f8aca "
    + "--control-plane --certificate-key \(key)"

  /// A workspace with a fake `kubeadm` and a `cat` of the same text, and an inventory naming
  /// the server as `cp1`, logging in as root with the fixture's key.
  static func setUp(_ server: SSHServerFixture) throws -> (Workspace, String, String) {
    let workspace = try Workspace()
    let transcript = try workspace.write("transcript", joinLine + "\n")
    let program = workspace.url.appendingPathComponent("kubeadm").path
    try writeExecutable(
      "#!/bin/sh\ncat \(transcript)\necho \"token: \(token)\" >&2\n", to: program)
    let inventory = try workspace.write(
      "hosts.ini",
      """
      cp1 ansible_host=\(server.address) ansible_port=\(server.port) ansible_user=root \
      ansible_ssh_private_key_file=\(server.clientKey) haflow_known_hosts=\(server.knownHosts)

      """)
    return (workspace, inventory, program)
  }

  static let launcher = ["/usr/bin/env", "-u", "SSH_AUTH_SOCK"]

  @Test(.timeLimit(.minutes(3)))
  func execRedactsKubeadmsTokenAndCertificateKey() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (workspace, inventory, program) = try Self.setUp(server)
      let hidden = try HaflowCLI.run(
        ["exec", "-i", inventory, "cp1", "--", program + " token create --print-join-command"],
        in: workspace.url, launcher: Self.launcher)
      let output = hidden.stdout + hidden.stderr
      #expect(hidden.status == 0, "\(output)")
      #expect(hidden.stdout.contains("cp1 | ok | rc=0"), "\(output)")
      #expect(!output.contains(Self.token), "the token shows: \(output)")
      #expect(!output.contains(Self.key), "the certificate key shows: \(output)")
      #expect(
        hidden.stdout.contains(
          "--token <secret bootstrap-token> --discovery-token-ca-cert-hash sha256:4d170b1d"),
        "\(output)")
      #expect(
        hidden.stdout.contains("--control-plane --certificate-key <secret certificate-key>"),
        "\(output)")
      #expect(hidden.stdout.contains("token: <secret bootstrap-token>"), "\(output)")

      // Asked for, the values are printed as kubeadm printed them.
      let shown = try HaflowCLI.run(
        [
          "exec", "-i", inventory, "cp1", "--reveal", "--",
          program + " token create --print-join-command",
        ], in: workspace.url, launcher: Self.launcher)
      #expect(shown.status == 0, "\(shown.stdout)\(shown.stderr)")
      #expect(shown.stdout.contains(Self.joinLine), "\(shown.stdout)")
      #expect(shown.stdout.contains("token: \(Self.token)"), "\(shown.stdout)")

      // Another program's output is not kubeadm's: left alone.
      let other = try HaflowCLI.run(
        ["exec", "-i", inventory, "cp1", "--", "cat " + workspace.url.path + "/transcript"],
        in: workspace.url, launcher: Self.launcher)
      #expect(other.status == 0, "\(other.stdout)\(other.stderr)")
      #expect(other.stdout.contains(Self.joinLine), "\(other.stdout)")
    }
  }
}
