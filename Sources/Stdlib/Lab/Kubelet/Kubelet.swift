import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The lab's kubelet: one per lab host, living in the host's namespaces, it runs the static
/// pods kubeadm writes to `/etc/kubernetes/manifests` as real processes. Every
/// `pollInterval` it reads the directory: a new manifest starts its pod, a changed one
/// restarts it, a removed one stops it (SIGTERM, then SIGKILL after `grace`) — which is how
/// `kubeadm reset` stops a node's pods. A container that ends is started again after a
/// backoff (1 s, doubling, at most 20 s). Each pod's state goes to
/// `/var/lib/kubelet/static-pods.json` (``KubeletStatus``), its output to
/// `/var/log/pods/<namespace>_<pod>/<container>/<restarts>.log`. SIGTERM stops every pod and
/// then the kubelet. See docs/lab.md.
public struct Kubelet {
  /// Its settings.
  public let settings: KubeletSettings
  /// The haflow binary (the API server and the idle stand-ins are it, by another name).
  public let haflow: String
  /// The pods, by manifest path.
  var pods: [String: KubeletPod] = [:]
  /// The status file's last contents.
  var written: Data?

  /// A kubelet; `haflow` defaults to this process's own executable.
  public init(settings: KubeletSettings, haflow: String? = nil) {
    self.settings = settings
    self.haflow =
      haflow ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? "/proc/self/exe"
  }

  /// The kubelet called as a program: parses `arguments` and runs until SIGTERM.
  public static func main(arguments: [String]) -> Int32 {
    do {
      let settings = try KubeletSettings.parse(arguments)
      // The pods (the API server) read the lab's cluster clock from the host's directory.
      if !settings.lab.isEmpty {
        setenv("HAFLOW_LAB_CLOCK_FILE", settings.lab + "/" + LabFiles.clockFile, 0)
      }
      var kubelet = Kubelet(settings: settings)
      return kubelet.run()
    } catch {
      FileHandle.standardError.write(Data("\(error)\n".utf8))
      return 2
    }
  }

