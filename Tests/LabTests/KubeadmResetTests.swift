import Foundation
import TestSupport
import Testing

@testable import Lab

#if canImport(Glibc)
  import Glibc
#endif

/// `kubeadm reset` on a temporary root: its text pinned to LAB-FIDELITY.md §3.3 (the published
/// v1.30 transcript there, and `reset.go`'s cleanup paragraphs), what it removes and keeps, the
/// prompt without `-f`, the root check, and the API-server read that fails as kubeadm's does.
@Suite struct KubeadmResetTests {
  /// The §3.3 block of LAB-FIDELITY.md: the stdout lines (klog `W…` lines are stderr).
  static func referenceReset() throws -> (stdout: String, klog: [String]) {
    let lines = try KubeadmPreflightTests.fencedBlock(after: "### 3.3 `kubeadm reset -f`")
    let klog = lines.filter { $0.hasPrefix("W0") }
    let stdout = lines.filter { !$0.hasPrefix("W0") }.joined(separator: "\n") + "\n"
    return (stdout, klog)
  }

  /// A control plane's files: etcd's manifest (from the stand-in) and data, PKI, kubeconfigs,
  /// the kubelet's files, and what reset must leave (CNI, `~/.kube/config`).
  static func controlPlane(_ root: KubeadmRoot, adminServer: String? = nil) async throws {
    let made = await kubeadm("init", "phase", "etcd", "local", root: root)
    #expect(made.status == 0, "\(made.err)")
    for (path, text) in [
      ("/var/lib/etcd/member/snap/db", "data"), ("/etc/kubernetes/pki/ca.crt", "ca"),
      ("/etc/kubernetes/pki/etcd/ca.key", "key"), ("/etc/kubernetes/super-admin.conf", "x"),
      ("/etc/kubernetes/controller-manager.conf", "x"), ("/etc/kubernetes/scheduler.conf", "x"),
      ("/etc/kubernetes/kubelet.conf", "x"), ("/var/lib/kubelet/config.yaml", "x"),
      ("/var/lib/kubelet/pki/kubelet-client-current.pem", "x"),
      ("/etc/cni/net.d/10-flannel.conflist", "{}"), ("/root/.kube/config", "x"),
      ("/etc/kubernetes/other.conf", "kept"),
    ] {
      try root.host.write(text, to: path, mode: 0o600)
    }
    if let adminServer {
      try root.host.write(
        "apiVersion: v1\nclusters:\n- cluster:\n    server: \(adminServer)\n  name: kubernetes\n",
        to: "/etc/kubernetes/admin.conf", mode: 0o600)
    }
  }

  static func reset(
    _ arguments: [String], root: KubeadmRoot, isRoot: Bool = true, answer: String? = nil
  ) async -> (status: Int32, out: String, err: String) {
    var context = KubeadmContext(
      host: root.host, release: .v132, hostname: "cp1", advertiseAddress: "10.0.0.11",
      now: { KubeadmFixtures.now })
    context.isRoot = isRoot
    context.readLine = { answer }
    let prepared = context
    return await withCheckedContinuation { continuation in
      kubeadmWorkQueue.async {
        let captured = CapturedOutput()
        let status = KubeadmCLI.run(
          ["reset"] + arguments, context: prepared, output: captured.output)
        continuation.resume(returning: (status, captured.out, captured.err))
      }
    }
  }

