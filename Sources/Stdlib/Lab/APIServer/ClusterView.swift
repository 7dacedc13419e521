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
/// Each DaemonSet shows one Running pod per node, `<daemonset>-<5 characters>`; each
/// Deployment its replicas, `<name>-<10 characters>-<5 characters>`, Pending until a CNI.
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

  /// Every DaemonSet, in any namespace.
  func daemonSets() async throws(APIStatusError) -> [JSONValue] {
    try await storage.list(
      ResourceRef(group: "apps", version: "v1", resource: "daemonsets", namespace: nil, name: nil))
  }

  /// `objects` of `resource` as clients see them: nodes with their Ready condition; for a
  /// pod list, the pods the controllers would have made: one per node for each DaemonSet
  /// (kube-proxy, the CNI's; Running), and `spec.replicas` for each Deployment (CoreDNS:
  /// Pending until a CNI exists, unless on the host network).
  func decorate(_ objects: [JSONValue], _ resource: ResourceRef) async throws(APIStatusError)
    -> [JSONValue]
  {
    guard resource.group.isEmpty, resource.resource == "nodes" || resource.resource == "pods"
    else { return objects }
    let daemonSets = try await daemonSets()
    let networked = daemonSets.contains(where: Self.isCNI)
    if resource.resource == "nodes" {
      return objects.map { Self.withReadiness($0, ready: networked) }
    }
    guard resource.name == nil else { return objects }
    func wanted(_ object: JSONValue) -> Bool {
      resource.namespace == nil
        || resource.namespace == object[path: ["metadata", "namespace"]]?.string
    }
    var pods = objects
    let ownDaemonSets = daemonSets.filter(wanted)
    if !ownDaemonSets.isEmpty {
      let nodes = try await storage.list(
        ResourceRef(group: "", version: "v1", resource: "nodes", namespace: nil, name: nil))
      for daemonSet in ownDaemonSets {
        for node in nodes { pods.append(Self.pod(of: daemonSet, on: node)) }
      }
    }
    let deployments = try await storage.list(
      ResourceRef(group: "apps", version: "v1", resource: "deployments", namespace: nil, name: nil))
    for deployment in deployments where wanted(deployment) {
      pods += Self.pods(of: deployment, networked: networked)
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
    let created =
      [daemonSet, node].compactMap { $0[path: ["metadata", "creationTimestamp"]]?.string }.max()
      ?? ""
    return pod(
      name: name + "-" + suffix(name + "/" + nodeName, 5), owner: daemonSet, kind: "DaemonSet",
      nodeName: nodeName, created: created, running: true)
  }

  /// A Deployment's pods, `<name>-<template hash>-<5 characters>`.
  static func pods(of deployment: JSONValue, networked: Bool) -> [JSONValue] {
    let name = deployment[path: ["metadata", "name"]]?.string ?? "app"
    let replicas = min(max(deployment[path: ["spec", "replicas"]]?.int ?? 1, 0), 50)
    let template = deployment[path: ["spec", "template"]] ?? .null
    let hash = suffix(template.text, 10)
    let hostNetwork = template[path: ["spec", "hostNetwork"]] == .bool(true)
    let created = deployment[path: ["metadata", "creationTimestamp"]]?.string ?? ""
    return (0..<replicas).map { index in
      pod(
        name: "\(name)-\(hash)-" + suffix("\(name)/\(index)", 5), owner: deployment,
        kind: "ReplicaSet", nodeName: nil, created: created, running: networked || hostNetwork)
    }
  }

  /// `count` characters of Kubernetes' name alphabet, stable for `seed`.
  static func suffix(_ seed: String, _ count: Int) -> String {
    let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
    let digest = Array(SHA256.hash(data: Array(seed.utf8)))
    return String(digest.prefix(count).map { alphabet[Int($0) % alphabet.count] })
  }

  private static func pod(
    name: String, owner: JSONValue, kind: String, nodeName: String?, created: String,
    running: Bool
  ) -> JSONValue {
    let containers = owner[path: ["spec", "template", "spec", "containers"]]?.array ?? []
    var spec: JSONValue = .object(["containers": .array(containers)])
    if let nodeName { spec["nodeName"] = .string(nodeName) }
    var status: JSONValue = .object(["phase": .string(running ? "Running" : "Pending")])
    if running {
      status["containerStatuses"] = .array(
        containers.map {
          .object([
            "name": $0["name"] ?? .string(""), "ready": .bool(true), "restartCount": .number(0),
          ])
        })
    }
    return .object([
      "apiVersion": .string("v1"), "kind": .string("Pod"),
      "metadata": .object([
        "name": .string(name),
        "namespace": owner[path: ["metadata", "namespace"]] ?? .string("kube-system"),
        "creationTimestamp": .string(created),
        "ownerReferences": .array([
          .object([
            "apiVersion": .string("apps/v1"), "kind": .string(kind),
            "name": owner[path: ["metadata", "name"]] ?? .string(""), "controller": .bool(true),
          ])
        ]),
      ]),
      "spec": spec, "status": status,
    ])
  }
}