  /// Runs until SIGTERM, SIGINT or SIGHUP; returns the exit status.
  public mutating func run() -> Int32 {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&signals, signal) }
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    say("kubelet on \(settings.nodeName) (\(settings.nodeIP)): \(settings.manifestDirectory)")
    stopLeftovers()
    while true {
      reap()
      sync()
      startDue()
      probe()
      writeStatus()
      var timeout = timespec(tv_sec: 0, tv_nsec: Int(settings.pollInterval / .nanoseconds(1)))
      var information = siginfo_t()
      let signal = sigtimedwait(&signals, &information, &timeout)
      if signal == SIGTERM || signal == SIGINT || signal == SIGHUP {
        say("stopping (signal \(signal))")
        for file in pods.keys.sorted() { stop(file) }
        writeStatus()
        return 0
      }
    }
  }

  // MARK: - The manifests

  /// Reads the manifest directory and starts, restarts or stops pods to match it.
  mutating func sync() {
    let directory = settings.manifestDirectory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var present: [String: Data] = [:]
    for name in names where !name.hasPrefix(".") {
      let path = directory + "/" + name
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path)
      else { continue }
      present[path] = data
    }
    for file in pods.keys.sorted() where present[file] == nil {
      say("\(pods[file]?.component ?? file): manifest removed, stopping")
      stop(file)
      pods[file] = nil
    }
    for (file, data) in present.sorted(by: { $0.key < $1.key }) {
      if let pod = pods[file], pod.content == data { continue }
      if pods[file] != nil {
        say("\(pods[file]?.component ?? file): manifest changed, restarting")
        stop(file)
      }
      let pod = KubeletPod(file: file, content: data, now: .now)
      if let failure = pod.failure { say("\(pod.component): \(failure)") }
      pods[file] = pod
    }
  }

  // MARK: - Processes

  /// Starts every pod that is due.
  mutating func startDue() {
    let now = ContinuousClock.now
    for file in pods.keys.sorted() {
      guard var pod = pods[file], pod.pid == nil, pod.failure == nil, pod.nextStart <= now,
        let manifest = pod.manifest, let launcher = pod.launcher
      else { continue }
      let command = launcher.command(for: manifest, address: settings.nodeIP, haflow: haflow)
      let podName = pod.component + "-" + settings.nodeName
      let directory =
        settings.logDirectory + "/\(manifest.namespace)_\(podName)/\(manifest.container)"
      let log = directory + "/\(pod.restarts).log"
      do {
        try LabFiles.makeDirectory(directory, mode: 0o755)
        try? FileManager.default.removeItem(atPath: directory + "/\(pod.restarts - 2).log")
        let pid = try LabSpawn.detached(command.arguments, program: command.path, log: log)
        pod.pid = pid
        pod.startedAt = Date()
        pod.startedInstant = now
        pod.ready = false
        pod.log = log
        say("\(podName): started pid \(pid): \(command.arguments.joined(separator: " "))")
      } catch {
        pod.reason = "\(error)"
        backOff(&pod, now: now)
        say("\(podName): \(error)")
      }
      pods[file] = pod
    }
  }

  /// Notes every child that ended and schedules its restart.
  mutating func reap() {
    while true {
      var status: Int32 = 0
      let pid = waitpid(-1, &status, WNOHANG)
      if pid <= 0 { return }
      guard let file = pods.first(where: { $0.value.pid == pid })?.key, var pod = pods[file]
      else { continue }
      let now = ContinuousClock.now
      let how =
        (status & 0x7f) == 0 ? "exit status \((status >> 8) & 0xff)" : "signal \(status & 0x7f)"
      pod.pid = nil
      pod.ready = false
      pod.restarts += 1
      pod.reason = "CrashLoopBackOff: \(how)"
      if let began = pod.startedInstant, now - began >= settings.backoffReset {
        pod.backoff = .zero
      }
      backOff(&pod, now: now)
      let delay = pod.backoff.components.seconds
      say("\(pod.component)-\(settings.nodeName): ended (\(how)); restarting in \(delay)s")
      pods[file] = pod
    }
  }

  /// Doubles the pod's backoff (from `firstBackoff`, at most `maxBackoff`) and sets its next
  /// start.
  func backOff(_ pod: inout KubeletPod, now: ContinuousClock.Instant) {
    pod.backoff =
      pod.backoff == .zero ? settings.firstBackoff : min(pod.backoff * 2, settings.maxBackoff)
    pod.nextStart = now + pod.backoff
  }

  /// Stops a pod's process and everything in its process group: SIGTERM, `grace`, SIGKILL.
  mutating func stop(_ file: String) {
    guard var pod = pods[file], let pid = pod.pid else { return }
    kill(-pid, SIGTERM)
    kill(pid, SIGTERM)
    let deadline = ContinuousClock.now + settings.grace
    var status: Int32 = 0
    var ended = false
    while ContinuousClock.now < deadline {
      if waitpid(pid, &status, WNOHANG) == pid {
        ended = true
        break
      }
      usleep(20_000)
    }
    kill(-pid, SIGKILL)
    if !ended {
      kill(pid, SIGKILL)
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
    pod.pid = nil
    pod.ready = false
    pod.reason = "stopped"
    pods[file] = pod
  }

  /// Stops the pods an earlier kubelet of this node left running (their IDs are in the status
  /// file), so that a new kubelet does not start them twice.
  func stopLeftovers() {
    guard let data = FileManager.default.contents(atPath: statusPath),
      let old = try? JSONDecoder().decode(KubeletStatus.self, from: data)
    else { return }
    for pod in old.pods {
      guard let pid = pod.pid, pid != getpid(), LabProcesses.isAlive(pid),
        let line = LabProcesses.commandLine(pid),
        line.split(separator: " ").first.map({ $0.hasSuffix(pod.component) }) == true
      else { continue }
      say("\(pod.name): stopping pid \(pid), left by an earlier kubelet")
      _ = LabProcesses.stopTree(pid, grace: settings.grace)
    }
  }

  // MARK: - Readiness and status

  /// Asks each running pod's readiness probe.
  mutating func probe() {
    for file in pods.keys.sorted() {
      guard var pod = pods[file], pod.pid != nil else { continue }
      if let probe = pod.manifest?.readiness, pod.launcher?.probes == true {
        pod.ready = KubeletProbe.passes(probe, address: settings.nodeIP)
      } else {
        pod.ready = true
      }
      pods[file] = pod
    }
  }

  /// The status file's path.
  var statusPath: String { settings.rootDirectory + "/static-pods.json" }

  /// Writes the status file when it changed or is gone (`kubeadm reset` empties
  /// `/var/lib/kubelet`), atomically.
  mutating func writeStatus() {
    let status = KubeletStatus(
      node: settings.nodeName, kubeletPID: getpid(),
      pods: pods.values.map { $0.status(node: settings.nodeName) }.sorted { $0.name < $1.name })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(status),
      data != written || !FileManager.default.fileExists(atPath: statusPath)
    else { return }
    try? LabFiles.makeDirectory(settings.rootDirectory, mode: 0o755)
    do {
      try data.write(to: URL(fileURLWithPath: statusPath), options: .atomic)
      written = data
    } catch {
      say("cannot write \(statusPath): \(error.localizedDescription)")
    }
  }

  /// A line of the kubelet's own log (its standard output), with the time.
  func say(_ line: String) {
    let text = KubeletPod.iso8601(Date()) + " " + line + "\n"
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
