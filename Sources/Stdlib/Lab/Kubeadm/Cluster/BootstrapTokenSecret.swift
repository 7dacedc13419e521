import Foundation

/// A bootstrap token as the Secret `kube-system/bootstrap-token-<id>` kubeadm creates for it
/// (`init`, `token create`, `upload-certs`' short-lived token) and reads back (`token list`,
/// `join`'s checks): type `bootstrap.kubernetes.io/token`, keys `token-id`, `token-secret`,
/// `expiration` (RFC 3339 on the cluster clock), `usage-bootstrap-<usage>: "true"`,
/// `auth-extra-groups` and `description` (LAB-FIDELITY §6.1). The API server's token
/// authenticator, cleaner and bootstrap signer read the same keys.
public struct BootstrapTokenSecret: Sendable, Equatable {
  /// The Secret type.
  public static let type = "bootstrap.kubernetes.io/token"
  /// kubeadm's default extra group.
  public static let defaultNodeTokenGroup = "system:bootstrappers:kubeadm:default-node-token"
  /// The description of `upload-certs`' token.
  public static let certsTokenDescription = "Proxy for managing TTL for the kubeadm-certs secret"

  /// The token.
  public var token: BootstrapToken
  /// When it expires; nil for never.
  public var expiration: Date?
  /// `description`, or empty.
  public var description: String
  /// The usages, in kubeadm's order (`signing`, `authentication`).
  public var usages: [String]
  /// `auth-extra-groups`.
  public var groups: [String]
  /// The Secret's uid once stored (the owner reference of `kubeadm-certs` names it).
  public var uid: String?

  /// The Secret for `spec` created at `now` (its TTL from then).
  public init(spec: BootstrapTokenSpec, now: Date) {
    token = spec.token
    expiration = spec.ttl.map { now.addingTimeInterval($0) }
    description = spec.description
    usages = spec.usages
    groups = spec.groups
  }

  /// A token with every field given.
  public init(
    token: BootstrapToken, expiration: Date?, description: String = "",
    usages: [String] = ["signing", "authentication"],
    groups: [String] = [BootstrapTokenSecret.defaultNodeTokenGroup]
  ) {
    self.token = token
    self.expiration = expiration
    self.description = description
    self.usages = usages
    self.groups = groups
  }

  /// The token of a stored Secret; nil when it is not a well-formed bootstrap-token Secret.
  public init?(secret: JSONValue) {
    guard secret["type"]?.string == Self.type,
      let name = ClusterObjects.name(secret), name.hasPrefix("bootstrap-token-")
    else { return nil }
    let data = ClusterObjects.secretStrings(secret)
    guard let id = data["token-id"], let tokenSecret = data["token-secret"],
      let token = BootstrapToken(id + "." + tokenSecret), name == token.secretName
    else { return nil }
    self.token = token
    expiration = data["expiration"].flatMap(ClusterClock.parse)
    description = data["description"] ?? ""
    usages = Self.usageOrder.filter { data["usage-bootstrap-" + $0] == "true" }
    groups = (data["auth-extra-groups"] ?? "").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    uid = ClusterObjects.uid(secret)
  }

  /// The usages kubeadm knows, in the order `token list` prints them.
  static let usageOrder = ["authentication", "signing"]

  /// The Secret's path.
  public var path: String { Self.path(id: token.id) }

  /// The path of token `id`'s Secret.
  public static func path(id: String) -> String {
    ClusterObjects.secretPath(ClusterObjects.kubeSystem, "bootstrap-token-" + id)
  }

  /// kube-system's Secrets (where `token list` looks).
  public static let collectionPath = KubeAPIPath.collection(
    apiVersion: "v1", resource: "secrets", namespace: ClusterObjects.kubeSystem)

  /// What `token list` asks for: kube-system's Secrets of the bootstrap-token type (the
  /// field selector as client-go encodes it; the lab's server ignores it, the reader filters).
  public static let listPath =
    collectionPath + "?fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken"

  /// Whether it has expired at `now`.
  public func isExpired(at now: Date) -> Bool { expiration.map { $0 <= now } ?? false }

  /// The Secret object.
  public var object: JSONValue {
    var data: [String: String] = ["token-id": token.id, "token-secret": token.secret]
    if let expiration { data["expiration"] = ClusterClock.rfc3339(expiration) }
    if !description.isEmpty { data["description"] = description }
    for usage in usages { data["usage-bootstrap-" + usage] = "true" }
    if !groups.isEmpty { data["auth-extra-groups"] = groups.joined(separator: ",") }
    return .object([
      "apiVersion": .string("v1"), "kind": .string("Secret"),
      "metadata": ClusterObjects.metadata(
        name: token.secretName, namespace: ClusterObjects.kubeSystem),
      "type": .string(Self.type),
      "data": ClusterObjects.secretData(data.mapValues { Array($0.utf8) }),
    ])
  }
}
