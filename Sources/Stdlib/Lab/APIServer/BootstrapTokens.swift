import Crypto
import Foundation

/// Bootstrap tokens as the API server and kube-controller-manager treat them: the
/// authenticator for `Bearer <id>.<secret>`, the token cleaner and garbage collector (expired
/// tokens are deleted, and so is any Secret whose owner reference names a token that is
/// gone — `kubeadm-certs`), and the bootstrap signer (a `jws-kubeconfig-<id>` entry in
/// `cluster-info` for each live signing token). They run when a request comes, against the
/// cluster clock, which is what a client can observe of controllers that run periodically.
struct BootstrapTokens: Sendable {
  let storage: ObjectStorage
  let clock: ClusterClock

  /// The Secret type of a bootstrap token.
  static let secretType = "bootstrap.kubernetes.io/token"
  /// `bootstrap-token-` + id.
  static let namePrefix = "bootstrap-token-"

  /// A token Secret's fields (LAB-FIDELITY §6.1).
  struct Token: Sendable {
    var id: String
    var secret: String
    var expiration: Date?
    var authentication: Bool
    var signing: Bool
    var extraGroups: [String]
    var uid: String?

    func isExpired(at now: Date) -> Bool { expiration.map { $0 <= now } ?? false }
  }

  static let secrets = ResourceRef(
    group: "", version: "v1", resource: "secrets", namespace: "kube-system", name: nil)

  /// The token Secrets in kube-system, parsed.
  func tokens() async throws(APIStatusError) -> [Token] {
    try await storage.list(Self.secrets).compactMap(Self.token)
  }

  /// A Secret as a token, when it is one.
  static func token(_ secret: JSONValue) -> Token? {
    guard secret["type"]?.string == secretType,
      let name = secret[path: ["metadata", "name"]]?.string, name.hasPrefix(namePrefix)
    else { return nil }
    func field(_ key: String) -> String? {
      guard let encoded = secret["data"]?[key]?.string, let data = Data(base64Encoded: encoded)
      else { return nil }
      return String(decoding: data, as: UTF8.self)
    }
    guard let id = field("token-id"), let tokenSecret = field("token-secret"),
      name == namePrefix + id
    else { return nil }
    return Token(
      id: id, secret: tokenSecret, expiration: field("expiration").flatMap(ClusterClock.parse),
      authentication: field("usage-bootstrap-authentication") == "true",
      signing: field("usage-bootstrap-signing") == "true",
      extraGroups: (field("auth-extra-groups") ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty },
      uid: secret[path: ["metadata", "uid"]]?.string)
  }

  /// The user a bearer token names, or nil (malformed, unknown, wrong secret, expired, or
  /// not for authentication).
  func authenticate(_ bearer: String) async throws(APIStatusError) -> APIUser? {
    let parts = bearer.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 6, parts[1].count == 16,
      (parts[0] + parts[1]).allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) })
    else { return nil }
    var ref = Self.secrets
    ref.name = Self.namePrefix + parts[0]
    guard let secret = try await storage.get(ref), let token = Self.token(secret),
      token.secret == String(parts[1]), token.authentication, !token.isExpired(at: clock.now())
    else { return nil }
    return APIUser(
      name: "system:bootstrap:" + token.id,
      groups: ["system:bootstrappers"] + token.extraGroups + ["system:authenticated"],
      method: .bootstrapToken(id: token.id))
  }

  /// The token cleaner and the garbage collector: deletes expired token Secrets, then every
  /// Secret owned by a token Secret that no longer exists (or was replaced: another uid).
  func collectGarbage() async throws(APIStatusError) {
    let now = clock.now()
    var live: [String: String] = [:]
    for token in try await tokens() {
      var ref = Self.secrets
      ref.name = Self.namePrefix + token.id
      if token.isExpired(at: now) {
        _ = try await storage.delete(ref)
      } else {
        live[ref.name!] = token.uid ?? ""
      }
    }
    for secret in try await storage.list(Self.secrets) {
      let owners = secret[path: ["metadata", "ownerReferences"]]?.array ?? []
      let tokenOwners = owners.filter {
        $0["kind"]?.string == "Secret"
          && ($0["name"]?.string ?? "").hasPrefix(Self.namePrefix)
      }
      guard !tokenOwners.isEmpty, let name = secret[path: ["metadata", "name"]]?.string else {
        continue
      }
      let gone = tokenOwners.contains { owner in
        guard let uid = live[owner["name"]?.string ?? ""] else { return true }
        if let ownerUID = owner["uid"]?.string, !ownerUID.isEmpty, !uid.isEmpty {
          return ownerUID != uid
        }
        return false
      }
      if gone {
        var ref = Self.secrets
        ref.name = name
        _ = try await storage.delete(ref)
      }
    }
  }

  /// `cluster-info` with a `jws-kubeconfig-<id>` entry for each live signing token, as the
  /// bootstrap signer keeps it (stale entries removed).
  func signed(clusterInfo: JSONValue) async throws(APIStatusError) -> JSONValue {
    var object = clusterInfo
    var data = object["data"]?.object ?? [:]
    for key in data.keys where key.hasPrefix("jws-kubeconfig-") { data[key] = nil }
    if let content = data["kubeconfig"]?.string {
      let now = clock.now()
      for token in try await tokens() where token.signing && !token.isExpired(at: now) {
        data["jws-kubeconfig-" + token.id] = .string(
          Self.detachedJWS(content: content, tokenID: token.id, tokenSecret: token.secret))
      }
    }
    object["data"] = .object(data)
    return object
  }

  /// A detached JWS (`header..signature`), HS256 keyed by the token secret, header
  /// `{"alg":"HS256","kid":"<id>"}` — what cluster-bootstrap's `ComputeDetachedSignature`
  /// makes with go-jose.
  static func detachedJWS(content: String, tokenID: String, tokenSecret: String) -> String {
    let header = base64URL(Array("{\"alg\":\"HS256\",\"kid\":\"\(tokenID)\"}".utf8))
    let payload = base64URL(Array(content.utf8))
    let mac = HMAC<SHA256>.authenticationCode(
      for: Array((header + "." + payload).utf8), using: SymmetricKey(data: Array(tokenSecret.utf8)))
    return header + ".." + base64URL(Array(mac))
  }

  /// Base64 URL encoding without padding (RFC 7515).
  static func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }
}
