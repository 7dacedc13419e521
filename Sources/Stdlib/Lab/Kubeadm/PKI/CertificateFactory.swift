import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A certificate with its private key, as kubeadm writes them: PEM certificate, PKCS#1 PEM RSA
/// key.
public struct KeyPair: Sendable {
  /// The certificate.
  public let certificate: Certificate
  /// Its RSA private key.
  public let key: _RSA.Signing.PrivateKey

  /// A certificate and its key.
  public init(certificate: Certificate, key: _RSA.Signing.PrivateKey) {
    self.certificate = certificate
    self.key = key
  }

  /// Reads a PEM certificate and a PEM RSA key (PKCS#1 or PKCS#8).
  public init(certificatePEM: String, keyPEM: String) throws {
    certificate = try Certificate(pemEncoded: certificatePEM)
    key = try _RSA.Signing.PrivateKey(pemRepresentation: keyPEM)
  }

  /// `-----BEGIN CERTIFICATE-----` …
  public func certificatePEM() throws -> String {
    try certificate.serializeAsPEM().pemString + "\n"
  }

  /// `-----BEGIN RSA PRIVATE KEY-----` …
  public var keyPEM: String { key.pemRepresentation + "\n" }

  /// The certificate's discovery hash (`sha256:…`).
  public func discoveryHash() throws -> String {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return try DiscoveryHash.of(certificateDER: serializer.serializedBytes)
  }
}

/// Makes the cluster's certificates the way kubeadm does: RSA 2048 keys, random 63-bit serials,
/// NotBefore five minutes before `now`, one year for leaves and ten for CAs (or the
/// configuration's periods), SHA-256 with RSA.
public struct CertificateFactory: Sendable {
  /// The moment kubeadm started (the lab passes its own clock).
  public let now: Date
  /// A leaf's lifetime.
  public let validity: TimeInterval
  /// A CA's lifetime.
  public let caValidity: TimeInterval

  /// How far NotBefore lies before `now`.
  public static let backdate: TimeInterval = 5 * 60

  /// A factory for certificates issued at `now`.
  public init(
    now: Date, validity: TimeInterval = 365 * 24 * 3600,
    caValidity: TimeInterval = 10 * 365 * 24 * 3600
  ) {
    self.now = now
    self.validity = validity
    self.caValidity = caValidity
  }

  /// A factory with the periods of `cluster`.
  public init(now: Date, cluster: ClusterConfiguration) {
    self.init(
      now: now, validity: cluster.certificateValidity, caValidity: cluster.caCertificateValidity)
  }

  /// A new RSA 2048 key.
  public static func newKey() throws -> _RSA.Signing.PrivateKey {
    try _RSA.Signing.PrivateKey(keySize: .bits2048)
  }

  /// A self-signed CA whose CN is also its one DNS SAN.
  public func makeCA(commonName: String) throws -> KeyPair {
    let key = try Self.newKey()
    let publicKey = Certificate.PublicKey(key.publicKey)
    let name = try Self.name(commonName: commonName, organizations: [])
    var extensions = Certificate.Extensions()
    try extensions.append(
      Certificate.Extension(
        KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: true), critical: true))
    try extensions.append(
      Certificate.Extension(
        BasicConstraints.isCertificateAuthority(maxPathLength: nil), critical: true))
    try extensions.append(
      Certificate.Extension(SubjectKeyIdentifier(hash: publicKey), critical: false))
    try extensions.append(
      Certificate.Extension(SubjectAlternativeNames([.dnsName(commonName)]), critical: false))
    let certificate = try Certificate(
      version: .v3, serialNumber: Self.serial(), publicKey: publicKey,
      notValidBefore: now - Self.backdate, notValidAfter: now + caValidity, issuer: name,
      subject: name, signatureAlgorithm: .sha256WithRSAEncryption, extensions: extensions,
      issuerPrivateKey: Certificate.PrivateKey(key))
    return KeyPair(certificate: certificate, key: key)
  }

  /// A leaf signed by `signer`.
  public func makeLeaf(
    commonName: String, organizations: [String], purposes: [KeyPurpose], altNames: AltNames,
    signer: KeyPair, key: _RSA.Signing.PrivateKey? = nil
  ) throws -> KeyPair {
    let key = try key ?? Self.newKey()
    let certificate = try issueLeaf(
      commonName: commonName, organizations: organizations, purposes: purposes,
      altNames: altNames, signer: signer, publicKey: Certificate.PublicKey(key.publicKey))
    return KeyPair(certificate: certificate, key: key)
  }

  /// A leaf for someone else's `publicKey` (a certificate signing request), signed by
  /// `signer`, with the same extensions as `makeLeaf`'s.
  public func issueLeaf(
    commonName: String, organizations: [String], purposes: [KeyPurpose], altNames: AltNames,
    signer: KeyPair, publicKey: Certificate.PublicKey
  ) throws -> Certificate {
    var extensions = Certificate.Extensions()
    try extensions.append(
      Certificate.Extension(KeyUsage(digitalSignature: true, keyEncipherment: true), critical: true)
    )
    if !purposes.isEmpty {
      let usages: [ExtendedKeyUsage.Usage] = purposes.map {
        $0 == .serverAuth ? .serverAuth : .clientAuth
      }
      try extensions.append(Certificate.Extension(try ExtendedKeyUsage(usages), critical: false))
    }
    try extensions.append(
      Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true))
    if let identifier = try signer.certificate.extensions.subjectKeyIdentifier?.keyIdentifier {
      try extensions.append(
        Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: identifier), critical: false))
    }
    if !altNames.dnsNames.isEmpty || !altNames.ips.isEmpty {
      let names =
        altNames.dnsNames.map { GeneralName.dnsName($0) }
        + altNames.ips.compactMap { IPAddress($0) }.map {
          GeneralName.ipAddress(ASN1OctetString(contentBytes: $0.bytes[...]))
        }
      try extensions.append(
        Certificate.Extension(SubjectAlternativeNames(names), critical: false))
    }
    return try Certificate(
      version: .v3, serialNumber: Self.serial(), publicKey: publicKey,
      notValidBefore: now - Self.backdate, notValidAfter: now + validity,
      issuer: signer.certificate.subject,
      subject: try Self.name(commonName: commonName, organizations: organizations),
      signatureAlgorithm: .sha256WithRSAEncryption, extensions: extensions,
      issuerPrivateKey: Certificate.PrivateKey(signer.key))
  }

  /// O values first, then CN, as Go orders a `pkix.Name`.
  static func name(commonName: String, organizations: [String]) throws -> DistinguishedName {
    try DistinguishedName {
      for organization in organizations { OrganizationName(organization) }
      CommonName(commonName)
    }
  }

  /// A random serial in 1 … 2^63−1.
  static func serial() -> Certificate.SerialNumber {
    Certificate.SerialNumber(UInt64.random(in: 1...UInt64(Int64.max)))
  }
}
