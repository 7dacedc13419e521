/// What `haflow rehearse` decides before anything starts: the lab's shape, from the playbook's
/// groups and the flags, and the values of the params that name lab things. Language-free:
/// the command hands over what the playbook declares and uses.
public enum RehearsalPlan {
  /// Params that name the control-plane endpoint: they get `<lb address>:6443`.
  public static let endpointParams = ["control_plane_endpoint", "endpoint"]
  /// Params that name the CNI manifest: they get one the lab serves (``LabManifests``).
  public static let cniParams = ["cni_manifest"]

  /// A `param` of the playbook, as far as the plan cares.
  public struct DeclaredParam: Sendable, Equatable {
    /// Its name.
    public var name: String
    /// Its default when that is a constant text (`"https://…/kube-flannel.yml"`); nil when it
    /// has none or one computed at run time.
    public var constantDefault: String?
    /// Makes one.
    public init(name: String, constantDefault: String? = nil) {
      self.name = name
      self.constantDefault = constantDefault
    }
  }

  /// A value the lab gives a param, and why (for the progress line).
  public struct LabParam: Sendable, Equatable {
    /// The param.
    public var name: String
    /// Its value; nil: the playbook's own default is kept (the lab serves what it names).
    public var value: String?
    /// What the value is, in a few words.
    public var note: String
  }

  /// The lab's shape: `--topology` when given (with the count flags), else external when the
  /// playbook names the `etcd` group or `--etcd` asks for etcd hosts, else stacked.
  public static func shape(
    topology: String?, usesEtcdGroup: Bool, controlPlanes: Int? = nil, workers: Int? = nil,
    etcd: Int? = nil
  ) throws -> LabShape {
    var name = topology
    if name == nil { name = usesEtcdGroup && (etcd ?? 3) > 0 ? "external" : "stacked" }
    return try LabShape.named(name, controlPlanes: controlPlanes, workers: workers, etcd: etcd)
  }

  /// A host of a lab to come, with its inventory groups: what a playbook's names are checked
  /// against before the lab starts.
  public typealias PlannedHost = (name: String, groups: [String])

  /// The lab a playbook gets, and the host and group names it writes that this lab lacks
  /// (none: it fits).
  public struct Fit: Sendable {
    /// The lab's shape.
    public var shape: LabShape
    /// Names the playbook writes that the lab does not have, in order of appearance.
    public var missing: [String]
  }

  /// Shapes the lab for a playbook. `missingNames` says which host and group names the
  /// playbook writes that given hosts lack (the command asks the checker); it is asked once
  /// with a stacked lab that has no `etcd` group — naming `etcd` there means the playbook
  /// wants etcd hosts — and once with the chosen lab's hosts, whose answer is ``Fit/missing``.
  public static func fit(
    topology: String?, controlPlanes: Int? = nil, workers: Int? = nil, etcd: Int? = nil,
    missingNames: ([PlannedHost]) throws -> [String]
  ) throws -> Fit {
    var probe = hosts(of: try LabShape.named("stacked"))
    for index in probe.indices { probe[index].groups.removeAll { $0 == "etcd" } }
    let usesEtcdGroup = try missingNames(probe).contains("etcd")
    let chosen = try shape(
      topology: topology, usesEtcdGroup: usesEtcdGroup, controlPlanes: controlPlanes,
      workers: workers, etcd: etcd)
    return Fit(shape: chosen, missing: try missingNames(hosts(of: chosen)))
  }

  /// The hosts of a lab of `shape` and their groups, as its inventories write them.
  public static func hosts(of shape: LabShape) -> [PlannedHost] {
    shape.names.map { ($0, shape.inventoryGroups(of: $0)) }
  }

  /// The values the lab gives: only for params the playbook declares and `-p` does not set.
  /// The endpoint always comes from the lab (a default naming another load balancer would
  /// send the rehearsal elsewhere); a CNI manifest keeps the playbook's default when the lab
  /// serves a file of that name, else gets the lab's flannel.
  public static func params(
    declared: [DeclaredParam], given: Set<String>, endpoint: String
  ) -> [LabParam] {
    declared.compactMap { param in
      guard !given.contains(param.name) else { return nil }
      if endpointParams.contains(param.name) {
        return LabParam(name: param.name, value: endpoint, note: "haproxy on lb")
      }
      if cniParams.contains(param.name) {
        if let current = param.constantDefault, LabManifests.serves(current) {
          return LabParam(
            name: param.name, value: nil, note: "the playbook's default, the lab's copy")
        }
        return LabParam(
          name: param.name, value: LabManifests.cniURL, note: "flannel, the lab's copy")
      }
      return nil
    }
  }
}

extension LabShape {
  /// The inventory groups `host` is in (`lab` first), as the lab's inventories write them.
  public func inventoryGroups(of host: String) -> [String] {
    groups.filter { $0.1.contains(host) }.map(\.0)
  }
}
