import Foundation
import Testing

/// The `haflow` executable called as `kubectl` and `kube-apiserver` through symlinks, as lab
/// hosts call them: argv[0] picks the stand-in, and its errors and exit statuses are
/// kubectl's and kube-apiserver's.
@Suite struct LabStandInCommandTests {
  final class Links {
    let directory: URL

    init() throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "haflow-standins-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
      for name in ["kubectl", "kube-apiserver"] {
        try FileManager.default.createSymbolicLink(
          atPath: directory.appendingPathComponent(name).path, withDestinationPath: binary.path)
      }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func run(_ name: String, _ arguments: [String], environment: [String] = []) throws -> CLIResult
    {
      try HaflowCLI.run(
        arguments, launcher: ["/usr/bin/env", "-i", "HOME=\(directory.path)"] + environment,
        binary: directory.appendingPathComponent(name).path)
    }
  }

  @Test func kubectlFailsAsKubectl() throws {
    let links = try Links()
    let unknown = try links.run("kubectl", ["frobnicate"])
    #expect(unknown.status == 1)
    #expect(
      unknown.stderr
        == "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
    )
    // No kubeconfig anywhere: kubectl's localhost:8080 default.
    let none = try links.run("kubectl", ["get", "nodes"])
    #expect(none.status == 1)
    #expect(
      none.stderr
        == "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
    )
    // A kubeconfig naming a port nobody listens on.
    let config = links.directory.appendingPathComponent("admin.conf").path
    try """
    apiVersion: v1
    kind: Config
    clusters:
    - cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
      name: kubernetes
    contexts:
    - context: {cluster: kubernetes, user: admin}
      name: admin@kubernetes
    current-context: admin@kubernetes
    users:
    - name: admin
      user: {token: abcdef.0123456789abcdef}
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let refused = try links.run("kubectl", ["get", "nodes"], environment: ["KUBECONFIG=\(config)"])
    #expect(refused.status == 1)
    #expect(
      refused.stderr
        == "The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n"
    )
  }

  @Test func kubeAPIServerExplainsWhyItCannotStart() throws {
    let links = try Links()
    let bad = try links.run("kube-apiserver", ["--secure-port=http"])
    #expect(bad.status == 1)
    #expect(
      bad.stderr
        == "Error: invalid argument \"http\" for \"--secure-port\" flag: must be a port number\n")
    let missing = try links.run(
      "kube-apiserver",
      [
        "--tls-cert-file=/nonexistent/apiserver.crt", "--tls-private-key-file=/nonexistent/k",
        "--etcd-servers=https://127.0.0.1:2379", "--etcd-cafile=/nonexistent/etcd/ca.crt",
      ])
    #expect(missing.status == 1)
    #expect(
      missing.stderr
        == "kube-apiserver: --etcd-cafile: open /nonexistent/etcd/ca.crt: no such file or directory\n"
    )
  }
}
