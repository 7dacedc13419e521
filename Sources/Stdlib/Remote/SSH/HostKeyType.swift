import CLibSSH2
import Crypto
import Foundation

/// A host key algorithm as libssh2, known_hosts and humans name it.
struct HostKeyType: Sendable, Equatable {
  /// The name written in known_hosts, `ssh-ed25519`.
  var name: String
  /// The `LIBSSH2_KNOWNHOST_KEY_*` bits.
  var knownHostBits: Int32
  /// The host key algorithms that produce this key type, for `libssh2_session_method_pref`.
  var algorithms: [String]

  /// Types in the order haflow prefers them (OpenSSH's order, without DSA).
  static let preferred: [HostKeyType] = [ed25519, ecdsa256, ecdsa384, ecdsa521, rsa]

  static let ed25519 = HostKeyType(
    name: "ssh-ed25519", knownHostBits: LIBSSH2_KNOWNHOST_KEY_ED25519, algorithms: ["ssh-ed25519"])
  static let ecdsa256 = HostKeyType(
    name: "ecdsa-sha2-nistp256", knownHostBits: LIBSSH2_KNOWNHOST_KEY_ECDSA_256,
    algorithms: ["ecdsa-sha2-nistp256"])
  static let ecdsa384 = HostKeyType(
    name: "ecdsa-sha2-nistp384", knownHostBits: LIBSSH2_KNOWNHOST_KEY_ECDSA_384,
    algorithms: ["ecdsa-sha2-nistp384"])
  static let ecdsa521 = HostKeyType(
    name: "ecdsa-sha2-nistp521", knownHostBits: LIBSSH2_KNOWNHOST_KEY_ECDSA_521,
    algorithms: ["ecdsa-sha2-nistp521"])
  static let rsa = HostKeyType(
    name: "ssh-rsa", knownHostBits: LIBSSH2_KNOWNHOST_KEY_SSHRSA,
    algorithms: ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"])
  static let dss = HostKeyType(
    name: "ssh-dss", knownHostBits: LIBSSH2_KNOWNHOST_KEY_SSHDSS, algorithms: ["ssh-dss"])

  /// The type of the key `libssh2_session_hostkey` returned.
  static func fromSession(_ type: Int32) -> HostKeyType? {
    switch type {
    case LIBSSH2_HOSTKEY_TYPE_ED25519: ed25519
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: ecdsa256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: ecdsa384
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: ecdsa521
    case LIBSSH2_HOSTKEY_TYPE_RSA: rsa
    case LIBSSH2_HOSTKEY_TYPE_DSS: dss
    default: nil
    }
  }

  /// The type recorded in a known_hosts entry's type mask.
  static func fromKnownHost(_ typemask: Int32) -> HostKeyType? {
    let bits = typemask & LIBSSH2_KNOWNHOST_KEY_MASK
    return (preferred + [dss]).first { $0.knownHostBits == bits }
  }
}

/// OpenSSH-style key fingerprints: `SHA256:` and the unpadded base64 of the blob's SHA-256.
enum Fingerprint {
  /// The fingerprint of a raw key blob.
  static func sha256(_ blob: [UInt8]) -> String {
    var digest = SHA256()
    digest.update(blob)
    let text = Data(digest.finalize()).base64EncodedString()
    return "SHA256:" + text.replacingOccurrences(of: "=", with: "")
  }

  /// The fingerprint of a base64 key as written in known_hosts; nil when it does not decode.
  static func sha256(base64 key: String) -> String? {
    guard let blob = Data(base64Encoded: key) else { return nil }
    return sha256(Array(blob))
  }
}
