/// The SANs of a serving certificate: DNS names (sorted, unique) and IP addresses (unique, in
/// the order they were added), as kubeadm's `RemoveDuplicateAltNames` leaves them.
public struct AltNames: Sendable, Equatable {
  /// DNS names.
  public private(set) var dnsNames: [String] = []
  /// IP addresses, as text.
  public private(set) var ips: [String] = []

  /// No names.
  public init() {}

  /// Names and addresses as given, then de-duplicated and ordered.
  public init(dnsNames: [String], ips: [String]) {
    self.dnsNames = dnsNames
    self.ips = ips
    normalize()
  }

  /// Adds each of `values` as an IP if it is one, else as a DNS name if it is a valid one;
  /// returns the values that were neither (kubeadm warns about those).
  mutating func add(_ values: [String]) -> [String] {
    var rejected: [String] = []
    for value in values {
      if let ip = IPAddress(value) {
        ips.append(ip.description)
      } else if DNSName.isSubdomain(value) || DNSName.isWildcardSubdomain(value) {
        dnsNames.append(value)
      } else {
        rejected.append(value)
      }
    }
    normalize()
    return rejected
  }

  private mutating func normalize() {
    dnsNames = Array(Set(dnsNames)).sorted()
    var seen = Set<String>()
    ips = ips.compactMap { IPAddress($0)?.description ?? $0 }.filter { seen.insert($0).inserted }
  }

  /// The API server's: node name, the `kubernetes` Service names, the endpoint if it is a
  /// name, `apiServer.certSANs`; the Service IP, the advertise address, the endpoint if it is
  /// an IP.
  public static func apiServer(_ config: InitConfiguration) -> (names: AltNames, rejected: [String])
  {
    var names = AltNames()
    let domain = config.cluster.dnsDomain
    names.dnsNames = [
      config.node.name, "kubernetes", "kubernetes.default", "kubernetes.default.svc",
      "kubernetes.default.svc." + domain,
    ]
    if let serviceIP = Subnet.firstAddress(config.cluster.serviceSubnet) {
      names.ips.append(serviceIP.description)
    }
    names.ips.append(config.node.advertiseAddress)
    if let endpoint = HostPort.split(config.cluster.controlPlaneEndpoint) {
      if IPAddress(endpoint.host) != nil {
        names.ips.append(endpoint.host)
      } else {
        names.dnsNames.append(endpoint.host)
      }
    }
    let rejected = names.add(config.cluster.certSANs)
    return (names, rejected)
  }

  /// etcd's serving (`peer == false`) or peer certificate: node name and `localhost`; the
  /// advertise address, `127.0.0.1`, `::1`; plus `etcd.local.serverCertSANs`/`peerCertSANs`.
  public static func etcd(_ config: InitConfiguration, peer: Bool) -> (
    names: AltNames, rejected: [String]
  ) {
    var names = AltNames()
    names.dnsNames = [config.node.name, "localhost"]
    names.ips = [config.node.advertiseAddress, "127.0.0.1", "::1"]
    let local = config.cluster.etcd.local ?? LocalEtcd()
    let rejected = names.add(peer ? local.peerCertSANs : local.serverCertSANs)
    return (names, rejected)
  }

  /// `[certs] <name> serving cert is signed for DNS names [...] and IPs [...]`.
  public func servingLine(baseName: String) -> String {
    "[certs] \(baseName) serving cert is signed for DNS names \(GoQuote.list(dnsNames)) and IPs "
      + "\(GoQuote.list(ips))"
  }
}
