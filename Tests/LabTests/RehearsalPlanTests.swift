import Foundation
import Interpreter
import Lab
import Session
import Testing

/// `haflow rehearse`'s decisions that need no lab: the shape, the lab params, the manifests
/// the lab serves, and how the report reads nodes and expiry times.
@Suite struct RehearsalPlanTests {
  /// The shipped playbooks themselves (`playbooks/` at the package root), so the plan is
  /// checked against their real text and follows them when they change.
  /// `RehearseCommandTests` rehearses `etcd-cluster.hf` from here too.
  static let playbooks = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("playbooks").path

  /// The plan `haflow rehearse` makes for a shipped playbook: the checker
  /// answers which names the hosts lack, as in the command; and the lab params it gets.
  static func plan(_ name: String, topology: String? = nil) throws
    -> (fit: RehearsalPlan.Fit, params: [RehearsalPlan.LabParam])
  {
    let driver = Driver(sink: DiscardingSink())
    var outline: PlaybookOutline?
    let fit = try RehearsalPlan.fit(topology: topology) { hosts in
      let checked = driver.outline(path: playbooks + "/" + name, hosts: hosts)
      #expect(checked.outcome.exitCode == 0, "\(name) does not check: \(checked.outcome)")
      outline = checked
      return checked.missingNames
    }
    let declared = try #require(outline).params.map {
      RehearsalPlan.DeclaredParam(name: $0.name, constantDefault: $0.constantText)
    }
    return (fit, RehearsalPlan.params(declared: declared, given: [], endpoint: "127.0.0.60:6443"))
  }

  @Test func stackedEtcdPlaybookGetsAStackedLab() throws {
    let (fit, params) = try Self.plan("stacked-etcd.hf")
    #expect(fit.missing.isEmpty, "every host and group it names is in the lab")
    #expect(fit.shape.topology == "stacked")
    #expect(fit.shape.names == ["lb", "cp1", "cp2", "cp3", "w1", "w2", "w3"])
    #expect(fit.shape.etcd == 0 && fit.shape.etcdMembers == ["cp1", "cp2", "cp3"])
    let groups = Dictionary(
      uniqueKeysWithValues: RehearsalPlan.hosts(of: fit.shape).map { ($0.name, $0.groups) })
    #expect(groups["lb"] == ["lab", "load_balancer"])
    #expect(groups["cp1"] == ["lab", "control_plane", "etcd"], "stacked: etcd on the cps")
    #expect(groups["w3"] == ["lab", "workers"])
    // Its endpoint (default "": the inventory's) is haproxy on lb; its required cni_manifest
    // the lab's flannel; kubernetes_version, pod_network_cidr, … keep their defaults.
    #expect(params.map(\.name) == ["endpoint", "cni_manifest"])
    #expect(params.map(\.value) == ["127.0.0.60:6443", LabManifests.cniURL])
  }

  @Test func externalEtcdPlaybookGetsEtcdHosts() throws {
    let (fit, params) = try Self.plan("external-etcd.hf")
    #expect(fit.missing.isEmpty)
    #expect(fit.shape.topology == "external", "it names group(\"etcd\")")
    #expect(
      fit.shape.names == [
        "lb", "cp1", "cp2", "cp3", "w1", "w2", "w3", "etcd1", "etcd2", "etcd3",
      ])
    #expect(fit.shape.etcdMembers == ["etcd1", "etcd2", "etcd3"])
    let hosts = RehearsalPlan.hosts(of: fit.shape)
    #expect(hosts.filter { $0.groups.contains("etcd") }.map(\.name) == fit.shape.etcdMembers)
    #expect(hosts.filter { $0.groups.contains("load_balancer") }.map(\.name) == ["lb"])
    #expect(
      hosts.filter { $0.groups.contains("control_plane") }.map(\.name) == ["cp1", "cp2", "cp3"])
    #expect(params.map(\.name) == ["endpoint", "cni_manifest"])
    #expect(params.first?.value == "127.0.0.60:6443")

    // --topology stacked still fits it (a stacked lab's etcd group is its control planes).
    let stacked = try Self.plan("external-etcd.hf", topology: "stacked").fit
    #expect(stacked.shape.topology == "stacked" && stacked.missing.isEmpty)
  }

  @Test func etcdClusterPlaybookGetsEtcdHostsAndNoLabParams() throws {
    let (fit, params) = try Self.plan("etcd-cluster.hf")
    #expect(fit.missing.isEmpty)
    #expect(fit.shape.topology == "external")
    #expect(fit.shape.etcdMembers == ["etcd1", "etcd2", "etcd3"])
    #expect(params.isEmpty, "it declares no endpoint and no CNI manifest")
  }

  @Test func fitAsksTheStackedProbeWithoutAnEtcdGroupThenTheChosenLab() throws {
    var asked: [[String]] = []
    let fit = try RehearsalPlan.fit(topology: nil, workers: 1) { hosts in
      asked.append(hosts.filter { $0.groups.contains("etcd") }.map(\.name))
      return asked.count == 1 ? ["etcd", "masters"] : ["masters"]
    }
    #expect(asked == [[], ["etcd1", "etcd2", "etcd3"]])
    #expect(fit.shape.topology == "custom" && fit.shape.etcd == 3, "etcd hosts, one worker")
    #expect(fit.shape.workerNames == ["w1"])
    #expect(fit.missing == ["masters"], "what the chosen lab lacks is reported")
  }
  @Test func shapeFollowsTheEtcdGroupAndTheFlags() throws {
    #expect(try RehearsalPlan.shape(topology: nil, usesEtcdGroup: false).topology == "stacked")
    #expect(try RehearsalPlan.shape(topology: nil, usesEtcdGroup: true).topology == "external")
    #expect(
      try RehearsalPlan.shape(topology: "external", usesEtcdGroup: false).topology == "external")
    #expect(
      try RehearsalPlan.shape(topology: "stacked", usesEtcdGroup: true).topology == "stacked",
      "the flag wins: a stacked lab's etcd group is its control planes")
    let small = try RehearsalPlan.shape(
      topology: nil, usesEtcdGroup: false, controlPlanes: 1, workers: 1)
    #expect(small.names == ["lb", "cp1", "w1"])
    let noEtcd = try RehearsalPlan.shape(topology: nil, usesEtcdGroup: true, etcd: 0)
    #expect(noEtcd.etcd == 0, "--etcd 0 keeps etcd on the control planes")
    #expect(throws: LabError.self) {
      try RehearsalPlan.shape(topology: "ring", usesEtcdGroup: false)
    }
  }

  @Test func groupsOfAHost() throws {
    let external = try LabShape.named("external")
    #expect(external.inventoryGroups(of: "etcd2") == ["lab", "etcd"])
    #expect(external.inventoryGroups(of: "cp1") == ["lab", "control_plane"])
    let stacked = try LabShape.named("stacked")
    #expect(stacked.inventoryGroups(of: "cp1") == ["lab", "control_plane", "etcd"])
    #expect(stacked.inventoryGroups(of: "lb") == ["lab", "load_balancer"])
  }

  @Test func labParamsOnlyForDeclaredParamsNotGiven() {
    typealias Param = RehearsalPlan.DeclaredParam
    let endpoint = "127.0.0.64:6443"
    let given = RehearsalPlan.params(
      declared: [Param(name: "control_plane_endpoint"), Param(name: "cni_manifest")],
      given: ["control_plane_endpoint"], endpoint: endpoint)
    #expect(given.map(\.name) == ["cni_manifest"])
    #expect(given.first?.value == LabManifests.cniURL)

    let defaults = RehearsalPlan.params(
      declared: [
        Param(name: "endpoint", constantDefault: "lb.example.com:6443"),
        Param(
          name: "cni_manifest",
          constantDefault:
            "https://github.com/flannel-io/flannel/releases/download/v0.26.1/kube-flannel.yml"),
        Param(name: "pod_network_cidr", constantDefault: "10.244.0.0/16"),
      ], given: [], endpoint: endpoint)
    #expect(defaults.count == 2, "pod_network_cidr names no lab thing")
    #expect(defaults[0].value == endpoint, "the endpoint is the lab's even over a default")
    #expect(defaults[1].value == nil, "a default the lab serves is kept")

    let calico = RehearsalPlan.params(
      declared: [Param(name: "cni_manifest", constantDefault: "https://example.com/calico.yaml")],
      given: [], endpoint: endpoint)
    #expect(calico.first?.value == LabManifests.cniURL, "a manifest the lab lacks is replaced")
  }

  @Test func theLabServesFlannelByName() throws {
    #expect(LabManifests.serves(LabManifests.cniURL))
    #expect(LabManifests.serves("https://raw.githubusercontent.com/x/y/kube-flannel.yml?raw=1"))
    #expect(!LabManifests.serves("/root/kube-flannel.yml"), "a path is the playbook's own file")
    #expect(!LabManifests.serves("https://example.com/calico.yaml"))
    let text = try #require(LabManifests.files["kube-flannel.yml"])
    #expect(text.contains("kind: DaemonSet\n") && text.contains("  namespace: kube-flannel\n"))
  }
}
