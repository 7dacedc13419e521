import Foundation

/// One manifest's pod while the kubelet runs it: what the file said, the process, restarts
/// and backoff.
struct KubeletPod {
  /// The manifest's path.
  var file: String
  /// The file's bytes (a change restarts the pod).
  var content: Data
  /// The parsed manifest; nil when it could not be read.
  var manifest: StaticPodManifest?
  /// How its container runs; nil when it cannot.
  var launcher: KubeletLauncher?
  /// Why the pod cannot run at all (phase `Failed`).
  var failure: String?
  /// The running process.
  var pid: Int32?
  /// Restarts after the container ended.
  var restarts = 0
  /// When the current or last process started.
  var startedAt: Date?
  /// The same on the monotonic clock (how long it ran).
  var startedInstant: ContinuousClock.Instant?
  /// When it may start (again).
  var nextStart: ContinuousClock.Instant
  /// The delay used for the last restart.
  var backoff: Duration = .zero
  /// Why it is waiting.
  var reason: String?
  /// The readiness probe's last answer.
  var ready = false
  /// The current log file.
  var log: String?

  /// A pod for a manifest just found.
  init(file: String, content: Data, now: ContinuousClock.Instant) {
    self.file = file
    self.content = content
    self.nextStart = now
    do {
      let manifest = try StaticPodManifest.parse(String(decoding: content, as: UTF8.self))
      self.manifest = manifest
      switch KubeletLauncher.launcher(for: manifest) {
      case .success(let launcher): self.launcher = launcher
      case .failure(let error): failure = error.message
      }
    } catch let error as LabError {
      failure = "cannot read \(file): \(error.message)"
    } catch {
      failure = "cannot read \(file): \(error)"
    }
  }

  /// The component's name: the manifest's, else the file's without `.yaml`.
  var component: String {
    manifest?.name ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
  }

  /// The status written for it.
  func status(node: String) -> KubeletPodStatus {
    let phase = failure != nil ? "Failed" : (pid != nil ? "Running" : "Waiting")
    return KubeletPodStatus(
      name: component + "-" + node, namespace: manifest?.namespace ?? "kube-system",
      component: component, manifest: file, image: manifest?.image ?? "", phase: phase,
      ready: pid != nil && ready, pid: pid, restarts: restarts,
      startedAt: startedAt.map(Self.iso8601), reason: failure ?? (pid == nil ? reason : nil),
      log: log)
  }

  /// `2026-12-07T04:10:00Z`.
  static func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
