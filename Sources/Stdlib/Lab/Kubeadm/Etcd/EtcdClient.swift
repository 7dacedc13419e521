import Foundation

/// Debian's real `etcdctl` (package `etcd-client`) run with a node's client certificate: how
/// the stand-in kubeadm talks to etcd, as kubeadm talks to it with its etcd client.
public struct EtcdClient: Sendable {
  /// A member as `etcdctl member list` shows it.
  public struct Member: Sendable, Equatable {
    /// Its ID in hex (`8e9e05c52164694d`).
    public var id: String
    /// `started` or `unstarted`.
    public var status: String
    /// Its name; empty until it has started.
    public var name: String
    /// Its peer URLs.
    public var peerURLs: [String]
    /// Its client URLs (empty until it has started).
    public var clientURLs: [String]
    /// Whether it is a learner (not yet promoted).
    public var isLearner: Bool
  }

  /// The endpoints asked (`https://127.0.0.3:2379`).
  public var endpoints: [String]
  /// The CA, client certificate and key, as real paths.
  public var caFile: String
  /// The client certificate.
  public var certFile: String
  /// The client key.
  public var keyFile: String
  /// The program.
  public var etcdctl = "/usr/bin/etcdctl"

  /// A client of `endpoints` with kubeadm's own client certificate on `host`:
  /// `etcd/ca.crt` and `apiserver-etcd-client.{crt,key}` under `certificatesDir`.
  public init(
    endpoints: [String], host: KubeadmHost, certificatesDir: String = "/etc/kubernetes/pki"
  ) {
    self.endpoints = endpoints
    caFile = host.real(certificatesDir + "/etcd/ca.crt")
    certFile = host.real(certificatesDir + "/apiserver-etcd-client.crt")
    keyFile = host.real(certificatesDir + "/apiserver-etcd-client.key")
  }

  /// Runs `etcdctl ARGUMENTS` with the endpoints and certificates; its status and output
  /// (standard output and error together), within `limit`.
  public func run(_ arguments: [String], limit: Duration = .seconds(30)) throws -> (
    status: Int32, output: String
  ) {
    guard FileManager.default.isExecutableFile(atPath: etcdctl) else {
      throw LabError(
        "no etcdctl at \(etcdctl)", hint: "install it: apt-get install etcd-client etcd-server")
    }
    return try LabSpawn.run(
      [
        "ETCDCTL_API=3", etcdctl, "--endpoints=" + endpoints.joined(separator: ","),
        "--cacert=" + caFile, "--cert=" + certFile, "--key=" + keyFile,
        "--dial-timeout=2s", "--command-timeout=5s",
      ] + arguments, limit: limit)
  }

  /// `member list`.
  public func members() throws -> [Member] {
    let result = try run(["member", "list", "-w", "simple"])
    guard result.status == 0 else { throw EtcdClient.failure(result.output) }
    return Self.parseMembers(result.output)
  }

  /// Parses `member list -w simple`: `id, status, name, peers, clients, isLearner` per line.
  static func parseMembers(_ text: String) -> [Member] {
    text.split(separator: "\n").compactMap { line in
      let fields = line.components(separatedBy: ", ")
      guard fields.count >= 6, fields[0].allSatisfy(\.isHexDigit) else { return nil }
      let urls = { (text: String) in text.split(separator: ",").map(String.init) }
      return Member(
        id: fields[0], status: fields[1], name: fields[2], peerURLs: urls(fields[3]),
        clientURLs: urls(fields[4]), isLearner: fields[5] == "true")
    }
  }

  /// `endpoint health --cluster`: each member's client URL and whether it is healthy.
  public func clusterHealth() throws -> [(endpoint: String, healthy: Bool)] {
    let result = try run(["endpoint", "health", "--cluster"])
    return result.output.split(separator: "\n").compactMap { line in
      guard let space = line.firstIndex(of: " "), line.hasPrefix("https://") else { return nil }
      return (String(line[..<space]), line.contains(" is healthy: "))
    }
  }

  /// The last line of etcdctl's output as an error.
  static func failure(_ output: String) -> LabError {
    let lines = output.split(separator: "\n").map(String.init)
    return LabError(lines.last(where: { !$0.isEmpty }) ?? "etcdctl failed")
  }
}
