import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The controller manager and scheduler of the lab: the haflow binary called
/// `kube-controller-manager` or `kube-scheduler`, doing nothing until it is stopped, so that
/// the kubelet shows the pod running and `ps` shows the manifest's command line. The lab runs
/// no Kubernetes controllers. It holds its secure port (`--bind-address`, which the kubelet
/// moved to the host's address, and `--secure-port`, else 10257 / 10259) without answering,
/// so that a second `kubeadm init` on the node finds `Port-10257` / `Port-10259` in use as
/// kubeadm's preflight does, and the kubelet's HTTPS probe finds the port open.
public enum IdleComponent {
  /// The names the haflow binary idles under.
  public static let names = ["kube-controller-manager", "kube-scheduler"]

  /// Each component's default `--secure-port`.
  static let securePorts = ["kube-controller-manager": 10257, "kube-scheduler": 10259]

  /// Holds the secure port of the component `arguments` start (its name first), then waits
  /// for SIGTERM, SIGINT or SIGHUP; returns 0.
  public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
    pthread_sigmask(SIG_BLOCK, &signals, nil)
    let listener = endpoint(arguments).flatMap { listen(address: $0.address, port: $0.port) }
    var received: Int32 = 0
    while sigwait(&signals, &received) != 0 {}
    if let listener { close(listener) }
    return 0
  }

  /// The address and port the component would serve on: `--bind-address` and
  /// `--secure-port` (or its default); nil without a bind address (nothing to hold apart
  /// from other hosts on the shared loopback) or for an unknown name.
  static func endpoint(_ arguments: [String]) -> (address: String, port: Int)? {
    guard let first = arguments.first,
      var port = securePorts[(first as NSString).lastPathComponent]
    else { return nil }
    var address: String?
    for argument in arguments.dropFirst() {
      if argument.hasPrefix("--bind-address=") {
        address = String(argument.dropFirst("--bind-address=".count))
      } else if argument.hasPrefix("--secure-port="),
        let value = Int(argument.dropFirst("--secure-port=".count))
      {
        port = value
      }
    }
    guard let address, !address.isEmpty, address != "0.0.0.0" else { return nil }
    return (address, port)
  }

  /// A listening socket on `address:port`, or nil when it cannot be had (taken, not an IPv4
  /// address of this machine): the component idles either way.
  static func listen(address: String, port: Int) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return nil }
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else {
      close(fd)
      return nil
    }
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, Glibc.listen(fd, 16) == 0 else {
      close(fd)
      return nil
    }
    return fd
  }
}
