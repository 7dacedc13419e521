import Foundation
import Yams

/// What the lab kubelet reads from a static-pod manifest (`/etc/kubernetes/manifests/*.yaml`):
/// the pod's name, its one container's name, image and command, and the readiness probe.
/// Everything else in the file (volumes, resources, liveness) is kubeadm's and is ignored.
public struct StaticPodManifest: Sendable, Equatable {
  /// An HTTP(S) readiness probe (`readinessProbe.httpGet`).
  public struct Probe: Sendable, Equatable {
    /// `HTTP` or `HTTPS`.
    public var scheme: String
    /// The host (empty: the node's address).
    public var host: String
    /// The port.
    public var port: Int
    /// The path (`/readyz`).
    public var path: String
  }

  /// `metadata.name` (`etcd`, `kube-apiserver`).
  public var name: String
  /// `metadata.namespace` (`kube-system`).
  public var namespace: String
  /// The container's name.
  public var container: String
  /// The container's image (`registry.k8s.io/etcd:3.5.16-0`).
  public var image: String
  /// `command` followed by `args`.
  public var command: [String]
  /// The container's readiness probe, if it has an HTTP one.
  public var readiness: Probe?

  /// The image's name without registry or tag: `etcd` for `registry.k8s.io/etcd:3.5.16-0`.
  public var imageName: String {
    let last = image.split(separator: "/").last.map(String.init) ?? image
    return String(last.split(separator: "@").first?.split(separator: ":").first ?? "")
  }

  /// Reads a manifest; the error says what is missing or malformed.
  public static func parse(_ text: String) throws -> StaticPodManifest {
    let document: Any?
    do {
      document = try Yams.load(yaml: text)
    } catch {
      throw LabError("not YAML: \(error)")
    }
    guard let pod = document as? [String: Any] else { throw LabError("not a YAML mapping") }
    guard (pod["kind"] as? String) == "Pod" else { throw LabError("kind is not Pod") }
    let metadata = pod["metadata"] as? [String: Any] ?? [:]
    guard let name = metadata["name"] as? String, !name.isEmpty else {
      throw LabError("metadata.name is missing")
    }
    let spec = pod["spec"] as? [String: Any] ?? [:]
    guard let containers = spec["containers"] as? [[String: Any]], let first = containers.first
    else { throw LabError("spec.containers is missing") }
    let command = (first["command"] as? [Any] ?? []) + (first["args"] as? [Any] ?? [])
    let words = command.map { "\($0)" }
    guard !words.isEmpty else { throw LabError("the container has no command") }
    var probe: Probe?
    if let readiness = first["readinessProbe"] as? [String: Any],
      let get = readiness["httpGet"] as? [String: Any], let port = get["port"] as? Int
    {
      probe = Probe(
        scheme: (get["scheme"] as? String ?? "HTTP").uppercased(),
        host: get["host"] as? String ?? "", port: port, path: get["path"] as? String ?? "/")
    }
    return StaticPodManifest(
      name: name, namespace: metadata["namespace"] as? String ?? "default",
      container: first["name"] as? String ?? name, image: first["image"] as? String ?? "",
      command: words, readiness: probe)
  }
}
