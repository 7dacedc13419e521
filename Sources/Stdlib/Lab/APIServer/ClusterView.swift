import Crypto
import Foundation

/// What the kubelets and the CNI would have written, computed when a client reads: the lab
/// runs no kubelet networking, so a node's `Ready` condition and the CNI's pods follow from
/// whether a CNI has been applied.
///
/// **What counts as a CNI**: a DaemonSet in namespace `kube-flannel`, `calico-system`,
/// `tigera-operator` or `cilium`, or one in `kube-system` other than kubeadm's `kube-proxy`
/// (flannel, calico, cilium, weave, canal and kube-router manifests all make one). Until one
/// exists every node is `NotReady` with the kubelet's "cni plugin not initialized" message;
/// then `Ready`. A node whose stored Ready condition is `Unknown` (its host is down) keeps it.
/// Each CNI DaemonSet shows one Running pod per node, `<daemonset>-<5 characters>`.
struct ClusterView: Sendable {
  let storage: ObjectStorage

  static let cniNamespaces: Set<String> = [
    "kube-flannel", "calico-system", "tigera-operator", "cilium",
  ]

  /// Whether `daemonSet` is a CNI's.
  static func isCNI(_ daemonSet: JSONValue) -> Bool {
    let namespace = daemonSet[path: ["metadata", "namespace"]]?.string ?? ""
    let name = daemonSet[path: ["metadata", "name"]]?.string ?? ""
    return cniNamespaces.contains(namespace) || (namespace == "kube-system" && name != "kube-proxy")
  }

  /// The CNI DaemonSets applied so far.
  func cniDaemonSets() async throws(APIStatusError) -> [JSONValue] {
    let all = ResourceRef(
      group: "apps", version: "v1", resource: "daemonsets", namespace: nil, name: nil)
    return try await storage.list(all).filter(Self.isCNI)
  }

  /// `objects` of `resource` as clients see them: nodes with their Ready condition; for a
  /// pod list, the CNI's pods added.
  func decorate(_ objects: [JSONValue], _ resource: ResourceRef) async throws(APIStatusError)
    -> [JSONValue]
  {
    guard resource.group.isEmpty, resource.resource == "nodes" || resource.resource == "pods"
    else { return objects }
    let daemonSets = try await cniDaemonSets()
    if resource.resource == "nodes" {
      let ready = !daemonSets.isEmpty
      return objects.map { Self.withReadiness($0, ready: ready) }
    }
    guard resource.name == nil, !daemonSets.isEmpty else { return objects }
    let nodeList = ResourceRef(
      group: "", version: "v1", resource: "nodes", namespace: nil, name: nil)
    let nodes = try await storage.list(nodeList)
    var pods = objects
    for daemonSet in daemonSets {
      let namespace = daemonSet[path: ["metadata", "namespace"]]?.string ?? ""
      guard resource.namespace == nil || resource.namespace == namespace else { continue }
      for node in nodes { pods.append(Self.pod(of: daemonSet, on: node)) }
    }
    return pods
  }

  /// A node with the Ready condition a kubelet would report.
  static func withReadiness(_ node: JSONValue, ready: Bool) -> JSONValue {
    var node = node
    var conditions = node[path: ["status", "conditions"]]?.array ?? []
    if let index = conditions.firstIndex(where: { $0["type"]?.string == "Ready" }) {
      if conditions[index]["status"]?.string == "Unknown" { return node }
      conditions.remove(at: index)
    }
    let time = node[path: ["metadata", "creationTimestamp"]] ?? .string("")
    conditions.append(
      .object([
        "type": .string("Ready"), "status": .string(ready ? "True" : "False"),
        "reason": .string(ready ? "KubeletReady" : "KubeletNotReady"),
        "message": .string(
          ready
            ? "kubelet is posting ready status"
            : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"
        ),
        "lastHeartbeatTime": time, "lastTransitionTime": time,
      ]))
    if node["status"]?.object == nil { node["status"] = .object([:]) }
    node["status"]?["conditions"] = .array(conditions)
    return node
  }

  /// The pod `daemonSet` runs on `node`: a stable five-character suffix from both names.
  static func pod(of daemonSet: JSONValue, on node: JSONValue) -> JSONValue {
    let name = daemonSet[path: ["metadata", "name"]]?.string ?? "cni"
    let nodeName = node[path: ["metadata", "name"]]?.string ?? ""
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    let digest = Array(SHA256.hash(data: Array((name + "/" + nodeName).utf8)))
    let suffix = String(digest.prefix(5).map { alphabet[Int($0) % alphabet.count] })
    let containers = daemonSet[path: ["spec", "template", "spec", "containers"]]?.array ?? []
    let created =
      [daemonSet, node].compactMap { $0[path: ["metadata", "creationTimestamp"]]?.string }
      .max() ?? ""
    return .object([
      "apiVersion": .string("v1"), "kind": .string("Pod"),
      "metadata": .object([
        "name": .string(name + "-" + suffix),
        "namespace": daemonSet[path: ["metadata", "namespace"]] ?? .string("kube-system"),
        "creationTimestamp": .string(created),
        "ownerReferences": .array([
          .object([
            "apiVersion": .string("apps/v1"), "kind": .string("DaemonSet"), "name": .string(name),
            "controller": .bool(true),
          ])
        ]),
      ]),
      "spec": .object(["nodeName": .string(nodeName), "containers": .array(containers)]),
      "status": .object([
        "phase": .string("Running"),
        "containerStatuses": .array(
          containers.map {
            .object([
              "name": $0["name"] ?? .string(""), "ready": .bool(true),
              "restartCount": .number(0),
            ])
          }),
      ]),
    ])
  }
}
