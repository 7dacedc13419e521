import Foundation
import Yams

#if canImport(Glibc)
  import Glibc
#endif

/// `kubeadm reset`: its three phases (`preflight`, `remove-etcd-member`, `cleanup-node`) with
/// kubeadm 1.31/1.32's text and order (LAB-FIDELITY.md §3.3). It empties the manifests,
/// `/var/lib/kubelet` and the PKI directories, deletes the six kubeconfigs and, for a local
/// etcd, empties its data directory; it does not touch CNI configuration, iptables or
/// `$HOME/.kube/config`, and it removes the node's etcd member only when the cluster can be
/// asked (`ResetCluster`), as kubeadm does.
///
/// In the lab, kubeadm's removal of the node's containers (through the CRI, silently) is
/// deleting the static-pod manifests and waiting, bounded, for the kubelet to stop their
/// processes (`KubeletStatus.waitUntilStopped`); what is still running then is stopped
/// directly. That happens before etcd's data is deleted, so etcd never runs on an empty
/// directory.
public struct KubeadmReset {
  /// The node's filesystem.
  public var host: KubeadmHost
  /// The release played (the wording of the configuration read).
  public var release: KubeadmRelease
  /// `-f`/`--force`: no prompt.
  public var force = false
  /// `--cert-dir`.
  public var certificatesDirectory = "/etc/kubernetes/pki"
  /// `--kubeconfig`: the client kubeadm reads the cluster's configuration with.
  public var kubeconfig = "/etc/kubernetes/admin.conf"
  /// `--cleanup-tmp-dir`.
  public var cleanupTemporaryDirectory = false
  /// `--ignore-preflight-errors`, lowercased.
  public var ignore: Set<String> = []
  /// `--skip-phases`.
  public var skipPhases: Set<String> = []
  /// The cluster (the API slice's hook).
  public var cluster = ResetCluster.unreachable
  /// Stops the kubelet service (`systemctl stop kubelet`); nil or the failure's text.
  public var stopKubelet: @Sendable () -> String? = { nil }
  /// How long the kubelet gets to stop the pods once their manifests are gone.
  public var podStopLimit: Duration = .seconds(30)
  /// Whether the user is root.
  public var isRoot = geteuid() == 0
  /// The answer to the prompt (a line of standard input; nil at its end).
  public var readAnswer: @Sendable () -> String? = { Swift.readLine() }
  /// The clock of the klog lines.
  public var now: @Sendable () -> Date = { Date() }

  /// A reset of `host`.
  public init(host: KubeadmHost, release: KubeadmRelease) {
    self.host = host
    self.release = release
  }

  /// The kubeconfigs reset deletes, in kubeadm's order.
  public static let kubeconfigFiles = [
    "admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf",
    "controller-manager.conf", "scheduler.conf",
  ].map { "/etc/kubernetes/" + $0 }

  static let manifests = "/etc/kubernetes/manifests"
  static let kubeletDirectory = "/var/lib/kubelet"

  /// Runs reset, printing through `output`; throws the phase failure kubeadm would print.
  public func run(output: KubeadmOutput) throws(KubeadmFailure) {
    let config = readClusterConfiguration(output: output)
    if !skipPhases.contains("preflight") { try preflight(output: output) }
    if !skipPhases.contains("remove-etcd-member") {
      removeEtcdMember(config: config, output: output)
    }
    if !skipPhases.contains("cleanup-node") { cleanupNode(output: output) }
    output.out(ResetText.cleanupInstructions)
  }

  // MARK: reading the cluster's configuration (newResetData)

  /// With a readable kubeconfig, kubeadm asks the cluster for `kubeadm-config`; a failure is
  /// only a warning.
  func readClusterConfiguration(output: KubeadmOutput) -> InitConfiguration? {
    guard let text = try? host.readText(kubeconfig),
      let server = ResetCluster.server(inKubeconfig: text)
    else { return nil }
    for line in ResetText.readingConfiguration(release) { output.out(line + "\n") }
    switch cluster.fetchConfiguration(server) {
    case .success(let config): return config
    case .failure(let error):
      warn(ResetText.unableToFetch(error.message), at: "reset.go:124", output: output)
      return nil
    }
  }

  // MARK: phases

  func preflight(output: KubeadmOutput) throws(KubeadmFailure) {
    if !force {
      warn(ResetText.warning, at: "preflight.go:56", output: output)
      output.out(ResetText.prompt)
      if (readAnswer() ?? "").lowercased() != "y" {
        throw KubeadmFailure("error execution phase preflight: " + ResetText.aborted)
      }
    }
    output.out(ResetText.preflight + "\n")
    do throws(KubeadmError) {
      try KubeadmPreflight.check(
        [.privilegedUser], host: host, ignore: ignore, isRoot: isRoot, warn: output.err)
    } catch {
      throw KubeadmFailure("error execution phase preflight: " + error.message)
    }
  }

  func removeEtcdMember(config: InitConfiguration?, output: KubeadmOutput) {
    guard let dataDir = etcdDataDirectory(config: config, output: output) else {
      for line in ResetText.noEtcd { output.out(line + "\n") }
      return
    }
    // The lab's container removal comes first: etcd must not run while its data goes.
    stopPods(output: output)
    if let config {
      if let error = cluster.removeEtcdMember(config) {
        warn(
          ResetText.memberNotRemoved(error.message), at: "removeetcdmember.go:72", output: output)
      } else {
        cleanEtcd(dataDir, output: output)
      }
    }
    if !isEmptyDirectory(dataDir) { cleanEtcd(dataDir, output: output) }
  }

