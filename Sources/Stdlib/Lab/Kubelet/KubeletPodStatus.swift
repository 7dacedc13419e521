import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One static pod as the lab kubelet last saw it, as written to the node's
/// `/var/lib/kubelet/static-pods.json` for the slices that report pods (`kubectl get pods`).
public struct KubeletPodStatus: Codable, Sendable, Equatable {
  /// The pod's name as the API shows a static pod: `<metadata.name>-<node>` (`etcd-cp1`).
  public var name: String
  /// `kube-system`.
  public var namespace: String
  /// The manifest's `metadata.name` (`etcd`).
  public var component: String
  /// The manifest file.
  public var manifest: String
  /// The container image.
  public var image: String
  /// `Running`, `Waiting` (between restarts, or before the first start) or `Failed` (the lab
  /// cannot run it; `reason` says why).
  public var phase: String
  /// Whether the readiness probe passes (running, for components without a probe).
  public var ready: Bool
  /// The process ID while running.
  public var pid: Int32?
  /// How many times the container ended and was started again.
  public var restarts: Int
  /// When the current (or last) process started, ISO 8601 UTC.
  public var startedAt: String?
  /// Why it is not running (`CrashLoopBackOff: exit status 1`, the failure of a bad manifest).
  public var reason: String?
  /// The current process's log file.
  public var log: String?
}

/// The whole file: the node and its pods, sorted by name.
public struct KubeletStatus: Codable, Sendable, Equatable {
  /// The node's name.
  public var node: String
  /// The kubelet's process ID.
  public var kubeletPID: Int32
  /// Every manifest's pod.
  public var pods: [KubeletPodStatus]

  /// Where the file is on the node.
  public static let path = "/var/lib/kubelet/static-pods.json"

  /// Reads the file from `host`'s filesystem; nil when there is none (no kubelet ran).
  public static func read(host: KubeadmHost = KubeadmHost()) -> KubeletStatus? {
    guard let data = FileManager.default.contents(atPath: host.real(path)) else { return nil }
    return try? JSONDecoder().decode(KubeletStatus.self, from: data)
  }

  /// Waits (bounded by `limit`, polling every 100 ms) until the kubelet of `host` runs no pod
  /// process: what `kubeadm reset` waits for after deleting the manifests, before it empties
  /// `/var/lib/etcd`. True when none runs (or no kubelet wrote a status); false at the limit.
  public static func waitUntilStopped(host: KubeadmHost = KubeadmHost(), limit: Duration) -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
      let running = read(host: host)?.pods.compactMap(\.pid).filter(LabProcesses.isAlive) ?? []
      if running.isEmpty { return true }
      if ContinuousClock.now >= deadline { return false }
      usleep(100_000)
    }
  }

  /// The pod of `component` (`etcd`), if its manifest is there.
  public func pod(_ component: String) -> KubeletPodStatus? {
    pods.first { $0.component == component }
  }
}
