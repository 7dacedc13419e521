import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// kubeadm's preflight checks (`cmd/kubeadm/app/preflight/checks.go`, 1.31/1.32 format), the
/// ones that mean something on a lab host: a port in use, a file that already exists, a
/// directory that is not empty, root. `init` and `join` call `check` before anything else, so a
/// node that already ran init or join fails as kubeadm does.
///
/// Ports: kubeadm binds `:PORT` (every address). Lab hosts share one loopback network, so the
/// stand-in binds the node's own `address:PORT`: another host's etcd on 2379 does not make this
/// one's port busy.
public enum KubeadmPreflight {
  /// One check: its name (`Port-6443`) and what it looks at.
  public struct Check: Sendable, Equatable {
    /// The name `--ignore-preflight-errors` matches (case-insensitively).
    public var name: String
    /// What is checked.
    public var kind: Kind

    /// What a check looks at.
    public enum Kind: Sendable, Equatable {
      /// `address:port` must be free to bind.
      case port(address: String, port: Int)
      /// The file must not exist.
      case fileAvailable(String)
      /// The directory must be missing or empty.
      case directoryAvailable(String)
      /// The user must be root (`IsPrivilegedUser`).
      case privilegedUser
    }

    /// `PortOpenCheck`.
    public static func port(_ port: Int, on address: String) -> Check {
      Check(name: "Port-\(port)", kind: .port(address: address, port: port))
    }

    /// `FileAvailableCheck`: `FileAvailable-` and the path with `/` as `-`.
    public static func fileAvailable(_ path: String) -> Check {
      Check(
        name: "FileAvailable-" + path.replacingOccurrences(of: "/", with: "-"),
        kind: .fileAvailable(path))
    }

    /// `DirAvailableCheck`.
    public static func directoryAvailable(_ path: String) -> Check {
      Check(
        name: "DirAvailable-" + path.replacingOccurrences(of: "/", with: "-"),
        kind: .directoryAvailable(path))
    }

    /// `IsPrivilegedUserCheck`.
    public static let privilegedUser = Check(name: "IsPrivilegedUser", kind: .privilegedUser)
  }

  /// The manifests `init` must not find (`InitNodeChecks`' FileAvailable checks, in order).
  static let manifestNames = [
    "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd",
  ]

  /// `InitNodeChecks` (after the root check), in kubeadm's order: the API server's bind port,
  /// the scheduler's and controller manager's ports, the four manifests, the kubelet's port,
  /// then for local etcd its ports and data directory. For a control plane joining
  /// (`join --control-plane`, after discovery: `secondaryControlPlane`) kubeadm skips the root
  /// check and the common checks (the kubelet's port): join's own checks ran them.
  public static func initChecks(config: InitConfiguration, secondaryControlPlane: Bool = false)
    -> [Check]
  {
    let address = config.node.advertiseAddress
    var checks: [Check] = secondaryControlPlane ? [] : [.privilegedUser]
    checks += [config.node.bindPort, 10259, 10257].map { Check.port($0, on: address) }
    checks += manifestNames.map { Check.fileAvailable("/etc/kubernetes/manifests/\($0).yaml") }
    if !secondaryControlPlane { checks.append(.port(10250, on: address)) }
    if case .local(let etcd) = config.cluster.etcd {
      checks += [Check.port(2379, on: address), .port(2380, on: address)]
      checks.append(.directoryAvailable(etcd.dataDir))
    }
    return checks
  }

  /// `JoinNodeChecks`: the kubelet's kubeconfigs, the kubelet's port, and for a worker the
  /// cluster CA (`/etc/kubernetes/pki/ca.crt`).
  public static func joinChecks(controlPlane: Bool, address: String) -> [Check] {
    var checks: [Check] = [
      .privilegedUser,
      .fileAvailable("/etc/kubernetes/kubelet.conf"),
      .fileAvailable("/etc/kubernetes/bootstrap-kubelet.conf"),
      .port(10250, on: address),
    ]
    if !controlPlane { checks.append(.fileAvailable("/etc/kubernetes/pki/ca.crt")) }
    return checks
  }

  /// `ValidateIgnorePreflightErrors` for the command line's values: lowercased; `all` with
  /// anything else is kubeadm's validation error (exit status 3).
  public static func ignoreSet(_ values: [String]) throws(KubeadmFailure) -> Set<String> {
    let set = Set(values.map { $0.lowercased() })
    if set.contains("all"), set.count > 1 {
      throw KubeadmFailure(
        FieldError.invalid(
          "ignore-preflight-errors", set.sorted().joined(separator: ","),
          "don't specify individual checks if 'all' is used"),
        status: KubeadmFailure.validationStatus)
    }
    return set
  }

  /// Runs `checks` on `host` as `RunChecks` does: an ignored failure is a `[WARNING …]` line
  /// through `warn` (stderr); the others fail the phase with kubeadm's whole text, for the
  /// caller to prefix with `error execution phase preflight: `.
  public static func check(
    _ checks: [Check], host: KubeadmHost, ignore: Set<String>,
    isRoot: Bool = geteuid() == 0, warn: (String) -> Void
  ) throws(KubeadmError) {
    var errors = ""
    for check in checks {
      guard let problem = problem(check, host: host, isRoot: isRoot) else { continue }
      if ignore.contains("all") || ignore.contains(check.name.lowercased()) {
        warn("\t[WARNING \(check.name)]: \(problem)\n")
      } else {
        errors += "\t[ERROR \(check.name)]: \(problem)\n"
        // `RunRootCheckOnly` runs alone, before the node's checks.
        if check.kind == .privilegedUser { break }
      }
    }
    if !errors.isEmpty {
      throw KubeadmError(
        "[preflight] Some fatal errors occurred:\n" + errors
          + "[preflight] If you know what you are doing, you can make a check non-fatal with "
          + "`--ignore-preflight-errors=...`")
    }
  }

  /// What is wrong, in kubeadm's words, or nil.
  static func problem(_ check: Check, host: KubeadmHost, isRoot: Bool) -> String? {
    switch check.kind {
    case .privilegedUser:
      return isRoot ? nil : "user is not running as root"
    case .port(let address, let port):
      return PortBinding.isFree(address, port) ? nil : "Port \(port) is in use"
    case .fileAvailable(let path):
      var status = stat()
      return lstat(host.real(path), &status) == 0 ? "\(path) already exists" : nil
    case .directoryAvailable(let path):
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: host.real(path))
      else { return nil }
      return entries.isEmpty ? nil : "\(path) is not empty"
    }
  }
}

/// Whether a listener could bind `address:port` now (kubeadm's `net.Listen`).
enum PortBinding {
  static func isFree(_ address: String, _ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return true }
    defer { _ = Glibc.close(fd) }
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    // An address this machine does not have (a config made for elsewhere): nothing listens.
    guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { return true }
    let result = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    return result == 0 || errno != EADDRINUSE
  }
}
