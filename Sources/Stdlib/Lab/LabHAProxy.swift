import Foundation

/// The cluster lab's load balancer: Debian's haproxy on `lb`'s address:6443, TCP mode, in
/// front of every control plane's address:6443, as the kubeadm HA docs set it up.
///
/// It runs inside `lb` (entered with `nsenter` after lb's sshd starts), so `haflow lab stop lb`
/// takes the endpoint down with the host. Health checks every second: a control plane is out
/// after one failed check and back after one good one; a connection that finds its server
/// down is sent to another (`option redispatch`). With no control plane up, haproxy accepts
/// and closes at once, as a client of a real one sees it.
enum LabHAProxy {
  /// Debian's haproxy.
  static let program = "/usr/sbin/haproxy"
  /// The component's name in `lab status` and its files: `haproxy.cfg`, `.pid`, `.log`.
  static let name = "haproxy"
  /// The health-check interval.
  static let checkInterval: Duration = .seconds(1)

  /// Why haproxy cannot run here, or nil.
  static func unavailable() -> LabError? {
    guard FileManager.default.isExecutableFile(atPath: program) else {
      return LabError(
        "no haproxy at \(program): a cluster lab's load balancer is Debian's haproxy",
        hint: "install it: apt-get install haproxy")
    }
    return nil
  }

  /// `haproxy.cfg` for a lab whose load balancer listens on `address` and whose control
  /// planes are `backends` (name and address).
  static func config(address: String, backends: [(String, String)]) -> String {
    let port = LabShape.apiServerPort
    let interval = Int(checkInterval / .milliseconds(1))
    var lines = [
      "# haflow lab load balancer: written by `haflow lab up`, run inside host lb",
      "global",
      "  maxconn 1024",
      "defaults",
      "  mode tcp",
      "  timeout connect 2s",
      "  timeout client 1h",
      "  timeout server 1h",
      "  retries 1",
      "  option redispatch",
      "frontend kube-apiserver",
      "  bind \(address):\(port)",
      "  default_backend control-plane",
      "backend control-plane",
      "  balance roundrobin",
      "  option tcp-check",
      "  default-server inter \(interval)ms fall 1 rise 1",
    ]
    for (name, backend) in backends {
      lines.append("  server \(name) \(backend):\(port) check")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The command line, as started inside lb: `haproxy -db -f VIEW/haproxy.cfg`.
  static func arguments(files: LabFiles) -> [String] {
    [program, "-db", "-f", files.view(LabShape.loadBalancer) + "/haproxy.cfg"]
  }

  /// Whether `pid` is alive and runs this lab's haproxy.
  static func isRunning(_ pid: Int32, files: LabFiles) -> Bool {
    LabProcesses.runs(
      pid, program: name, config: files.view(LabShape.loadBalancer) + "/haproxy.cfg")
  }
}
