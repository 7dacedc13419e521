import Foundation
import X509
import _CryptoExtras

/// Writes the cluster PKI under `certificatesDir` (`/etc/kubernetes/pki`) as `kubeadm init`
/// and `init phase certs` do, returning the lines kubeadm prints for each step.
///
/// Certificates are written `0644`, keys `0600` (`sa.pub` too: kubeadm writes it as a key),
/// in directories made `0755`. An existing CA is reused; an existing leaf is kept.
public struct PKIWriter: Sendable {
  /// Where files go.
  public let host: KubeadmHost
  /// The node and cluster the certificates are for.
  public let config: InitConfiguration
  /// How certificates are made (the clock, the periods).
  public let factory: CertificateFactory

  /// A writer for `config` on `host`, issuing at `now`.
  public init(host: KubeadmHost, config: InitConfiguration, now: Date) {
    self.host = host
    self.config = config
    factory = CertificateFactory(now: now, cluster: config.cluster)
  }

  /// The PKI directory.
  public var directory: String { config.cluster.certificatesDir }

  /// The path of `<baseName>.<ext>`.
  public func path(_ baseName: String, _ ext: String) -> String {
    directory + "/" + baseName + "." + ext
  }

  /// The whole `certs` phase: the folder line, then every step in order.
  public func certsPhase() throws -> [String] {
    var lines = ["[certs] Using certificateDir folder \(GoQuote.quote(directory))"]
    for step in CertsStep.all {
      lines += try run(step)
    }
    return lines
  }

  /// One step (`kubeadm init phase certs <step>`).
  public func run(_ step: CertsStep) throws -> [String] {
    switch step {
    case .ca(let ca): try makeCA(ca)
    case .leaf(let leaf): try makeLeaf(leaf)
    case .serviceAccount: try makeServiceAccountKey()
    }
  }

  /// Makes or reuses a CA.
  func makeCA(_ spec: CASpec) throws -> [String] {
    if spec == .etcd, config.cluster.usesExternalEtcd {
      return [
        "[certs] External etcd mode: Skipping \(spec.baseName) certificate authority generation"
      ]
    }
    if host.exists(path(spec.baseName, "crt")), host.exists(path(spec.baseName, "key")) {
      _ = try loadCA(spec)
      return ["[certs] Using existing \(spec.baseName) certificate authority"]
    }
    let pair = try factory.makeCA(commonName: spec.commonName)
    try write(pair, baseName: spec.baseName)
    return ["[certs] Generating \(GoQuote.quote(spec.baseName)) certificate and key"]
  }

  /// Makes or keeps a leaf.
  func makeLeaf(_ spec: LeafSpec) throws -> [String] {
    if spec.isEtcd, config.cluster.usesExternalEtcd {
      return ["[certs] External etcd mode: Skipping \(spec.baseName) certificate generation"]
    }
    if host.exists(path(spec.baseName, "crt")), host.exists(path(spec.baseName, "key")) {
      return ["[certs] Using existing \(spec.baseName) certificate and key on disk"]
    }
    let signer = try loadCA(spec.ca)
    let (pair, lines) = try issue(spec, signer: signer)
    try write(pair, baseName: spec.baseName)
    return ["[certs] Generating \(GoQuote.quote(spec.baseName)) certificate and key"] + lines
  }

  /// Issues `spec` for this node, with the SAN line a serving certificate prints.
  func issue(_ spec: LeafSpec, signer: KeyPair) throws -> (KeyPair, [String]) {
    var lines: [String] = []
    var altNames = AltNames()
    var sanName = ""
    switch spec.sans {
    case .none: break
    case .apiServer:
      let made = AltNames.apiServer(config)
      altNames = made.names
      sanName = "apiserver"
      lines += made.rejected.map { Self.rejectedSAN($0, "apiserver") }
    case .etcdServer, .etcdPeer:
      let made = AltNames.etcd(config, peer: spec.sans == .etcdPeer)
      altNames = made.names
      sanName = spec.sans == .etcdPeer ? "etcd-peer" : "etcd-server"
      lines += made.rejected.map { Self.rejectedSAN($0, sanName) }
    }
    let pair = try factory.makeLeaf(
      commonName: spec.commonName(nodeName: config.node.name), organizations: spec.organizations,
      purposes: spec.purposes, altNames: altNames, signer: signer)
    if spec.sans != .none { lines.append(altNames.servingLine(baseName: spec.baseName)) }
    return (pair, lines)
  }

