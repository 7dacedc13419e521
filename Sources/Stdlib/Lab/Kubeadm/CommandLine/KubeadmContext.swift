import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the stand-in reads from its surroundings: the filesystem root, the release it plays,
/// the node's hostname and address, the clock, and how `--config` files are read.
public struct KubeadmContext: Sendable {
  /// Where kubeadm's files go.
  public var host: KubeadmHost
  /// The release played.
  public var release: KubeadmRelease
  /// The hostname (the default node name).
  public var hostname: String
  /// The address to advertise when none is configured.
  public var advertiseAddress: String?
  /// Now, for certificates (this machine's clock: TLS peers check validity against it).
  public var now: @Sendable () -> Date
  /// Now on the lab's cluster clock (`HAFLOW_LAB_CLOCK_FILE`), for bootstrap tokens' expiry
  /// and `token list`'s TTL.
  public var clusterNow: @Sendable () -> Date = { Date() }
  /// Reads a user-named file such as `--config` (not mapped under the root).
  public var readFile: @Sendable (String) throws -> String
  /// Reads a line of standard input (reset's confirmation); nil at its end.
  public var readLine: @Sendable () -> String? = { Swift.readLine() }
  /// Whether the user is root (`IsPrivilegedUser`).
  public var isRoot = geteuid() == 0
  /// How long `join` waits for the cluster-info signature of its token (kubeadm's
  /// `timeouts.discovery` is 5 minutes; the lab's default is shorter, so that a rehearsal with
  /// a wrong token or an unreachable endpoint fails in seconds: `HAFLOW_KUBEADM_DISCOVERY_TIMEOUT`).
  public var discoveryTimeout: Duration = KubeadmContext.defaultDiscoveryTimeout
  /// How long `join --control-plane` keeps adding and promoting its etcd member (kubeadm's
  /// `timeouts.etcdAPICall` is 2 minutes; the lab's default is shorter, so that a rehearsal
  /// whose new member never starts fails in seconds: `HAFLOW_KUBEADM_ETCD_API_TIMEOUT`).
  public var etcdAPICallTimeout: Duration = KubeadmContext.defaultEtcdAPICallTimeout

  /// The lab's discovery timeout when the environment names none.
  public static let defaultDiscoveryTimeout: Duration = .seconds(30)
  /// The lab's etcd API call timeout when the environment names none.
  public static let defaultEtcdAPICallTimeout: Duration = .seconds(30)

  /// A context.
  public init(
    host: KubeadmHost, release: KubeadmRelease, hostname: String, advertiseAddress: String?,
    now: @escaping @Sendable () -> Date = { Date() },
    readFile: @escaping @Sendable (String) throws -> String = {
      try String(contentsOfFile: $0, encoding: .utf8)
    }
  ) {
    self.host = host
    self.release = release
    self.hostname = hostname
    self.advertiseAddress = advertiseAddress
    self.now = now
    self.readFile = readFile
  }

  /// The context of a process: `HAFLOW_KUBEADM_ROOT`, `HAFLOW_KUBEADM_VERSION`,
  /// `HAFLOW_KUBEADM_ADVERTISE_ADDRESS` (else the address the hostname resolves to), the
  /// system hostname. Throws for a version the stand-in does not play.
  public static func from(environment: [String: String]) throws(KubeadmFailure) -> KubeadmContext {
    guard let release = KubeadmRelease.from(environment: environment) else {
      throw KubeadmFailure(
        "HAFLOW_KUBEADM_VERSION=\(environment["HAFLOW_KUBEADM_VERSION"] ?? ""): the stand-in "
          + "plays kubeadm v1.31 or v1.32")
    }
    let hostname = systemHostname()
    let address = environment["HAFLOW_KUBEADM_ADVERTISE_ADDRESS"].flatMap { $0.isEmpty ? nil : $0 }
    var context = KubeadmContext(
      host: KubeadmHost.from(environment: environment), release: release, hostname: hostname,
      advertiseAddress: address ?? resolve(hostname))
    if let timeout = try duration(environment, "HAFLOW_KUBEADM_DISCOVERY_TIMEOUT") {
      context.discoveryTimeout = timeout
    }
    if let timeout = try duration(environment, "HAFLOW_KUBEADM_ETCD_API_TIMEOUT") {
      context.etcdAPICallTimeout = timeout
    }
    let clock = ClusterClock(environment: environment)
    context.clusterNow = { clock.now() }
    return context
  }

  /// The Go duration in `environment[name]`, nil when unset or empty.
  static func duration(_ environment: [String: String], _ name: String) throws(KubeadmFailure)
    -> Duration?
  {
    guard let text = environment[name], !text.isEmpty else { return nil }
    guard case .success(let seconds) = GoDuration.parse(text), seconds > 0 else {
      throw KubeadmFailure("\(name)=\(text): not a positive duration such as 30s or 2m")
    }
    return .milliseconds(Int64(seconds * 1000))
  }

  /// `gethostname(2)`.
  static func systemHostname() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return "" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The first IPv4 address `name` resolves to (from `/etc/hosts` in a lab host), if any.
  static func resolve(_ name: String) -> String? {
    guard !name.isEmpty else { return nil }
    var hints = addrinfo()
    hints.ai_family = AF_INET
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return nil }
    defer { freeaddrinfo(result) }
    guard let address = first.pointee.ai_addr else { return nil }
    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
      var ip = pointer.pointee.sin_addr
      return IPAddress(bytes: withUnsafeBytes(of: &ip) { Array($0) }).description
    }
  }
}

/// Where the stand-in's output goes (the `haflow` executable passes its console).
public struct KubeadmOutput: Sendable {
  /// Standard output.
  public let out: @Sendable (String) -> Void
  /// Standard error.
  public let err: @Sendable (String) -> Void

  /// An output.
  public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void)
  {
    self.out = out
    self.err = err
  }
}
