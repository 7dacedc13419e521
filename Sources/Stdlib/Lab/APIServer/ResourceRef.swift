/// What a REST path names: `/api/v1/namespaces/kube-system/secrets/x`,
/// `/apis/apps/v1/namespaces/kube-system/daemonsets`, `/api/v1/nodes/cp1`.
struct ResourceRef: Sendable, Equatable {
  /// The API group; empty for the core group.
  var group: String
  /// `v1`, `v1beta1`.
  var version: String
  /// The plural resource, `configmaps`.
  var resource: String
  /// The namespace, nil for cluster-scoped resources and all-namespace lists.
  var namespace: String?
  /// The object's name, nil for a collection.
  var name: String?

  /// `configmaps`, `daemonsets.apps`: how Kubernetes names a resource in messages.
  var qualified: String { group.isEmpty ? resource : resource + "." + group }

  /// `v1`, `apps/v1`.
  var apiVersion: String { group.isEmpty ? version : group + "/" + version }

  /// The etcd key of the object (`/registry/secrets/kube-system/x`; non-core groups add
  /// theirs: `/registry/apps/daemonsets/kube-system/x`).
  var key: String {
    var key = storagePrefix
    if let namespace { key += namespace + "/" }
    return key + (name ?? "")
  }

  /// The etcd prefix of the resource: `/registry/secrets/`.
  var storagePrefix: String {
    group.isEmpty ? "/registry/\(resource)/" : "/registry/\(group)/\(resource)/"
  }

  /// The prefix a list reads: one namespace, or all.
  var listPrefix: String {
    guard let namespace else { return storagePrefix }
    return storagePrefix + namespace + "/"
  }

  /// Parses a path; nil when it is not a resource path.
  static func parse(_ path: String) -> ResourceRef? {
    var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    guard !parts.isEmpty else { return nil }
    let group: String
    if parts[0] == "api" {
      group = ""
      parts.removeFirst()
    } else if parts[0] == "apis", parts.count >= 2 {
      group = parts[1]
      parts.removeFirst(2)
    } else {
      return nil
    }
    guard let version = parts.first else { return nil }
    parts.removeFirst()
    if parts.count >= 3, parts[0] == "namespaces" {
      guard parts.count <= 4 else { return nil }
      return ResourceRef(
        group: group, version: version, resource: parts[2], namespace: parts[1],
        name: parts.count == 4 ? parts[3] : nil)
    }
    guard (1...2).contains(parts.count) else { return nil }
    return ResourceRef(
      group: group, version: version, resource: parts[0], namespace: nil,
      name: parts.count == 2 ? parts[1] : nil)
  }
}