  static func entries(_ root: KubeadmRoot, _ path: String) -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: root.real(path)))?.sorted() ?? []
  }

  /// klog's `W0101 00:00:00.000000    PID file.go:N] ` header.
  static func klogBody(_ line: Substring) -> String? {
    guard let close = line.range(of: "] ") else { return nil }
    let header = line[..<close.lowerBound]
    let fields = header.split(separator: " ", omittingEmptySubsequences: true)
    guard fields.count == 4, fields[0].hasPrefix("W"), fields[0].count == 5,
      fields[1].count == 15, Int(fields[2]) != nil
    else { return nil }
    return fields[3] + "] " + line[close.upperBound...]
  }

  @Test func controlPlaneResetPrintsTheReferenceTextAndEmptiesTheNode() async throws {
    let root = try KubeadmRoot()
    try await Self.controlPlane(root)
    let result = await Self.reset(["-f"], root: root)
    let reference = try Self.referenceReset()
    #expect(result.status == 0, "\(result.err)")
    // Fixture: LAB-FIDELITY.md §3.3 (published v1.30 transcript; reset.go's paragraphs).
    #expect(result.out == reference.stdout)
    let klog = result.err.split(separator: "\n").compactMap(Self.klogBody)
    #expect(klog == reference.klog.compactMap { Self.klogBody(Substring($0)) })
    #expect(klog == ["removeetcdmember.go:106] " + ResetText.noConfig])
    // Emptied, kept as directories.
    for directory in [
      "/etc/kubernetes/manifests", "/var/lib/kubelet", "/etc/kubernetes/pki", "/var/lib/etcd",
    ] {
      #expect(root.host.exists(directory), "\(directory) was removed")
      #expect(
        Self.entries(root, directory).isEmpty, "\(directory): \(Self.entries(root, directory))")
    }
    for file in KubeadmReset.kubeconfigFiles { #expect(!root.host.exists(file), "\(file)") }
    // Not reset's: CNI configuration, the user's kubeconfig, other files in /etc/kubernetes.
    #expect(root.host.exists("/etc/cni/net.d/10-flannel.conflist"))
    #expect(root.host.exists("/root/.kube/config"))
    #expect(try root.text("/etc/kubernetes/other.conf") == "kept")
  }

  @Test func unreachableAPIServerIsAWarningAndTheMemberStays() async throws {
    let root = try KubeadmRoot()
    let port = try LabNetworkPort.free()
    try await Self.controlPlane(root, adminServer: "https://127.0.0.1:\(port)")
    let result = await Self.reset(["--force"], root: root)
    #expect(result.status == 0, "\(result.err)")
    let lines = result.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // v1.32's FetchInitConfigurationFromCluster lines, then the §3.3 text.
    #expect(Array(lines.prefix(2)) == ResetText.readingConfiguration(.v132))
    #expect(
      lines[0].hasPrefix("[reset] Reading configuration from the \"kubeadm-config\" ConfigMap"))
    #expect(lines.dropFirst(2).joined(separator: "\n") == (try Self.referenceReset().stdout))
    let klog = result.err.split(separator: "\n").compactMap(Self.klogBody)
    #expect(
      klog.first
        == "reset.go:124] [reset] Unable to fetch the kubeadm-config ConfigMap from cluster: "
        + "failed to get config map: Get \"https://127.0.0.1:\(port)/api/v1/namespaces/kube-system/"
        + "configmaps/kubeadm-config?timeout=10s\": dial tcp 127.0.0.1:\(port): connect: connection refused"
    )
    #expect(klog.dropFirst().first == "removeetcdmember.go:106] " + ResetText.noConfig)
    #expect(!root.host.exists("/etc/kubernetes/admin.conf"))
  }

  @Test func workerResetSaysEtcdIsExternal() async throws {
    let root = try KubeadmRoot()
    try root.host.write("x", to: "/etc/kubernetes/kubelet.conf", mode: 0o600)
    try root.host.write("ca", to: "/etc/kubernetes/pki/ca.crt", mode: 0o644)
    let result = await Self.reset(["-f"], root: root)
    #expect(result.status == 0)
    let lines = result.out.split(separator: "\n").map(String.init)
    #expect(
      Array(lines.prefix(4)) == [ResetText.preflight] + ResetText.noEtcd + [
        ResetText.stoppingKubelet
      ])
    #expect(!root.host.exists("/etc/kubernetes/kubelet.conf"))
    #expect(Self.entries(root, "/etc/kubernetes/pki").isEmpty)
  }

  @Test func withoutForceTheAnswerMustBeY() async throws {
    let root = try KubeadmRoot()
    try await Self.controlPlane(root)
    // No terminal: standard input ends, the answer is empty.
    let refused = await Self.reset([], root: root, answer: nil)
    #expect(refused.status == 1)
    #expect(refused.out == ResetText.prompt)
    #expect(
      refused.err.split(separator: "\n").compactMap(Self.klogBody) == [
        "preflight.go:56] " + ResetText.warning
      ])
    #expect(
      refused.err.hasSuffix(
        "error execution phase preflight: aborted reset operation\n" + KubeadmCLI.stackTraceHint
          + "\n"))
    #expect(root.host.exists("/etc/kubernetes/manifests/etcd.yaml"))
    #expect(root.host.exists("/var/lib/etcd/member/snap/db"))
    let accepted = await Self.reset([], root: root, answer: "Y")
    #expect(accepted.status == 0)
    #expect(accepted.out.hasPrefix(ResetText.prompt + ResetText.preflight + "\n"))
    #expect(!root.host.exists("/etc/kubernetes/manifests/etcd.yaml"))
  }

  @Test func nonRootFailsPreflightUnlessIgnored() async throws {
    let root = try KubeadmRoot()
    try await Self.controlPlane(root)
    let failed = await Self.reset(["-f"], root: root, isRoot: false)
    #expect(failed.status == 1)
    #expect(
      failed.err
        == "error execution phase preflight: [preflight] Some fatal errors occurred:\n"
        + "\t[ERROR IsPrivilegedUser]: user is not running as root\n"
        + "[preflight] If you know what you are doing, you can make a check non-fatal with "
        + "`--ignore-preflight-errors=...`\n" + KubeadmCLI.stackTraceHint + "\n")
    #expect(root.host.exists("/etc/kubernetes/manifests/etcd.yaml"))
    let ignored = await Self.reset(
      ["-f", "--ignore-preflight-errors=isprivilegeduser"], root: root, isRoot: false)
    #expect(ignored.status == 0)
    #expect(ignored.err.hasPrefix("\t[WARNING IsPrivilegedUser]: user is not running as root\n"))
    #expect(!root.host.exists("/etc/kubernetes/manifests/etcd.yaml"))
  }

  @Test func skippedPhasesAreNotRun() async throws {
    let root = try KubeadmRoot()
    try await Self.controlPlane(root)
    let result = await Self.reset(["-f", "--skip-phases", "cleanup-node"], root: root)
    #expect(result.status == 0, "\(result.err)")
    #expect(!result.out.contains(ResetText.stoppingKubelet))
    #expect(result.out.contains(ResetText.deletedEtcd("/var/lib/etcd") + "\n"))
    #expect(Self.entries(root, "/var/lib/etcd").isEmpty)
    // The lab's container removal still took the manifests (etcd must not run on no data).
    #expect(Self.entries(root, "/etc/kubernetes/manifests").isEmpty)
    #expect(root.host.exists("/etc/kubernetes/pki/ca.crt"))
    #expect(root.host.exists("/etc/kubernetes/kubelet.conf"))
  }

  @Test func etcdDataDirectoryComesFromTheManifest() throws {
    let manifest = """
      apiVersion: v1
      kind: Pod
      spec:
        volumes:
        - hostPath:
            path: /etc/kubernetes/pki/etcd
            type: DirectoryOrCreate
          name: etcd-certs
        - hostPath:
            path: /srv/etcd
            type: DirectoryOrCreate
          name: etcd-data
      """
    #expect(KubeadmReset.hostPath(ofVolume: "etcd-data", inManifest: manifest) == "/srv/etcd")
    #expect(KubeadmReset.hostPath(ofVolume: "nope", inManifest: manifest) == nil)
  }
}

/// A free port on 127.0.0.1 (bound and released), for "connection refused".
enum LabNetworkPort {
  static func free() throws -> Int { try LabNetwork.freePort(on: "127.0.0.1") }
}
