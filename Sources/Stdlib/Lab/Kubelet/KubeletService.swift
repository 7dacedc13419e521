import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `systemctl` for the lab kubelet, inside a lab host (`/usr/local/bin/systemctl`, the haflow
/// binary under that name): lab hosts have no systemd, yet playbooks run `systemctl enable
/// --now kubelet`, `systemctl restart kubelet`, `systemctl daemon-reload`. For the `kubelet`
/// unit, `stop` freezes the host's kubelet (SIGSTOP: as with a stopped kubelet service, its
/// pods keep running and nothing starts, restarts or stops them) and `start` / `restart`
/// let it run again (SIGCONT); `is-active` and `status` say which. `enable`, `disable` and
/// `daemon-reload` do nothing, successfully. Anything else is handed to this machine's real
/// `systemctl`, which answers as it would on this machine.
public enum KubeletService {
  /// This machine's systemctl.
  public static let realSystemctl = "/usr/bin/systemctl"

  /// What to do for `arguments` (after the program name): an exit status and output, or nil
  /// for "hand it to the real systemctl".
  public static func run(_ arguments: [String], out: (String) -> Void, err: (String) -> Void)
    -> Int32?
  {
    let words = arguments.filter { !$0.hasPrefix("-") }
    guard let verb = words.first else { return nil }
    if verb == "daemon-reload" && words.count == 1 { return 0 }
    let units = words.dropFirst().map { $0.hasSuffix(".service") ? String($0.dropLast(8)) : $0 }
    guard !units.isEmpty, units.allSatisfy({ $0 == "kubelet" }) else { return nil }
    let kubelet = findKubelet()
    switch verb {
    case "enable", "disable", "reenable":
      if verb != "disable", arguments.contains("--now") { return resume(kubelet, err: err) }
      if verb == "disable", arguments.contains("--now") { return freeze(kubelet) }
      return 0
    case "start", "restart", "try-restart", "reload-or-restart":
      return resume(kubelet, err: err)
    case "stop":
      return freeze(kubelet)
    case "is-active":
      let active = kubelet.map(isActive) ?? false
      out(active ? "active\n" : "inactive\n")
      return active ? 0 : 3
    case "is-enabled":
      out("enabled\n")
      return 0
    case "status":
      out(status(kubelet))
      return kubelet.map(isActive) == true ? 0 : 3
    default:
      return nil
    }
  }

  /// The kubelet process of this host: a process in this mount namespace running the lab's
  /// kubelet.
  static func findKubelet() -> Int32? {
    let mine = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/mnt")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries {
      guard let pid = Int32(entry), pid != getpid(),
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/mnt"))
          == mine,
        let line = LabProcesses.commandLine(pid),
        line.hasPrefix(LabIsolation.componentBin + "/kubelet "), LabProcesses.isAlive(pid)
      else { continue }
      return pid
    }
    return nil
  }

  /// Whether the kubelet runs (is not frozen).
  static func isActive(_ pid: Int32) -> Bool {
    guard let text = LabFiles.read("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")")
    else { return false }
    let state = text[text.index(after: close)...].split(separator: " ").first
    return state != "T" && state != "t"
  }

  private static func resume(_ pid: Int32?, err: (String) -> Void) -> Int32 {
    guard let pid else {
      err(
        "Job for kubelet.service failed: the lab kubelet of this host is not running "
          + "(haflow lab up starts it again).\n")
      return 1
    }
    kill(pid, SIGCONT)
    return 0
  }

  private static func freeze(_ pid: Int32?) -> Int32 {
    if let pid { kill(pid, SIGSTOP) }
    return 0
  }

  /// `systemctl status kubelet`, shortened.
  static func status(_ pid: Int32?) -> String {
    var text = "● kubelet.service - kubelet: The Kubernetes Node Agent (haflow lab)\n"
    text += "     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; preset: enabled)\n"
    guard let pid, isActive(pid) else {
      return text + "     Active: inactive (dead)\n"
    }
    return text + "     Active: active (running)\n   Main PID: \(pid) (kubelet)\n"
  }
}
