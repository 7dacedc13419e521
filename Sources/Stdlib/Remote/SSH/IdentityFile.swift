import Foundation

/// What haflow needs to know about a private key file before offering it.
enum IdentityFile {
  /// Whether the key is an RSA key (PEM `RSA PRIVATE KEY`, or an OpenSSH-format key whose
  /// public part is `ssh-rsa`).
  static func isRSA(_ path: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path) else { return false }
    let text = String(decoding: data, as: UTF8.self)
    if text.contains("BEGIN RSA PRIVATE KEY") { return true }
    guard let blob = openSSHBlob(text) else { return false }
    // The unencrypted public key (type name first) follows the cipher and KDF fields.
    return String(decoding: blob.prefix(256), as: UTF8.self).contains("ssh-rsa")
  }

  /// The decoded body of an OpenSSH-format private key.
  private static func openSSHBlob(_ text: String) -> [UInt8]? {
    let marker = "-----BEGIN OPENSSH PRIVATE KEY-----"
    guard let start = text.range(of: marker) else { return nil }
    let body = text[start.upperBound...].prefix { $0 != "-" }.filter { !$0.isWhitespace }
    return Data(base64Encoded: String(body)).map { Array($0) }
  }

  /// Whether the key is protected by a passphrase: a PEM key with `ENCRYPTED` in its header,
  /// or an OpenSSH-format key whose cipher is not `none`.
  static func isEncrypted(_ path: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: path) else { return false }
    let text = String(decoding: data, as: UTF8.self)
    if text.contains("ENCRYPTED") { return true }
    guard let bytes = openSSHBlob(text) else { return false }
    // "openssh-key-v1\0", then a length-prefixed cipher name.
    let magic = Array("openssh-key-v1".utf8) + [0]
    guard bytes.count > magic.count + 4, Array(bytes[0..<magic.count]) == magic else {
      return false
    }
    let lengthBytes = bytes[magic.count..<magic.count + 4]
    let length = lengthBytes.reduce(0) { $0 << 8 | Int($1) }
    let nameStart = magic.count + 4
    guard nameStart + length <= bytes.count else { return false }
    return String(decoding: bytes[nameStart..<nameStart + length], as: UTF8.self) != "none"
  }
}
