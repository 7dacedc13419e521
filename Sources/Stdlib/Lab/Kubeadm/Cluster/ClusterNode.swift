import Foundation
import Yams

/// A Node object as a kubelet registers it and kubeadm's mark-control-plane phase labels and
/// taints it: labels `kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch` (and
/// their `beta.` forms), for a control plane `node-role.kubernetes.io/control-plane: ""` and
/// `node.kubernetes.io/exclude-from-external-load-balancers: ""` with the taint
/// `node-role.kubernetes.io/control-plane:NoSchedule`; kubeadm's `cri-socket` annotation; the
/// node's address and kubelet version. Its Ready condition is the API server's to compute
/// (NotReady until a CNI is applied).
public struct ClusterNode: Sendable, Equatable {
  /// The label that makes a control plane.
  public static let controlPlaneLabel = "node-role.kubernetes.io/control-plane"
  /// The label that keeps a control plane out of external load balancers.
  public static let excludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers"

  /// The node name.
  public var name: String
  /// Its InternalIP.
  public var address: String
  /// Whether it is a control plane (labels and taint).
  public var controlPlane: Bool
  /// `status.nodeInfo.kubeletVersion` (`v1.32.0`).
  public var kubeletVersion: String
  /// The server's uid, once stored (mirror pods' owner reference names it).
  public var uid: String?
  /// Every label, as read from the server (for a node built here: computed from the fields).
  public var labels: [String: String]

  /// A node.
  public init(name: String, address: String, controlPlane: Bool, kubeletVersion: String) {
    self.name = name
    self.address = address
    self.controlPlane = controlPlane
    self.kubeletVersion = kubeletVersion
    var labels = [
      "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
    ]
    if controlPlane {
      labels[Self.controlPlaneLabel] = ""
      labels[Self.excludeLabel] = ""
    }
    self.labels = labels
  }

  /// A stored Node; nil without a name.
  public init?(node: JSONValue) {
    guard let name = ClusterObjects.name(node) else { return nil }
    self.name = name
    labels = ClusterObjects.stringMap(node[path: ["metadata", "labels"]])
    controlPlane = labels[Self.controlPlaneLabel] != nil
    address =
      node[path: ["status", "addresses"]]?.array?.first { $0["type"]?.string == "InternalIP" }?[
        "address"]?.string ?? ""
    kubeletVersion = node[path: ["status", "nodeInfo", "kubeletVersion"]]?.string ?? ""
    uid = ClusterObjects.uid(node)
  }

  /// The node's path.
  public var path: String { ClusterObjects.nodePath(name) }

  /// The nodes' collection.
  public static let collectionPath = KubeAPIPath.collection(
    apiVersion: "v1", resource: "nodes", namespace: nil)

  /// The Node object.
  public var object: JSONValue {
    var spec: JSONValue = .object([:])
    if controlPlane {
      spec["taints"] = .array([
        .object(["effect": .string("NoSchedule"), "key": .string(Self.controlPlaneLabel)])
      ])
    }
    return .object([
      "apiVersion": .string("v1"), "kind": .string("Node"),
      "metadata": ClusterObjects.metadata(
        name: name, namespace: nil, labels: labels,
        annotations: [
          "kubeadm.alpha.kubernetes.io/cri-socket": KubeletFiles.defaultCRISocket,
          "node.alpha.kubernetes.io/ttl": "0",
          "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ]),
      "spec": spec,
      "status": .object([
        "addresses": .array([
          .object(["type": .string("InternalIP"), "address": .string(address)]),
          .object(["type": .string("Hostname"), "address": .string(name)]),
        ]),
        "nodeInfo": .object([
          "architecture": .string("amd64"), "operatingSystem": .string("linux"),
          "osImage": .string("haflow rehearsal lab"), "kernelVersion": .string(""),
          "containerRuntimeVersion": .string("containerd://1.7.24"),
          "kubeletVersion": .string(kubeletVersion),
          "kubeProxyVersion": .string(kubeletVersion),
        ]),
      ]),
    ])
  }
}

/// The mirror Pod a kubelet registers for a static pod: the manifest's Pod named
/// `<name>-<node>`, with `kubernetes.io/config.mirror` and `config.source: file`
/// annotations, `spec.nodeName`, the Node as owner, and a Running status with ready
/// containers (`kubectl get pods -n kube-system` shows `etcd-cp1 1/1 Running`).
public enum MirrorPod {
  /// The mirror Pod of the static pod `manifest` (its YAML) on `node`; nil when the manifest
  /// is not a Pod with a name.
  public static func object(manifest: String, node: ClusterNode) -> JSONValue? {
    guard let parsed = try? YAMLParsing.json(manifest), parsed["kind"]?.string == "Pod",
      let base = ClusterObjects.name(parsed)
    else { return nil }
    var pod = parsed
    let name = base + "-" + node.name
    pod["metadata"]?["name"] = .string(name)
    pod["metadata"]?["namespace"] = .string(ClusterObjects.kubeSystem)
    pod["metadata"]?["creationTimestamp"] = nil
    var annotations = ClusterObjects.stringMap(pod[path: ["metadata", "annotations"]])
    let hash = ClusterView.suffix(manifest, 10)
    annotations["kubernetes.io/config.hash"] = hash
    annotations["kubernetes.io/config.mirror"] = hash
    annotations["kubernetes.io/config.source"] = "file"
    pod["metadata"]?["annotations"] = ClusterObjects.strings(annotations)
    pod["metadata"]?["ownerReferences"] = .array([
      .object([
        "apiVersion": .string("v1"), "kind": .string("Node"), "name": .string(node.name),
        "uid": .string(node.uid ?? ""), "controller": .bool(true),
      ])
    ])
    pod["spec"]?["nodeName"] = .string(node.name)
    let containers = pod[path: ["spec", "containers"]]?.array ?? []
    pod["status"] = .object([
      "phase": .string("Running"), "hostIP": .string(node.address), "podIP": .string(node.address),
      "containerStatuses": .array(
        containers.map {
          .object([
            "name": $0["name"] ?? .string(""), "image": $0["image"] ?? .string(""),
            "ready": .bool(true), "restartCount": .number(0), "started": .bool(true),
          ])
        }),
    ])
    return pod
  }

  /// The path of `component`'s mirror pod on `node` (`etcd-cp1`).
  public static func path(component: String, node: String) -> String {
    ClusterObjects.podPath(component + "-" + node)
  }
}

/// YAML text as a JSON value (a manifest, a kubeconfig).
enum YAMLParsing {
  static func json(_ text: String) throws -> JSONValue {
    guard let node = try Yams.compose(yaml: text) else { return .null }
    return JSONValue(yaml: node)
  }
}
