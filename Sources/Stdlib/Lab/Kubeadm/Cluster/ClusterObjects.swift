import Foundation

/// Where kubeadm's API objects live and the small pieces every object builder shares: the
/// namespaces, REST paths, and the `metadata`/`data` helpers. The builders beside this file
/// (`BootstrapTokenSecret`, `ClusterInfoConfigMap`, `KubeadmConfigMap`, `KubeletConfigMap`,
/// `KubeadmCertsSecret`, `ClusterNode`, `MirrorPod`, `KubeadmAddons`) make the objects as
/// kubeadm v1.31/v1.32 makes them, and read them back for `join`, `token list` and `reset`.
public enum ClusterObjects {
  /// `kube-system`.
  public static let kubeSystem = "kube-system"
  /// `kube-public`.
  public static let kubePublic = "kube-public"

  /// A Secret's path.
  public static func secretPath(_ namespace: String, _ name: String) -> String {
    KubeAPIPath.object(apiVersion: "v1", resource: "secrets", namespace: namespace, name: name)
  }

  /// A ConfigMap's path.
  public static func configMapPath(_ namespace: String, _ name: String) -> String {
    KubeAPIPath.object(apiVersion: "v1", resource: "configmaps", namespace: namespace, name: name)
  }

  /// A Node's path.
  public static func nodePath(_ name: String) -> String {
    KubeAPIPath.object(apiVersion: "v1", resource: "nodes", namespace: nil, name: name)
  }

  /// A Pod's path in kube-system.
  public static func podPath(_ name: String) -> String {
    KubeAPIPath.object(apiVersion: "v1", resource: "pods", namespace: kubeSystem, name: name)
  }

  /// `metadata` with a name, a namespace (nil for cluster-scoped objects) and labels.
  static func metadata(
    name: String, namespace: String?, labels: [String: String] = [:],
    annotations: [String: String] = [:]
  ) -> JSONValue {
    var metadata: JSONValue = .object(["name": .string(name)])
    if let namespace { metadata["namespace"] = .string(namespace) }
    if !labels.isEmpty { metadata["labels"] = strings(labels) }
    if !annotations.isEmpty { metadata["annotations"] = strings(annotations) }
    return metadata
  }

  /// A string map as JSON.
  static func strings(_ map: [String: String]) -> JSONValue {
    .object(map.mapValues { .string($0) })
  }

  /// A string map read from JSON (non-strings left out).
  static func stringMap(_ value: JSONValue?) -> [String: String] {
    (value?.object ?? [:]).compactMapValues(\.string)
  }

  /// A Secret's `data` as base64 values.
  static func secretData(_ data: [String: [UInt8]]) -> JSONValue {
    .object(data.mapValues { .string(Data($0).base64EncodedString()) })
  }

  /// A Secret's `data` decoded (values that are not base64 left out).
  static func secretBytes(_ secret: JSONValue) -> [String: [UInt8]] {
    stringMap(secret["data"]).compactMapValues { Data(base64Encoded: $0).map { Array($0) } }
  }

  /// A Secret's `data` decoded as text.
  static func secretStrings(_ secret: JSONValue) -> [String: String] {
    secretBytes(secret).mapValues { String(decoding: $0, as: UTF8.self) }
  }

  /// An object's `metadata.name`.
  static func name(_ object: JSONValue) -> String? { object[path: ["metadata", "name"]]?.string }

  /// An object's `metadata.uid` (set by the server).
  static func uid(_ object: JSONValue) -> String? { object[path: ["metadata", "uid"]]?.string }
}
