import Crypto
import SwiftASN1

/// `--discovery-token-ca-cert-hash`: `sha256:` and the hex SHA-256 of the cluster CA
/// certificate's SubjectPublicKeyInfo, exactly as the certificate carries it (DER).
///
/// A joining node pins the CA it discovers to one of these; `kubeadm init` prints the hash of
/// the CA it made.
public enum DiscoveryHash {
  /// The hash of the certificate in `pem` (the first CERTIFICATE block).
  public static func of(certificatePEM pem: String) throws -> String {
    let document = try PEMDocument(pemString: pem)
    return try of(certificateDER: document.derBytes)
  }

  /// The hash of a DER certificate.
  public static func of(certificateDER der: [UInt8]) throws -> String {
    let spki = try subjectPublicKeyInfo(certificateDER: der)
    return "sha256:" + GoHex.encode(SHA256.hash(data: spki))
  }

  /// The SubjectPublicKeyInfo bytes of a DER certificate, as encoded in it (not re-encoded).
  static func subjectPublicKeyInfo(certificateDER der: [UInt8]) throws -> [UInt8] {
    let certificate = try DER.parse(der)
    guard case .constructed(let outer) = certificate.content,
      let tbs = outer.first(where: { _ in true }),
      case .constructed(let fields) = tbs.content
    else { throw KubeadmError("the certificate is not a DER SEQUENCE") }
    // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, SPKI.
    var nodes = Array(fields)
    if let first = nodes.first,
      first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
    {
      nodes.removeFirst()
    }
    guard nodes.count > 5 else { throw KubeadmError("the certificate has no public key") }
    return Array(nodes[5].encodedBytes)
  }

  /// Whether `text` is a hash kubeadm prints: `sha256:` and 64 lowercase hex digits.
  public static func isCanonical(_ text: String) -> Bool {
    guard text.hasPrefix("sha256:") else { return false }
    let hex = text.dropFirst(7)
    return hex.count == 64
      && hex.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
  }
}

/// The CA public-key pins a join was given (`--discovery-token-ca-cert-hash`, repeatable),
/// checked as kubeadm checks them, with its messages.
public struct DiscoveryHashPins: Sendable, Equatable {
  /// The pinned SHA-256 hashes, lowercase hex without the `sha256:` prefix.
  public private(set) var sha256: Set<String> = []

  /// No pins.
  public init() {}

  /// Pins each of `hashes` (`format:hex`; only `sha256`, any case); throws kubeadm's message
  /// for the first malformed one.
  public init(_ hashes: [String]) throws {
    for hash in hashes { try allow(hash) }
  }

  /// Whether no hash is pinned.
  public var isEmpty: Bool { sha256.isEmpty }

  /// Pins one hash.
  public mutating func allow(_ hash: String) throws {
    let parts = hash.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw KubeadmError(
        #"invalid hash, expected "format:hex-value". Known format(s) are: sha256"#)
    }
    let format = String(parts[0])
    let value = String(parts[1])
    guard format.lowercased() == "sha256" else {
      throw KubeadmError(
        "unknown hash format \(GoQuote.quote(format)). Known format(s) are: sha256")
    }
    let length = value.utf8.count / 2
    if length != 32 {
      throw KubeadmError(
        "invalid hash \(GoQuote.quote(hash)), expected a 32 byte SHA-256 hash, found \(length) bytes"
      )
    }
    if case .failure(let error) = GoHex.decode(value) {
      throw KubeadmError(
        "invalid hash \(GoQuote.quote(hash)), could not decode SHA-256 from hex: \(error)")
    }
    sha256.insert(value.lowercased())
  }

  /// Nil when one of `hashes` (as `DiscoveryHash.of` makes them) is pinned; otherwise kubeadm's
  /// message naming the actual hashes.
  public func mismatch(actual hashes: [String]) -> String? {
    if hashes.contains(where: { sha256.contains(String($0.dropFirst(7))) }) { return nil }
    return "none of the public keys \(GoQuote.quote(hashes.joined(separator: ":"))) are pinned"
  }
}
