import Foundation
import TestSupport
import Testing

@testable import Lab

/// The kubectl stand-in's parts that need no server: flags and commands as kubectl rejects
/// them, the table layout and AGE text (LAB-FIDELITY §5.1), kubeconfig reading.
struct KubectlStandInTests {
  private func run(_ arguments: String..., environment: [String: String] = [:]) async -> (
    Int32, String, String
  ) {
    let captured = CapturedOutput()
    let status = await KubectlCLI.run(arguments, environment: environment, output: captured.output)
    return (status, captured.out, captured.err)
  }

  @Test func unknownCommandsAndFlagsFailAsKubectl() async {
    var (status, _, err) = await run("frobnicate")
    #expect(status == 1)
    #expect(
      err
        == "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"
    )
    (status, _, err) = await run("get", "nodes", "--bogus")
    #expect(status == 1)
    #expect(err == "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n")
    (status, _, err) = await run("get", "nodes", "-z")
    #expect(
      err == "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n")
    (status, _, err) = await run("wait", "node", "--all", "--filename", "x")
    #expect(err == "error: unknown flag: --filename\nSee 'kubectl wait --help' for usage.\n")
  }

  @Test func manifestURLsComeFromTheLab() async {
    let (status, _, err) = await run(
      "apply", "-f", "https://example.com/cni/calico.yaml",
      environment: ["HAFLOW_LAB_MANIFESTS": "/nonexistent"])
    #expect(status == 1)
    #expect(
      err
        == "error: unable to read URL \"https://example.com/cni/calico.yaml\", server reported Get \"https://example.com/cni/calico.yaml\": dial tcp: lookup example.com: no such host\n"
    )
  }

  @Test func missingKubeconfig() async {
    var (status, _, err) = await run("get", "nodes", environment: ["HOME": "/nonexistent"])
    #expect(status == 1)
    #expect(
      err
        == "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n"
    )
    (status, _, err) = await run("get", "nodes", "--kubeconfig", "/nonexistent/admin.conf")
    #expect(
      err
        == "error: error loading config file \"/nonexistent/admin.conf\": open /nonexistent/admin.conf: no such file or directory\n"
    )
  }

  @Test func tableLayoutMatchesTheTranscript() {
    // LAB-FIDELITY §5.1, pods transcript (columns of the first three rows).
    let text = KubectlTable.render([
      ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
      ["coredns-855c4dd65d-p26rk", "0/1", "Pending", "0", "35m"],
      ["etcd-node", "1/1", "Running", "1 (7m34s ago)", "35m"],
      ["kube-controller-manager-node", "1/1", "Running", "1 (7m34s ago)", "35m"],
    ])
    #expect(
      text.components(separatedBy: "\n")[0...2] == [
        "NAME                           READY   STATUS    RESTARTS        AGE",
        "coredns-855c4dd65d-p26rk       0/1     Pending   0               35m",
        "etcd-node                      1/1     Running   1 (7m34s ago)   35m",
      ])
  }

  @Test func humanDuration() {
    let cases: [(Int, String)] = [
      (5, "5s"), (119, "119s"), (120, "2m"), (154, "2m34s"), (600, "10m"), (154 * 60, "154m"),
      (3 * 3600 + 60, "3h1m"), (8 * 3600, "8h"), (47 * 3600, "47h"), (50 * 3600, "2d2h"),
      (9 * 86400, "9d"), (800 * 86400, "2y70d"), (-5, "<invalid>"),
    ]
    for (seconds, text) in cases {
      #expect(KubectlTable.humanDuration(seconds: seconds) == text, "\(seconds)")
    }
  }

  @Test func kubeconfigEmbeddedData() throws {
    let text = KubeconfigWriter.text(
      cluster: "kubernetes", server: "https://127.0.0.10:6443", caPEM: "CA",
      user: "tls-bootstrap-token-user",
      credentials: .token("abcdef.0123456789abcdef"))
    let config = try KubeconfigFile.parse(text)
    #expect(config.server == "https://127.0.0.10:6443")
    #expect(config.certificateAuthorityPEM == Array("CA".utf8))
    #expect(config.token == "abcdef.0123456789abcdef")
    #expect(config.clientCertificatePEM == nil)
  }

  @Test func resourcePaths() {
    #expect(
      ResourceRef.parse("/apis/apps/v1/namespaces/kube-system/daemonsets/x")
        == ResourceRef(
          group: "apps", version: "v1", resource: "daemonsets", namespace: "kube-system", name: "x")
    )
    #expect(ResourceRef.parse("/api/v1/namespaces/kube-system")?.resource == "namespaces")
    #expect(ResourceRef.parse("/api/v1/nodes/cp1")?.key == "/registry/nodes/cp1")
    #expect(
      ResourceRef.parse("/apis/apps/v1/namespaces/a/daemonsets/x")?.key
        == "/registry/apps/daemonsets/a/x")
    #expect(ResourceRef.parse("/version") == nil)
  }
}

/// KubeAPIClient's bounds: a server that accepts the connection and never answers.
struct KubeAPIClientTimeoutTests {
  @Test(.timeLimit(.minutes(1))) func silentServerTimesOut() async throws {
    let listener = try LoopbackListener(address: "127.0.0.1")
    defer { listener.close() }
    let client = try KubeAPIClient(
      server: "https://127.0.0.1:\(listener.port)", credentials: .anonymous,
      trust: .insecureSkipVerify, connectTimeout: .seconds(2), requestTimeout: .seconds(1))
    let started = ContinuousClock.now
    do throws(KubeAPIError) {
      _ = try await client.get("/version")
      Issue.record("a silent server answered")
    } catch {
      #expect(
        error.cause == "net/http: request canceled (Client.Timeout exceeded while awaiting headers)"
      )
    }
    // Bounded (without the timeout the call waits until the test's time limit); the margin is
    // for CI's two shared cores, where a resumption has been seen to take 14 s.
    #expect(ContinuousClock.now - started < .seconds(40))
  }
}
