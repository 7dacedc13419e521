/// The key `--upload-certs` encrypts the shared certificates with: 32 random bytes, written as
/// 64 hex digits.
///
/// A playbook can make one up front (`kubeadm certs certificate-key`) and pass it to
/// `init --certificate-key`; the joining control planes give it back with `join
/// --certificate-key`. The bytes are an AES-256-GCM key (see `CertificateKeyCipher`).
public struct CertificateKey: Sendable, Hashable, CustomStringConvertible {
  /// The key as given (kubeadm keeps the user's text; generated keys are lowercase).
  public let text: String
  /// The 32 key bytes.
  public let bytes: [UInt8]

  /// The number of key bytes (`CertificateKeySize`).
  public static let size = 32

  /// Parses hex text of exactly 32 bytes; nil otherwise (`validationError` says why).
  public init?(_ text: String) {
    guard case .success(let bytes) = GoHex.decode(text), bytes.count == Self.size else {
      return nil
    }
    self.text = text
    self.bytes = bytes
  }

  /// A new random key, from the system's secure generator.
  public static func generate() -> CertificateKey {
    var generator = SystemRandomNumberGenerator()
    return generate(using: &generator)
  }

  /// A new key drawn from `generator`.
  public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> CertificateKey
  {
    let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return CertificateKey(hex: GoHex.encode(bytes), bytes: bytes)
  }

  private init(hex: String, bytes: [UInt8]) {
    text = hex
    self.bytes = bytes
  }

  /// The key as text.
  public var description: String { text }

  /// Why `text` is not a certificate key, in the words of kubeadm's config validation for the
  /// field at `field` (`certificateKey` for init, `controlPlane.certificateKey` for join); nil
  /// when it is one. An empty key is no error: it means "none given".
  public static func validationError(_ text: String, field: String) -> String? {
    if text.isEmpty { return nil }
    switch GoHex.decode(text) {
    case .failure(let error):
      return FieldError.invalid(field, text, "certificate key decoding error: \(error)")
    case .success(let bytes) where bytes.count != size:
      return FieldError.invalid(
        field, text,
        "invalid certificate key size \(bytes.count), the key must be an AES key of size \(size)")
    case .success:
      return nil
    }
  }
}

/// kubeadm's field validation messages (`field.Error`), and how a list of them is printed
/// (`utilerrors.Aggregate`): one message alone, several in `[a, b]`.
enum FieldError {
  /// `<field>: Invalid value: "<value>": <detail>`.
  static func invalid(_ field: String, _ value: String, _ detail: String) -> String {
    "\(field): Invalid value: \(GoQuote.quote(value)): \(detail)"
  }

  /// `<field>: Required value: <detail>`.
  static func required(_ field: String, _ detail: String) -> String {
    "\(field): Required value: \(detail)"
  }

  /// The aggregate of `messages` (duplicates dropped, order kept), or nil when there are none.
  static func aggregate(_ messages: [String]) -> String? {
    var seen = Set<String>()
    let unique = messages.filter { seen.insert($0).inserted }
    switch unique.count {
    case 0: return nil
    case 1: return unique[0]
    default: return "[" + unique.joined(separator: ", ") + "]"
    }
  }
}
