import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The kubelet of each cluster-lab host: the haflow binary called `kubelet`, started inside
/// the host's namespaces (entered with `nsenter`, as haproxy is) once its sshd is up, so it
/// and the static pods it starts see the host's own `/etc/kubernetes`, `/var/lib/etcd` and
/// `/var/lib/kubelet`. `lab stop`, `lab down` and a restart end it with every other process
/// of the host. Its log is `hosts/NAME/kubelet.log`; see ``Kubelet``.
enum LabKubelet {
  /// The component's PID file in the host's directory.
  static let pidFile = "kubelet.pid"
  /// Its log in the host's directory.
  static let logFile = "kubelet.log"

  /// The kubelet's command line for `host`, as started inside it.
  static func arguments(_ host: LabState.HostRecord, files: LabFiles) -> [String] {
    var settings = KubeletSettings(nodeName: host.name, nodeIP: host.address)
    settings.lab = files.view(host.name)
    return [LabIsolation.componentBin + "/kubelet"] + settings.arguments
  }

  /// Whether `pid` is alive and runs the kubelet of `host`.
  static func isRunning(_ pid: Int32, _ host: String, files: LabFiles) -> Bool {
    guard LabProcesses.isAlive(pid), let line = LabProcesses.commandLine(pid) else { return false }
    let flag = "--haflow-lab=" + files.view(host)
    return line.contains("kubelet") && (line.contains(flag + " ") || line.hasSuffix(flag))
  }

  /// Links the host's own `/usr/local/bin/kubeadm` (and the other host commands) to the
  /// haflow binary as the host sees it.
  static func linkCommands(_ host: String, _ files: LabFiles) throws {
    let directory = files.fs(host) + "/usr/local/bin"
    for command in LabIsolation.hostCommands {
      let path = directory + "/" + command
      if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) == LabIsolation.haflow {
        continue
      }
      try? FileManager.default.removeItem(atPath: path)
      do {
        try FileManager.default.createSymbolicLink(
          atPath: path, withDestinationPath: LabIsolation.haflow)
      } catch {
        throw LabError("cannot link \(path): \(error.localizedDescription)")
      }
    }
  }
}

extension Lab {
  /// Whether the hosts of `state` run a kubelet: a cluster lab, when the haflow binary is
  /// known.
  func runsKubelet(_ state: LabState) -> Bool {
    state.shape != nil && state.isolated && executable != nil
  }

  /// Starts the kubelet in every host that is up and has none.
  func startKubelets(of state: LabState, log: (String) -> Void) throws {
    guard runsKubelet(state) else { return }
    var started: [String] = []
    for host in state.hosts {
      guard let sshd = recordedPID(files.pidFile(host.name)), isSSHD(sshd, host.name, state)
      else { continue }
      let pidFile = files.component(host.name, LabKubelet.pidFile)
      if let pid = recordedPID(pidFile), LabKubelet.isRunning(pid, host.name, files: files) {
        continue
      }
      let log = files.component(host.name, LabKubelet.logFile)
      try? FileManager.default.removeItem(atPath: log)
      let pid = try LabSpawn.detached(
        LabIsolation.enter(pid: sshd, program: LabKubelet.arguments(host, files: files)),
        log: log)
      try LabFiles.write("\(pid)\n", to: pidFile)
      started.append("\(host.name) \(pid)")
    }
    if !started.isEmpty { log("kubelet: " + started.joined(separator: ", ")) }
  }

  /// The status file of `host`'s kubelet, read from the host's own `/var/lib/kubelet`.
  public func kubeletStatus(_ host: String) -> KubeletStatus? {
    KubeletStatus.read(host: KubeadmHost(root: files.fs(host)))
  }
}
