/// The shapes of the values kubeadm prints (FORMATS.md in the kubeadm reference): bootstrap
/// tokens, certificate keys and discovery hashes. The Lab target has its own copy for its
/// stand-in; the language's module cannot import Lab, so this one is small and independent.
public enum KubeadmFormats {
  /// The label a bootstrap token is shown with: `<secret bootstrap-token>`.
  public static let tokenLabel = "bootstrap-token"
  /// The label a certificate key is shown with: `<secret certificate-key>`.
  public static let certificateKeyLabel = "certificate-key"

  /// Whether `text` is a bootstrap token: `[a-z0-9]{6}.[a-z0-9]{16}`.
  public static func isToken(_ text: some StringProtocol) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 23, bytes[6] == UInt8(ascii: ".") else { return false }
    return bytes[..<6].allSatisfy(isTokenByte) && bytes[7...].allSatisfy(isTokenByte)
  }

  /// Whether `text` is a certificate key: 64 lowercase hex digits (32 bytes).
  public static func isCertificateKey(_ text: some StringProtocol) -> Bool {
    text.utf8.count == 64 && text.utf8.allSatisfy(isHexByte)
  }

  /// Whether `text` is a discovery hash as kubeadm accepts it: `sha256:` (any case) and 64
  /// hex digits (any case).
  public static func isDiscoveryHash(_ text: some StringProtocol) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count == 71, String(decoding: bytes[..<7], as: UTF8.self).lowercased() == "sha256:"
    else { return false }
    return bytes[7...].allSatisfy { isHexByte($0) || (0x41...0x46).contains($0) }
  }

  /// The bootstrap tokens in a line of text: each run of `[a-z0-9]{6}.[a-z0-9]{16}` not
  /// touching another letter, digit or dot-word (`\b…\b` of FORMATS.md).
  public static func tokens(in line: some StringProtocol) -> [String] {
    let bytes = Array(line.utf8)
    var found: [String] = []
    var index = 0
    while index + 23 <= bytes.count {
      let isStart = index == 0 || !isWordByte(bytes[index - 1])
      if isStart, bytes[index + 6] == UInt8(ascii: "."),
        bytes[index..<index + 6].allSatisfy(isTokenByte),
        bytes[index + 7..<index + 23].allSatisfy(isTokenByte),
        index + 23 == bytes.count || !isWordByte(bytes[index + 23])
      {
        found.append(String(decoding: bytes[index..<index + 23], as: UTF8.self))
        index += 23
      } else {
        index += 1
      }
    }
    return found
  }

  /// The certificate keys in a line kubeadm printed: the value after `--certificate-key`
  /// (`=` or blanks), or the whole line when it is nothing but a key (what `upload-certs` and
  /// `certs certificate-key` print on a line of its own). A hash after `sha256:` is no key.
  public static func certificateKeys(in line: some StringProtocol) -> [String] {
    let words = line.split(whereSeparator: \.isWhitespace)
    if words.count == 1, isCertificateKey(words[0]) { return [String(words[0])] }
    var found: [String] = []
    for (index, word) in words.enumerated() {
      if word == "--certificate-key", index + 1 < words.count,
        isCertificateKey(words[index + 1])
      {
        found.append(String(words[index + 1]))
      } else if word.hasPrefix("--certificate-key="),
        isCertificateKey(word.dropFirst("--certificate-key=".count))
      {
        found.append(String(word.dropFirst("--certificate-key=".count)))
      }
    }
    return found
  }

  private static func isTokenByte(_ byte: UInt8) -> Bool {
    (0x61...0x7a).contains(byte) || (0x30...0x39).contains(byte)
  }

  private static func isHexByte(_ byte: UInt8) -> Bool {
    (0x61...0x66).contains(byte) || (0x30...0x39).contains(byte)
  }

  private static func isWordByte(_ byte: UInt8) -> Bool {
    (0x61...0x7a).contains(byte) || (0x41...0x5a).contains(byte) || (0x30...0x39).contains(byte)
      || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
  }
}
