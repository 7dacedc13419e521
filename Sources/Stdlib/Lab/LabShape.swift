/// The shape of a cluster lab: a load balancer `lb`, control planes `cp1…`, workers `w1…` and
/// external etcd hosts `etcd1…`, in that order (so a stacked and an external lab from the same
/// first address give `lb` and the control planes the same addresses).
///
/// `stacked` is kubeadm's HA recipe with etcd on the control planes (lb, cp1–3, w1–3);
/// `external` adds three etcd hosts. Any other counts make a `custom` shape; even counts are
/// allowed on purpose, so a playbook's quorum warning can be rehearsed.
public struct LabShape: Codable, Sendable, Equatable {
  /// `stacked`, `external`, or `custom`.
  public var topology: String
  /// How many control-plane hosts (at least 1).
  public var controlPlanes: Int
  /// How many workers.
  public var workers: Int
  /// How many dedicated etcd hosts (0: etcd stacked on the control planes).
  public var etcd: Int

  /// The port haproxy listens on, on `lb`'s address, and the API servers on theirs.
  public static let apiServerPort = 6443
  /// The load balancer's host name.
  public static let loadBalancer = "lb"

  /// A shape from counts; its topology name says whether it is one of the two recipes.
  public init(controlPlanes: Int, workers: Int, etcd: Int) {
    self.controlPlanes = controlPlanes
    self.workers = workers
    self.etcd = etcd
    topology =
      switch (controlPlanes, workers, etcd) {
      case (3, 3, 0): "stacked"
      case (3, 3, 3): "external"
      default: "custom"
      }
  }

  /// `--topology NAME`, with counts that override the topology's.
  public static func named(
    _ name: String?, controlPlanes: Int? = nil, workers: Int? = nil, etcd: Int? = nil
  ) throws -> LabShape {
    let base: LabShape
    switch name {
    case nil, "stacked": base = LabShape(controlPlanes: 3, workers: 3, etcd: 0)
    case "external": base = LabShape(controlPlanes: 3, workers: 3, etcd: 3)
    case let other?:
      throw LabError("unknown topology '\(other)'", hint: "use --topology stacked or external")
    }
    let shape = LabShape(
      controlPlanes: controlPlanes ?? base.controlPlanes, workers: workers ?? base.workers,
      etcd: etcd ?? base.etcd)
    guard shape.controlPlanes >= 1 else {
      throw LabError("--control-planes must be at least 1, not \(shape.controlPlanes)")
    }
    guard shape.workers >= 0, shape.etcd >= 0 else {
      throw LabError("--workers and --etcd cannot be negative")
    }
    guard shape.hostCount <= LabOptions.maxClusterHosts else {
      throw LabError(
        "that shape has \(shape.hostCount) hosts; a cluster lab has at most "
          + "\(LabOptions.maxClusterHosts)")
    }
    return shape
  }

  /// Every host: the load balancer, then the control planes, workers and etcd hosts.
  public var hostCount: Int { 1 + controlPlanes + workers + etcd }

  /// The host names, in address order.
  public var names: [String] {
    [LabShape.loadBalancer] + controlPlaneNames + workerNames + etcdNames
  }

  /// `cp1`, `cp2`, …
  public var controlPlaneNames: [String] { (0..<controlPlanes).map { "cp\($0 + 1)" } }
  /// `w1`, `w2`, …
  public var workerNames: [String] { (0..<workers).map { "w\($0 + 1)" } }
  /// `etcd1`, `etcd2`, … (none when etcd is stacked).
  public var etcdNames: [String] { (0..<etcd).map { "etcd\($0 + 1)" } }

  /// The inventory groups, in order. `etcd` is where the etcd members run: the dedicated
  /// hosts of an external topology, the control planes of a stacked one (as in kubeadm's
  /// docs and Ansible's kubespray), so a playbook can name it in either.
  var groups: [(String, [String])] {
    [
      ("lab", names), ("load_balancer", [LabShape.loadBalancer]),
      ("control_plane", controlPlaneNames), ("workers", workerNames), ("etcd", etcdMembers),
    ]
  }

  /// The hosts that run etcd members.
  public var etcdMembers: [String] { etcd > 0 ? etcdNames : controlPlaneNames }

  /// `stacked: lb, 3 control planes, 3 workers`.
  public var summary: String {
    var parts = [
      LabShape.loadBalancer, LabShape.count(controlPlanes, "control plane"),
      LabShape.count(workers, "worker"),
    ]
    if etcd > 0 { parts.append(LabShape.count(etcd, "etcd host")) }
    return topology + ": " + parts.joined(separator: ", ")
  }

  private static func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)" + (n == 1 ? "" : "s")
  }
}
