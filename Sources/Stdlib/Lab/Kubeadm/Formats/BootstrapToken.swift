/// A kubeadm bootstrap token, `<id>.<secret>`: 6 and 16 characters of `[a-z0-9]`.
///
/// The id is public (it names the `bootstrap-token-<id>` Secret and the JWS key in
/// `cluster-info`); the secret is what a joining node proves it knows. Everything that takes a
/// token from a user goes through `init(_:)`, so a malformed one is refused with kubeadm's own
/// words before anything runs.
public struct BootstrapToken: Sendable, Hashable, CustomStringConvertible {
  /// The public part, 6 characters.
  public let id: String
  /// The private part, 16 characters.
  public let secret: String

  /// The pattern kubeadm checks tokens against, as kubeadm prints it in its errors.
  public static let pattern = #"\A([a-z0-9]{6})\.([a-z0-9]{16})\z"#

  /// The characters a token is made of.
  static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")

  /// Parses `text`; nil unless it is exactly `[a-z0-9]{6}.[a-z0-9]{16}`.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 6, parts[1].count == 16,
      parts.allSatisfy({ $0.allSatisfy(Self.isTokenCharacter) })
    else { return nil }
    id = String(parts[0])
    secret = String(parts[1])
  }

  /// A new random token, from the system's secure generator.
  public static func generate() -> BootstrapToken {
    var generator = SystemRandomNumberGenerator()
    return generate(using: &generator)
  }

  /// A new token drawn from `generator` (tests pass a seeded one).
  public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> BootstrapToken
  {
    func draw(_ count: Int) -> String {
      String(
        (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
    // Built from valid parts, so parsing cannot fail; the fallback keeps library code free of `!`.
    return BootstrapToken(draw(6) + "." + draw(16)) ?? BootstrapToken(id: draw(6), secret: draw(16))
  }

  private init(id: String, secret: String) {
    self.id = id
    self.secret = secret
  }

  /// `id.secret`.
  public var description: String { id + "." + secret }

  /// The name of the Secret that holds this token in `kube-system`.
  public var secretName: String { "bootstrap-token-" + id }

  /// kubeadm's error for text that is not a token, as `init --token`, `token create TOKEN` and
  /// the config's `bootstrapTokens[].token` print it (exit status 1).
  public static func formatError(_ text: String) -> String {
    "the bootstrap token \(GoQuote.quote(text)) was not of the form \(GoQuote.quote(pattern))"
  }

  private static func isTokenCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return (0x61...0x7A).contains(ascii) || (0x30...0x39).contains(ascii)
  }
}
