import Foundation

/// The `kube-system/kubeadm-certs` Secret `upload-certs` stores: the shared CA files, each
/// encrypted with the certificate key (`UploadedCerts`), owned by the short-lived token's
/// Secret so that the garbage collector deletes it when that token expires two hours later
/// (LAB-FIDELITY §6.2: one controller reference, `blockOwnerDeletion: true`).
public struct KubeadmCertsSecret: Sendable, Equatable {
  /// Secret data key → `nonce ‖ ciphertext ‖ tag` (empty for a file that was missing).
  public var data: [String: [UInt8]]
  /// The owning token Secret's name (`bootstrap-token-<id>`), if any.
  public var ownerName: String?
  /// The owning token Secret's uid.
  public var ownerUID: String?

  /// The Secret for already-encrypted `data`, owned by `owner` (a stored token Secret).
  public init(data: [String: [UInt8]], owner: BootstrapTokenSecret?) {
    self.data = data
    ownerName = owner?.token.secretName
    ownerUID = owner?.uid
  }

  /// The files `host` shares for `cluster`, encrypted with `key`, owned by `owner`.
  public static func upload(
    host: KubeadmHost, cluster: ClusterConfiguration, key: CertificateKey,
    owner: BootstrapTokenSecret?
  ) throws -> KubeadmCertsSecret {
    KubeadmCertsSecret(
      data: try UploadedCerts.secretData(host: host, cluster: cluster, key: key), owner: owner)
  }

  /// The Secret as stored; nil when it is not kubeadm-certs.
  public init?(secret: JSONValue) {
    guard ClusterObjects.name(secret) == "kubeadm-certs" else { return nil }
    data = ClusterObjects.secretBytes(secret)
    let owner = secret[path: ["metadata", "ownerReferences"]]?.array?.first
    ownerName = owner?["name"]?.string
    ownerUID = owner?["uid"]?.string
  }

  /// The Secret's path.
  public static let path = ClusterObjects.secretPath(ClusterObjects.kubeSystem, "kubeadm-certs")

  /// The Secret object.
  public var object: JSONValue {
    var metadata = ClusterObjects.metadata(
      name: "kubeadm-certs", namespace: ClusterObjects.kubeSystem)
    if let ownerName {
      metadata["ownerReferences"] = .array([
        .object([
          "apiVersion": .string("v1"), "kind": .string("Secret"), "name": .string(ownerName),
          "uid": .string(ownerUID ?? ""), "controller": .bool(true),
          "blockOwnerDeletion": .bool(true),
        ])
      ])
    }
    return .object([
      "apiVersion": .string("v1"), "kind": .string("Secret"), "metadata": metadata,
      "type": .string("Opaque"), "data": ClusterObjects.secretData(data),
    ])
  }

  /// Decrypts and writes the files as a joining control plane does (`UploadedCerts.install`).
  public func install(host: KubeadmHost, cluster: ClusterConfiguration, key: CertificateKey)
    throws -> [String]
  {
    try UploadedCerts.install(data, host: host, cluster: cluster, key: key)
  }
}
