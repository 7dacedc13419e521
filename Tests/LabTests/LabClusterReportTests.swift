import Foundation
import Testing

@testable import Lab

/// The report `haflow rehearse` prints: nodes from the API's JSON, expiry times from the
/// bootstrap-token Secrets, and the "no cluster" lines.
@Suite struct LabClusterReportTests {
  static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

  @Test func nodesAndExpiries() throws {
    let node = try #require(
      JSONValue.parse(
        Array(
          """
          {"metadata": {"name": "cp1", "labels": {"node-role.kubernetes.io/control-plane": ""}},
           "status": {"conditions": [{"type": "Ready", "status": "True"}],
                      "nodeInfo": {"kubeletVersion": "v1.32.0"}}}
          """.utf8)))
    #expect(
      LabClusterReport.node(node)
        == .init(name: "cp1", status: "Ready", roles: "control-plane", version: "v1.32.0"))
    let worker = try #require(JSONValue.parse(Array(#"{"metadata": {"name": "w1"}}"#.utf8)))
    #expect(LabClusterReport.node(worker).status == "NotReady")
    #expect(LabClusterReport.node(worker).roles == "<none>")

    let secrets = try #require(
      JSONValue.parse(
        Array(
          """
          [{"metadata": {"name": "bootstrap-token-abcdef"}, "type": "bootstrap.kubernetes.io/token",
            "data": {"token-id": "\(Self.base64("abcdef"))", "token-secret": "\(Self.base64("0123456789abcdef"))",
                     "expiration": "\(Self.base64("2026-12-08T07:00:00Z"))"}},
           {"metadata": {"name": "bootstrap-token-ghijkl"}, "type": "bootstrap.kubernetes.io/token",
            "data": {"token-id": "\(Self.base64("ghijkl"))",
                     "expiration": "\(Self.base64("2026-12-07T09:00:00Z"))"}},
           {"metadata": {"name": "kubeadm-certs",
                         "ownerReferences": [{"name": "bootstrap-token-ghijkl"}]}, "type": "Opaque"}]
          """.utf8)))
    let expiries = LabClusterReport.expiries(secrets.array ?? [])
    #expect(
      expiries.map(\.what) == [
        "bootstrap token ghijkl", "kubeadm-certs (uploaded certificates)", "bootstrap token abcdef",
      ])

    var report = LabClusterReport(
      clock: try #require(ClusterClock.parse("2026-12-07T07:00:00Z")), clockOffsetSeconds: 0,
      pods: [("cp1", ["etcd running"]), ("w1", [])])
    report.nodes = [LabClusterReport.node(node), LabClusterReport.node(worker)]
    report.apiSource = "https://127.0.0.64:6443 with cp1's admin.conf"
    report.expiries = expiries
    report.noEtcd = "etcd does not answer"
    let lines = report.lines
    #expect(lines.first == "cluster clock 2026-12-07T07:00:00Z")
    #expect(lines.contains("  cp1  etcd running"))
    #expect(lines.contains("  w1   none"))
    #expect(lines.contains("nodes (https://127.0.0.64:6443 with cp1's admin.conf)"))
    #expect(lines.contains("  cp1  Ready     control-plane  v1.32.0"))
    #expect(
      lines.contains("kubeadm-certs (uploaded certificates) expires 2026-12-07T09:00:00Z (in 2h)"))
    #expect(lines.contains("bootstrap token abcdef expires 2026-12-08T07:00:00Z (in 1d)"))
    #expect(!lines.joined().contains("0123456789abcdef"), "no token secret is shown")
    #expect(lines.contains("no etcd: etcd does not answer"))
  }

  @Test func noClusterAndExpired() throws {
    var report = LabClusterReport(
      clock: try #require(ClusterClock.parse("2026-12-07T12:00:00Z")), clockOffsetSeconds: 10_800,
      pods: [])
    report.noCluster = "no control plane has /etc/kubernetes/admin.conf (kubeadm init did not run)"
    report.expiries = [
      .init(
        what: "bootstrap token abcdef", at: try #require(ClusterClock.parse("2026-12-07T11:00:00Z"))
      )
    ]
    let lines = report.lines
    #expect(lines.first == "cluster clock 2026-12-07T12:00:00Z (+3h from this machine's)")
    #expect(
      lines.contains(
        "no cluster: no control plane has /etc/kubernetes/admin.conf (kubeadm init did not run)"))
    #expect(lines.contains("bootstrap token abcdef expires 2026-12-07T11:00:00Z (expired)"))
  }
}
