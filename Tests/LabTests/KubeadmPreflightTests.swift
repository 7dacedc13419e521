import Foundation
import TestSupport
import Testing

@testable import Lab

#if canImport(Glibc)
  import Glibc
#endif

/// `init` and `join` preflight on a temporary root with real listeners: the error block pinned
/// to LAB-FIDELITY.md §4.2's transcripts (re-running init; a worker that already joined), each
/// check, `--ignore-preflight-errors` (names, case, `all`, and `all` with names).
@Suite(.serialized) struct KubeadmPreflightTests {
  /// The lines of the first fenced block after `heading` in LAB-FIDELITY.md.
  static func fencedBlock(after heading: String, skip: Int = 0) throws -> [String] {
    let text = try String(
      contentsOfFile: KubeadmFixtures.referenceDirectory + "/LAB-FIDELITY.md", encoding: .utf8)
    guard let start = text.range(of: heading) else { throw KubeadmError("no \(heading)") }
    var blocks: [[String]] = []
    var current: [String]?
    for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        if let block = current {
          blocks.append(block)
          current = nil
          if blocks.count > skip { break }
        } else {
          current = []
        }
      } else if current != nil {
        current?.append(String(line))
      }
    }
    guard let block = blocks.last, blocks.count == skip + 1 else { throw KubeadmError("no block") }
    return block
  }

  /// Listeners on `address` for `ports`, closed by `close`.
  final class Listeners {
    var fds: [Int32] = []
    init(_ address: String, _ ports: [Int]) throws {
      for port in ports {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
          Glibc.close(fd)
          throw KubeadmError("cannot listen on \(address):\(port)")
        }
        fds.append(fd)
      }
    }
    func close() { for fd in fds { _ = Glibc.close(fd) } }
  }

  static let hash = "sha256:" + String(repeating: "ab", count: 32)

  static func run(_ arguments: [String], root: KubeadmRoot, address: String) async -> (
    status: Int32, out: String, err: String
  ) {
    let context = KubeadmContext(
      host: root.host, release: .v132, hostname: "node", advertiseAddress: address,
      now: { KubeadmFixtures.now })
    return await withCheckedContinuation { continuation in
      kubeadmWorkQueue.async {
        let captured = CapturedOutput()
        let status = KubeadmCLI.run(arguments, context: context, output: captured.output)
        continuation.resume(returning: (status, captured.out, captured.err))
      }
    }
  }

  static func initNode(_ root: KubeadmRoot) throws {
    for name in ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"] {
      try root.host.write("x", to: "/etc/kubernetes/manifests/\(name).yaml", mode: 0o600)
    }
    try root.host.write("x", to: "/var/lib/etcd/member/snap/db", mode: 0o600)
  }

  @Test func initOnAnInitializedNodeFailsAsKubeadmDoes() async throws {
    let root = try KubeadmRoot()
    try Self.initNode(root)
    let address = "127.0.0.71"
    let listeners = try Listeners(address, [6443, 10259, 10257, 10250, 2379, 2380])
    defer { listeners.close() }
    let result = await Self.run(
      ["init", "--apiserver-advertise-address", address], root: root, address: address)
    // Fixture: LAB-FIDELITY.md §4.2, "Re-running init on an initialized node" (v1.29.4
    // transcript, same format in 1.31): line 1 is the version, 2 stdout, the rest stderr.
    let reference = try Self.fencedBlock(after: "**Re-running init on an initialized node**")
    #expect(result.status == 1)
    #expect(result.out == "[init] Using Kubernetes version: v1.32.0\n" + reference[1] + "\n")
    #expect(result.err == reference.dropFirst(2).joined(separator: "\n") + "\n")
  }

  @Test func joinOnAJoinedWorkerFailsAsKubeadmDoes() async throws {
    let root = try KubeadmRoot()
    try root.host.write("x", to: "/etc/kubernetes/kubelet.conf", mode: 0o600)
    try root.host.write("x", to: "/etc/kubernetes/pki/ca.crt", mode: 0o644)
    let address = "127.0.0.72"
    let listeners = try Listeners(address, [10250])
    defer { listeners.close() }
    let join = [
      "join", "lb:6443", "--token", "abcdef.0123456789abcdef", "--discovery-token-ca-cert-hash",
      Self.hash,
    ]
    let result = await Self.run(join, root: root, address: address)
    // Fixture: LAB-FIDELITY.md §4.2, the join block (a node that already joined).
    let reference = try Self.fencedBlock(after: "- **Join check order**")
    #expect(result.status == 1)
    #expect(result.out == reference[0] + "\n")
    #expect(result.err == reference.dropFirst().joined(separator: "\n") + "\n")
    // A control plane does not check ca.crt; bootstrap-kubelet.conf is checked.
    try root.host.write("x", to: "/etc/kubernetes/bootstrap-kubelet.conf", mode: 0o600)
    let controlPlane = await Self.run(
      join + ["--control-plane", "--certificate-key", String(repeating: "a", count: 64)],
      root: root, address: address)
    #expect(
      controlPlane.err.contains(
        "[ERROR FileAvailable--etc-kubernetes-bootstrap-kubelet.conf]: /etc/kubernetes/bootstrap-kubelet.conf already exists"
      ))
    #expect(!controlPlane.err.contains("pki-ca.crt"))
  }

  @Test func aFreshNodePassesPreflightThenStops() async throws {
    let root = try KubeadmRoot()
    let result = await Self.run(["init", "--dry-run"], root: root, address: "127.0.0.73")
    #expect(result.status == KubeadmCLI.notBuiltStatus)
    #expect(
      result.out.hasPrefix(
        "[init] Using Kubernetes version: v1.32.0\n[preflight] Running pre-flight checks\n"))
    // Another host's listener on the same port does not count: only this host's address.
    let listeners = try Listeners("127.0.0.74", [6443])
    defer { listeners.close() }
    let other = await Self.run(["init", "--dry-run"], root: root, address: "127.0.0.73")
    #expect(other.status == KubeadmCLI.notBuiltStatus, "\(other.err)")
  }

  @Test func ignoredErrorsBecomeWarnings() async throws {
    let root = try KubeadmRoot()
    try Self.initNode(root)
    let address = "127.0.0.75"
    let listeners = try Listeners(address, [6443])
    defer { listeners.close() }
    let all = await Self.run(
      ["init", "--ignore-preflight-errors=all", "--dry-run"], root: root, address: address)
    #expect(all.status == KubeadmCLI.notBuiltStatus)
    #expect(
      all.err.hasPrefix(
        "\t[WARNING Port-6443]: Port 6443 is in use\n"
          + "\t[WARNING FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml]: "
          + "/etc/kubernetes/manifests/kube-apiserver.yaml already exists\n"))
    #expect(
      all.err.contains("\t[WARNING DirAvailable--var-lib-etcd]: /var/lib/etcd is not empty\n"))
    // Names, any case: the rest stay errors.
    let some = await Self.run(
      [
        "init", "--ignore-preflight-errors",
        "port-6443,FILEAVAILABLE--etc-kubernetes-manifests-etcd.yaml,DirAvailable--var-lib-etcd",
      ], root: root, address: address)
    #expect(some.status == 1)
    #expect(some.err.hasPrefix("\t[WARNING Port-6443]: Port 6443 is in use\n"))
    #expect(
      some.err.contains("\t[ERROR FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml]"))
    #expect(!some.err.contains("[ERROR FileAvailable--etc-kubernetes-manifests-etcd.yaml]"))
    #expect(!some.err.contains("[ERROR DirAvailable"))
    #expect(!some.err.contains("[ERROR Port"))
    let mixed = await Self.run(
      ["init", "--ignore-preflight-errors=all,Port-6443"], root: root, address: address)
    #expect(mixed.status == 3)
    #expect(
      mixed.err.hasPrefix(
        "ignore-preflight-errors: Invalid value: \"all,port-6443\": don't specify individual checks if 'all' is used\n"
      ))
  }

  @Test func externalEtcdSkipsTheEtcdChecks() {
    let checks = KubeadmPreflight.initChecks(config: KubeadmFixtures.external()).map(\.name)
    #expect(!checks.contains("Port-2379"))
    #expect(!checks.contains("DirAvailable--var-lib-etcd"))
    #expect(
      KubeadmPreflight.initChecks(config: KubeadmFixtures.stacked()).map(\.name) == [
        "IsPrivilegedUser", "Port-6443", "Port-10259", "Port-10257",
        "FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml",
        "FileAvailable--etc-kubernetes-manifests-kube-controller-manager.yaml",
        "FileAvailable--etc-kubernetes-manifests-kube-scheduler.yaml",
        "FileAvailable--etc-kubernetes-manifests-etcd.yaml", "Port-10250", "Port-2379",
        "Port-2380", "DirAvailable--var-lib-etcd",
      ])
  }

  @Test func kubeletFilesAreWrittenAsKubeadmDoes() throws {
    let root = try KubeadmRoot()
    var config = KubeadmFixtures.stacked()
    config.cluster.serviceSubnet = "10.100.0.0/16"
    let files = KubeletFiles(host: root.host, release: .v132)
    let lines = try files.write(config: config, hostname: "cp1", join: false)
    // LAB-FIDELITY.md §3.1 (init: flags first) and §3.2 (join: configuration first).
    #expect(
      lines == [
        "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
        "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
      ])
    #expect(KubeletFiles.lines(join: true) == lines.reversed())
    #expect(try root.mode("/var/lib/kubelet") == 0o700)
    #expect(try root.mode(KubeletFiles.configPath) == 0o644)
    #expect(try root.mode(KubeletFiles.flagsPath) == 0o644)
    #expect(
      try root.text(KubeletFiles.flagsPath)
        == "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n"
    )
    let yaml = try root.text(KubeletFiles.configPath)
    #expect(yaml.contains("clusterDNS:\n- 10.100.0.10\nclusterDomain: cluster.local\n"))
    #expect(yaml.contains("staticPodPath: /etc/kubernetes/manifests\n"))
    #expect(yaml.contains("crashLoopBackOff: {}\n"))
    #expect(
      !KubeletFiles(host: root.host, release: .v131).configText(cluster: config.cluster).contains(
        "crashLoopBackOff"))
    #expect(
      files.flagsText(nodeName: "cp1-renamed", hostname: "cp1").contains(
        " --hostname-override=cp1-renamed "))
  }
}
