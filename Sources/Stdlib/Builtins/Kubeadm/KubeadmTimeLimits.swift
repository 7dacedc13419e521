import Interpreter

/// kubeadm's two clocks, as values a join map carries: the certificates `--upload-certs`
/// stores live 2 hours (`DefaultCertTokenDuration`), a bootstrap token 24 hours unless made
/// with another `--ttl` (`DefaultTokenDuration`). A map from `kubeadm.parse_init` holds when
/// each runs out (`certificate_key_expires_at`, `token_expires_at`: seconds since 1970, like
/// `now()`), so `kubeadm.refresh_if_expired` knows when to renew them.
public enum KubeadmTimeLimits {
  /// How long uploaded certificates stay in the `kubeadm-certs` Secret, in seconds.
  public static let certificateWindow: Double = 2 * 3600
  /// A bootstrap token's default lifetime, in nanoseconds (`--ttl 24h0m0s`).
  public static let defaultTokenTTL: Int64 = 24 * 3600 * 1_000_000_000

  /// The map key holding when the uploaded certificates are deleted.
  public static let keyExpiresKey = "certificate_key_expires_at"
  /// The map key holding when the bootstrap token stops working.
  public static let tokenExpiresKey = "token_expires_at"

  /// A duration as kubeadm's `--ttl` takes it (Go's `time.ParseDuration`): whole seconds,
  /// `86400s`.
  public static func goDuration(_ nanoseconds: Int64) -> String {
    "\(nanoseconds / 1_000_000_000)s"
  }

  /// When a token made at `time` (seconds since 1970) with `ttl` (nanoseconds) expires.
  public static func tokenExpiry(madeAt time: Double, ttl: Int64) -> Value {
    .float(time + Double(ttl) / 1e9)
  }

  /// `command` with every secret word holding `old` holding `new` instead: a join command
  /// after its token was replaced.
  public static func replacing(_ old: String, with new: Secret, in command: CommandValue)
    -> CommandValue
  {
    CommandValue(
      command.pieces.map { piece in
        switch piece {
        case .secretWord(let secret) where secret.value == old: .secretWord(new)
        case .secretRaw(let secret) where secret.value == old: .secretRaw(new)
        case .word(let word) where word == old: .secretWord(new)
        default: piece
        }
      })
  }

  /// `map` with `old` replaced by `new` in every command and in the `token` key.
  static func replacingToken(_ old: String, with new: Secret, in map: ValueMap) -> ValueMap {
    var copy = map
    for (key, value) in map {
      if case .command(let command) = value {
        copy[key] = .command(replacing(old, with: new, in: command))
      }
    }
    copy["token"] = .secret(new)
    return copy
  }

  /// `map` with `key` as its certificate key, uploaded at `time`: the old key replaced in
  /// every command, the key added to a control-plane join that had none (`control_plane_join`,
  /// or `command` when `control_plane` is true), and `certificate_key_expires_at` set.
  static func withCertificateKey(_ key: Secret, uploadedAt time: Double, in map: ValueMap)
    -> ValueMap
  {
    var copy = map
    let old: String? =
      if case .secret(let secret)? = map["certificate_key"] { secret.value } else { nil }
    for (name, value) in map {
      guard case .command(var command) = value else { continue }
      if let old, command.secrets.contains(where: { $0.value == old }) {
        command = replacing(old, with: key, in: command)
      } else if name == "control_plane_join"
        || (name == "command" && map["control_plane"] == .bool(true))
      {
        command.pieces += [.raw(" --certificate-key "), .secretWord(key)]
      }
      copy[name] = .command(command)
    }
    copy["certificate_key"] = .secret(key)
    copy[keyExpiresKey] = .float(time + certificateWindow)
    return copy
  }

  /// How long from now until `deadline`, in words: `1h12m`, `4m`, `expired 3m ago`.
  static func describe(secondsLeft: Double) -> String {
    let whole = Int(abs(secondsLeft).rounded())
    let text =
      whole >= 3600
      ? "\(whole / 3600)h\(whole % 3600 / 60)m" : whole >= 60 ? "\(whole / 60)m" : "\(whole)s"
    return secondsLeft < 0 ? "expired \(text) ago" : "closes in \(text)"
  }
}