  func cleanupNode(output: KubeadmOutput) {
    stopPods(output: output)
    output.out(ResetText.stoppingKubelet + "\n")
    if let failure = stopKubelet() {
      warn(
        "[reset] The kubelet service could not be stopped by kubeadm: [\(failure)]",
        at: "cleanupnode.go:63", output: output)
      warn(
        "[reset] Please ensure kubelet is stopped manually", at: "cleanupnode.go:64", output: output
      )
    }
    output.out(ResetText.unmounting(Self.kubeletDirectory) + "\n")
    if certificatesDirectory != "/etc/kubernetes/pki" {
      warn(
        "[reset] WARNING: Cleaning a non-default certificates directory: \(GoQuote.quote(certificatesDirectory))",
        at: "cleanupnode.go:104", output: output)
    }
    var directories = [Self.manifests, Self.kubeletDirectory, certificatesDirectory]
    if cleanupTemporaryDirectory { directories.append("/etc/kubernetes/tmp") }
    output.out(ResetText.deletingDirectories(directories) + "\n")
    for directory in directories {
      if let failure = emptyDirectory(directory) {
        warn(
          "[reset] Failed to delete contents of \(GoQuote.quote(directory)) directory: \(failure)",
          at: "cleanupnode.go:188", output: output)
      }
    }
    output.out(ResetText.deletingFiles(Self.kubeconfigFiles) + "\n")
    for file in Self.kubeconfigFiles {
      let path = host.real(file)
      if unlink(path) != 0, errno != ENOENT {
        warn(
          "[reset] Failed to remove file: \(GoQuote.quote(file)) [\(KubeadmHost.reason(errno))]",
          at: "cleanupnode.go:197", output: output)
      }
    }
  }

  // MARK: helpers

  /// `getEtcdDataDir`: the cluster's `etcd.local.dataDir`, else the `etcd-data` hostPath of
  /// the etcd manifest (with kubeadm's warning); nil when there is no etcd manifest.
  func etcdDataDirectory(config: InitConfiguration?, output: KubeadmOutput) -> String? {
    if let config, case .local(let etcd) = config.cluster.etcd { return etcd.dataDir }
    warn(ResetText.noConfig, at: "removeetcdmember.go:106", output: output)
    guard let text = try? host.readText(Self.manifests + "/etcd.yaml") else { return nil }
    return Self.hostPath(ofVolume: "etcd-data", inManifest: text)
  }

  /// The `hostPath.path` of the volume `name` in a static-pod manifest.
  static func hostPath(ofVolume name: String, inManifest text: String) -> String? {
    guard let document = (try? Yams.load(yaml: text)) as? [String: Any],
      let spec = document["spec"] as? [String: Any],
      let volumes = spec["volumes"] as? [[String: Any]]
    else { return nil }
    for volume in volumes where volume["name"] as? String == name {
      return (volume["hostPath"] as? [String: Any])?["path"] as? String
    }
    return nil
  }

  /// The lab's container removal: the manifests go, the kubelet stops their processes
  /// (bounded); what still runs at the limit is stopped here, with a warning.
  func stopPods(output: KubeadmOutput) {
    let directory = host.real(Self.manifests)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    for entry in entries where entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
      unlink(directory + "/" + entry)
    }
    if KubeletStatus.waitUntilStopped(host: host, limit: podStopLimit) { return }
    let running =
      KubeletStatus.read(host: host)?.pods.compactMap(\.pid)
      .filter(LabProcesses.isAlive) ?? []
    warn(
      "[reset] Failed to remove containers: the kubelet did not stop \(running) within "
        + "\(podStopLimit.components.seconds)s; stopping them",
      at: "cleanupnode.go:81", output: output)
    for pid in running { _ = LabProcesses.stopTree(pid) }
  }

  func cleanEtcd(_ directory: String, output: KubeadmOutput) {
    if let failure = emptyDirectory(directory) {
      warn(
        "[reset] Failed to delete contents of the etcd directory: \(GoQuote.quote(directory)), error: \(failure)",
        at: "removeetcdmember.go:121", output: output)
    } else {
      output.out(ResetText.deletedEtcd(directory) + "\n")
    }
  }

  func isEmptyDirectory(_ directory: String) -> Bool {
    ((try? FileManager.default.contentsOfDirectory(atPath: host.real(directory))) ?? []).isEmpty
  }

  /// `CleanDir`: removes everything inside `directory` (kept itself; a missing one is fine).
  func emptyDirectory(_ directory: String) -> String? {
    let real = host.real(directory)
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: real) else {
      return nil
    }
    for entry in entries {
      do {
        try FileManager.default.removeItem(atPath: real + "/" + entry)
      } catch {
        return "unlinkat \(directory)/\(entry): \(error.localizedDescription)"
      }
    }
    return nil
  }

  func warn(_ message: String, at source: String, output: KubeadmOutput) {
    output.err(Klog.warning(message, at: source, now: now()))
  }
}
