import Foundation
import Interpreter

/// The kubeadm module's time limits and failures: renewing the 2-hour certificates and the
/// 24-hour token before a join needs them, and saying what to do when kubeadm failed.
extension KubeadmBuiltins {
  static let limits: [Builtin] = [
    Builtin(
      "kubeadm.refresh_if_expired",
      [
        .req("join"), .req("on"), .opt("margin", "10m"), .opt("token_ttl", "24h"),
        .opt("sudo", "true"), .opt("kubeadm", "\"kubeadm\""),
      ],
      help:
        "The join map (of parse_init, parse_join_command or parse_upload_certs) made good for "
        + "`margin` more: on host `on`, re-uploads the certificates (`kubeadm init phase "
        + "upload-certs --upload-certs --certificate-key K`) when their 2-hour window closes "
        + "within `margin`, and makes a new token (`kubeadm token create --ttl token_ttl`) when "
        + "the token expires within it; returns the map with new expiry times and joins.",
      resolve: { param in
        let refresh = Refresh(param)
        return { call in try refresh.run(call) }
      }),
    Builtin(
      "kubeadm.explain_failure", [.req("failure")],
      help:
        "What to do about a kubeadm failure (the text, a command result, or the error map of "
        + "`catch e`): expired or wrong certificate key, unknown or expired token, CA-hash "
        + "mismatch, a host that already ran kubeadm, a port in use, an unreachable endpoint. "
        + "A string naming the command or playbook to run, or nil when the failure is unknown.",
      resolve: { param in
        let failure = param["failure"]
        return { call in
          let text: String
          switch try call.value(failure) {
          case .string(let string): text = string
          case .result(let result): text = result.stderr + "\n" + result.stdout
          case .map(let map):
            text = ["stderr", "stdout", "message"].compactMap { key -> String? in
              if case .string(let part)? = map[key] { return part }
              return nil
            }.joined(separator: "\n")
          case .nil: return .nil
          case let other:
            throw call.typeError(failure, expected: "string, result or error map", got: other)
          }
          return KubeadmFailureHints.explain(text).map(Value.string) ?? .nil
        }
      }),
  ]

  /// Seconds since 1970 in a map entry (int or float), nil when absent or nil.
  static func time(_ map: ValueMap, _ key: String) -> Double? {
    switch map[key] {
    case .int(let seconds)?: Double(seconds)
    case .float(let seconds)?: seconds
    default: nil
    }
  }

  /// The `at:` argument (seconds since 1970), or now.
  static func seenAt(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> Double {
    guard call.optionalValue(argument) != nil else { return Date().timeIntervalSince1970 }
    return try call.number(argument)
  }

  /// A `token_ttl:` argument, checked: at least a second (a token that never expires is
  /// not one a playbook should make or renew).
  static func tokenTTL(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> Int64 {
    let ttl = try call.optionalDuration(argument) ?? KubeadmTimeLimits.defaultTokenTTL
    guard ttl >= 1_000_000_000 else {
      throw call.badArgument(argument, "a token's time to live is at least 1s")
    }
    return ttl
  }
}

/// The arguments of `kubeadm.refresh_if_expired` and what it does.
struct Refresh {
  let join: BuiltinArgument
  let on: BuiltinArgument
  let margin: BuiltinArgument
  let tokenTTL: BuiltinArgument
  let sudo: BuiltinArgument
  let kubeadm: BuiltinArgument

  init(_ param: ParameterLookup) {
    join = param["join"]
    on = param["on"]
    margin = param["margin"]
    tokenTTL = param["token_ttl"]
    sudo = param["sudo"]
    kubeadm = param["kubeadm"]
  }

  func run(_ call: BuiltinCall) throws -> Value {
    var map = try call.map(join)
    let host = try call.host(on)
    let marginSeconds = Double(try call.optionalDuration(margin) ?? 600_000_000_000) / 1e9
    if marginSeconds < 0 { throw call.badArgument(margin, "negative duration") }
    let ttl = try KubeadmBuiltins.tokenTTL(call, tokenTTL)
    let program = try call.optionalString(kubeadm) ?? "kubeadm"
    let useSudo = try call.optionalBool(sudo, default: true)
    let run = call.context.run
    func due(_ key: String) -> (Bool, String) {
      guard let expires = KubeadmBuiltins.time(map, key) else {
        return (true, "has no known end (renewed to be sure)")
      }
      let left = expires - Date().timeIntervalSince1970
      return (left <= marginSeconds, KubeadmTimeLimits.describe(secondsLeft: left))
    }
    func execute(_ pieces: [CommandPiece]) throws -> CommandResult {
      let command = CommandValue([.word(program), .raw(" ")] + pieces)
      return try CommandExecution.run(
        CommandRequest(command: command, host: host, sudo: useSudo), in: run, check: true)
    }
    if case .secret(let key)? = map["certificate_key"] {
      let (isDue, left) = due(KubeadmTimeLimits.keyExpiresKey)
      if isDue {
        run.sink.emit(
          .log(
            "re-uploading the control-plane certificates: their 2-hour window \(left)",
            host: host.name))
        let started = Date().timeIntervalSince1970
        _ = try execute([
          .raw("init phase upload-certs --upload-certs --certificate-key "), .secretWord(key),
        ])
        map[KubeadmTimeLimits.keyExpiresKey] = .float(
          started + KubeadmTimeLimits.certificateWindow)
      }
    }
    if let old = map["token"], old != .nil {
      let oldToken: String
      switch old {
      case .secret(let secret): oldToken = secret.value
      case .string(let text): oldToken = text
      default: throw call.badArgument(join, "its token is a \(old.typeName)")
      }
      let (isDue, left) = due(KubeadmTimeLimits.tokenExpiresKey)
      if isDue {
        run.sink.emit(.log("making a new bootstrap token: the token \(left)", host: host.name))
        let started = Date().timeIntervalSince1970
        let result = try execute([.raw("token create --ttl " + KubeadmTimeLimits.goDuration(ttl))])
        guard let token = KubeadmFormats.tokens(in: result.stdout).last else {
          throw RuntimeError(
            "kubeadm token create printed no bootstrap token on \(host.name)", result: result,
            host: host.name)
        }
        let secret = Secret(token, label: KubeadmFormats.tokenLabel)
        run.secrets.register(secret)
        map = KubeadmTimeLimits.replacingToken(oldToken, with: secret, in: map)
        map[KubeadmTimeLimits.tokenExpiresKey] = KubeadmTimeLimits.tokenExpiry(
          madeAt: started, ttl: ttl)
      }
    }
    return .map(map)
  }
}