  /// Makes or reuses `sa.key`/`sa.pub`.
  func makeServiceAccountKey() throws -> [String] {
    if host.exists(directory + "/sa.key") {
      return ["[certs] Using the existing \"sa\" key"]
    }
    let key = try CertificateFactory.newKey()
    try host.write(key.pemRepresentation + "\n", to: directory + "/sa.key", mode: 0o600)
    try host.write(key.publicKey.pemRepresentation + "\n", to: directory + "/sa.pub", mode: 0o600)
    return ["[certs] Generating \"sa\" key and public key"]
  }

  /// What a control plane joining with `--control-plane` prints and writes once the shared
  /// CAs are in place: its own leaves (kubeadm's order varies from run to run; `order` fixes
  /// it), then the service-account key it reuses.
  public func joinControlPlaneCerts(order: [LeafSpec]? = nil) throws -> [String] {
    var lines = ["[certs] Using certificateDir folder \(GoQuote.quote(directory))"]
    for spec in order ?? CertsStep.joinLeaves.shuffled() {
      if spec.isEtcd, config.cluster.usesExternalEtcd { continue }
      if host.exists(path(spec.baseName, "crt")), host.exists(path(spec.baseName, "key")) {
        lines.append(
          "[certs] Using the existing \(GoQuote.quote(spec.baseName)) certificate and key")
        continue
      }
      let signer = try loadCA(spec.ca, wrapping: "failure loading certificate for CA")
      let (pair, sanLines) = try issue(spec, signer: signer)
      try write(pair, baseName: spec.baseName)
      lines.append("[certs] Generating \(GoQuote.quote(spec.baseName)) certificate and key")
      lines += sanLines
    }
    lines.append("[certs] Valid certificates and keys now exist in \(GoQuote.quote(directory))")
    lines.append("[certs] Using the existing \"sa\" key")
    return lines
  }

  /// Writes the CA a worker discovered to `ca.crt` (`0644`), unless one is there.
  public func writeWorkerCA(certificatePEM: String) throws {
    let target = path("ca", "crt")
    if host.exists(target) { return }
    try host.write(certificatePEM, to: target, mode: 0o644)
  }

  /// Reads a CA's certificate and key; kubeadm's message when one is missing or bad.
  public func loadCA(_ spec: CASpec, wrapping: String? = nil) throws -> KeyPair {
    let prefix = wrapping ?? "couldn't load CA certificate \(spec.phase)"
    let certificatePath = path(spec.baseName, "crt")
    let keyPath = path(spec.baseName, "key")
    let certificateText: String
    do {
      certificateText = try host.readText(certificatePath)
    } catch let error as KubeadmError {
      throw KubeadmError(
        "\(prefix): couldn't load the certificate file \(certificatePath): \(error)")
    }
    let keyText: String
    do {
      keyText = try host.readText(keyPath)
    } catch let error as KubeadmError {
      throw KubeadmError("\(prefix): couldn't load the private key file \(keyPath): \(error)")
    }
    do {
      return try KeyPair(certificatePEM: certificateText, keyPEM: keyText)
    } catch {
      throw KubeadmError("\(prefix): failed to parse \(certificatePath) or \(keyPath): \(error)")
    }
  }

  /// Writes `<base>.crt` (`0644`) and `<base>.key` (`0600`).
  public func write(_ pair: KeyPair, baseName: String) throws {
    try host.write(pair.keyPEM, to: path(baseName, "key"), mode: 0o600)
    try host.write(try pair.certificatePEM(), to: path(baseName, "crt"), mode: 0o644)
  }

  private static func rejectedSAN(_ value: String, _ name: String) -> String {
    "[certificates] WARNING: '\(value)' was not added to the '\(name)' SAN, because it is not a "
      + "valid IP or RFC-1123 compliant DNS entry"
  }
}
