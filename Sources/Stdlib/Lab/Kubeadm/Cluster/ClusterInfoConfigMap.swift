import Foundation
import Yams

/// The `kube-public/cluster-info` ConfigMap `kubeadm init` creates for token discovery: key
/// `kubeconfig`, a one-cluster kubeconfig with the endpoint and the embedded CA and no user
/// (cluster name `""`, as kubeadm's `CreateBootstrapConfigMapIfNotExists` writes it), plus the
/// `jws-kubeconfig-<id>` signatures the bootstrap signer adds (LAB-FIDELITY §6.1).
public struct ClusterInfoConfigMap: Sendable, Equatable {
  /// `https://host:port` (the control-plane endpoint, else the init node's API server).
  public var server: String
  /// The cluster CA certificate (PEM).
  public var certificateAuthorityPEM: String
  /// `jws-kubeconfig-<id>` → detached JWS, as read from the server.
  public var signatures: [String: String] = [:]
  /// The exact `kubeconfig` text (what the signatures sign).
  public var kubeconfig: String

  /// The ConfigMap for `server` and the CA.
  public init(server: String, certificateAuthorityPEM: String) {
    self.server = server
    self.certificateAuthorityPEM = certificateAuthorityPEM
    kubeconfig = Self.kubeconfigText(server: server, caPEM: certificateAuthorityPEM)
  }

  /// The ConfigMap as stored; nil when it has no readable `kubeconfig`.
  public init?(configMap: JSONValue) {
    guard let text = configMap["data"]?["kubeconfig"]?.string,
      let node = try? Yams.compose(yaml: text),
      let cluster = JSONValue(yaml: node)["clusters"]?.array?.first?["cluster"],
      let server = cluster["server"]?.string,
      let encoded = cluster["certificate-authority-data"]?.string,
      let ca = Data(base64Encoded: encoded)
    else { return nil }
    kubeconfig = text
    self.server = server
    certificateAuthorityPEM = String(decoding: ca, as: UTF8.self)
    for (key, value) in ClusterObjects.stringMap(configMap["data"])
    where key.hasPrefix("jws-kubeconfig-") {
      signatures[String(key.dropFirst("jws-kubeconfig-".count))] = value
    }
  }

  /// The ConfigMap's path.
  public static let path = ClusterObjects.configMapPath(ClusterObjects.kubePublic, "cluster-info")

  /// The ConfigMap object (without signatures: the API server's signer adds them).
  public var object: JSONValue {
    .object([
      "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
      "metadata": ClusterObjects.metadata(
        name: "cluster-info", namespace: ClusterObjects.kubePublic),
      "data": .object(["kubeconfig": .string(kubeconfig)]),
    ])
  }

  /// Whether the signature for `token` is present and valid (the JWS check of discovery).
  public func isSigned(by token: BootstrapToken) -> Bool {
    signatures[token.id]
      == BootstrapTokens.detachedJWS(
        content: kubeconfig, tokenID: token.id, tokenSecret: token.secret)
  }

  /// The kubeconfig text kubeadm stores.
  static func kubeconfigText(server: String, caPEM: String) -> String {
    """
    apiVersion: v1
    clusters:
    - cluster:
        certificate-authority-data: \(Data(caPEM.utf8).base64EncodedString())
        server: \(server)
      name: ""
    contexts: null
    current-context: ""
    kind: Config
    preferences: {}
    users: null

    """
  }
}
