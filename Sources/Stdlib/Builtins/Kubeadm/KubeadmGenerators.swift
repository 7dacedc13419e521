import Crypto
import SwiftASN1
import X509

/// What kubeadm would generate, made here so a playbook can choose the values before `kubeadm
/// init` and need not scrape them from its output.
public enum KubeadmGenerators {
  /// A bootstrap token, `[a-z0-9]{6}.[a-z0-9]{16}`, from the system's secure random source
  /// (each character uniform over the 36, as kubeadm's).
  public static func token() -> String {
    var random = SystemRandomNumberGenerator()
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    func part(_ count: Int) -> String {
      String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }
    return part(6) + "." + part(16)
  }

  /// A certificate key: 32 random bytes as 64 lowercase hex digits, like `kubeadm certs
  /// certificate-key`.
  public static func certificateKey() -> String {
    let key = SymmetricKey(size: .bits256)
    return key.withUnsafeBytes { hex($0) }
  }

  /// `sha256:` and the hex SHA-256 of the SubjectPublicKeyInfo of the first certificate in
  /// `pem`, byte for byte as the certificate carries it (kubeadm's `pubkeypin.Hash`).
  public static func caCertHash(pem: String) throws(KubeadmParseError) -> String {
    let certificate: Certificate
    do {
      certificate = try Certificate(pemEncoded: pem)
    } catch {
      throw KubeadmParseError("not a PEM certificate: \(error)")
    }
    do {
      let tbs = try DER.parse(Array(certificate.tbsCertificateBytes))
      guard case .constructed(let fields) = tbs.content else {
        throw KubeadmParseError("the certificate's TBSCertificate is not a SEQUENCE")
      }
      // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject,
      // subjectPublicKeyInfo.
      var nodes = Array(fields)
      if let first = nodes.first,
        first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
      {
        nodes.removeFirst()
      }
      guard nodes.count > 5 else { throw KubeadmParseError("the certificate has no public key") }
      return "sha256:" + SHA256.hash(data: Array(nodes[5].encodedBytes)).withUnsafeBytes { hex($0) }
    } catch let error as KubeadmParseError {
      throw error
    } catch {
      throw KubeadmParseError("cannot read the certificate's public key: \(error)")
    }
  }

  private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
    let digits = Array("0123456789abcdef")
    var out = ""
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0xf)])
    }
    return out
  }
}
