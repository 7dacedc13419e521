import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The rollback of a control-plane join that failed after kubeadm had added the new etcd
/// member: the shipped stacked playbook must remove that member (kubeadm's reset leaves it),
/// reset the host and delete its node, so that the cluster keeps two healthy voting members
/// and a re-run joins the host. The fault is one operators meet: the new node's etcd cannot
/// write its data directory (`/var/lib/etcd` made immutable here, as a read-only or full
/// disk would), so the learner kubeadm added never starts and its promotion fails with
/// etcd's own answer. A stacked lab on 127.0.0.87–.91 (lb, cp1–3, w1).
@Suite(.serialized) struct PlaybookEtcdRollbackTests {
  static let cni = "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml"
  static let first = "127.0.0.87"
  /// cp3's etcd peer URL (lb .87, cp1 .88, cp2 .89, cp3 .90, w1 .91).
  static let cp3Peer = "https://127.0.0.90:2380"

  typealias Lab = ShippedPlaybookLab

  /// A stacked lab (3 control planes, 1 worker); cp3's etcd directory made writable again
  /// before it goes down.
  static func makeLab() throws -> Lab {
    try Lab(
      "etcd-rollback", up: ["--topology", "stacked", "--workers", "1", "--first-address", first]
    ) { lab in
      _ = try? PlaybookEtcdRollbackTests.chattr("-i", lab.etcdData("cp3"))
    }
  }

  /// `kubectl get nodes` on cp1: each node's name and STATUS.
  static func statuses(_ lab: Lab) throws -> [String: String] {
    try lab.nodes(["cp1", "cp2", "cp3", "w1"]).mapValues { $0[0] }
  }

  /// `chattr FLAG PATH` (the test runs as root).
  @discardableResult static func chattr(_ flag: String, _ path: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
    process.arguments = [flag, path]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(.timeLimit(.minutes(6)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func aJoinThatFailsAfterItsEtcdMemberWasAddedIsRolledBack() async throws {
    try await offThePool {
      let lab = try Self.makeLab()
      try FileManager.default.createDirectory(
        atPath: lab.etcdData("cp3"), withIntermediateDirectories: true)
      try #require(try Self.chattr("+i", lab.etcdData("cp3")) == 0, "chattr +i")

      let first = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(first.status == 1, "\(first.stderr)")
      // kubeadm added the learner, wrote the manifest; etcd could not start; the promotion
      // failed with etcd's answer (kubeadm's MemberPromote returns the last one).
      #expect(first.stderr.contains("[cp3] [etcd] Announced new etcd member"), "\(first.stderr)")
      #expect(
        first.stderr.contains(
          "error execution phase control-plane-join/etcd: error creating local etcd static pod "
            + "manifest file: etcdserver: can only promote a learner member which is in sync "
            + "with leader"), "\(first.stderr)")
      #expect(first.stderr.contains("cp3 did not join and was rolled back"), "\(first.stderr)")
      #expect(
        first.stderr.contains(try Regex(#"removed etcd member [0-9a-f]+ \(cp3\)"#)),
        "\(first.stderr)")

      // The stray member is gone: two voting members, cp3's peer URL in none; no cp3 node.
      let members = try lab.members()
      #expect(members.count == 2, "\(members)")
      #expect(!members.contains { $0.contains(Self.cp3Peer) }, "\(members)")
      #expect(members.allSatisfy { $0.contains(", started, ") && $0.hasSuffix(", false") })
      let nodes = try Self.statuses(lab)
      #expect(nodes == ["cp1": "Ready", "cp2": "Ready"], "\(nodes)")

      // The fault cleared, a re-run passes the gate (two members, all healthy) and joins cp3.
      try #require(try Self.chattr("-i", lab.etcdData("cp3")) == 0, "chattr -i")
      try Self.expiredKeyWithoutUpload(lab)
      try Self.rerunAfterTheWindowUploadsAgain(lab)
    }
  }

  /// The re-run of stacked-etcd.hf three hours after init: the first upload is gone (the
  /// API server deleted the `kubeadm-certs` Secret), the run cannot know when it was made, so
  /// `kubeadm.refresh_if_expired` uploads again and makes a new token; cp3 then joins.
  static func rerunAfterTheWindowUploadsAgain(_ lab: Lab) throws {
    #expect(!(try lab.certsSecretExists()), "the first upload outlived its 2 hours")
    let second = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
    #expect(second.status == 0, "\(second.stderr)")
    #expect(
      second.stderr.contains(
        "[cp1] re-uploading the control-plane certificates: their 2-hour window has no known end"
      ), "\(second.stderr)")
    #expect(second.stderr.contains("[cp1] making a new bootstrap token"), "\(second.stderr)")
    #expect(try !RehearseCommandTests.showsSecret(second.stdout + second.stderr))
    #expect(second.stderr.contains("before cp3 joins: 2 etcd members, all healthy"))
    #expect(second.stderr.contains("after cp3 joined: 3 etcd members, all healthy"))
    let after = try lab.members()
    #expect(after.count == 3, "\(after)")
    #expect(after.contains { $0.contains(Self.cp3Peer) && $0.contains(", started, cp3, ") })
    #expect(after.allSatisfy { $0.hasSuffix(", false") }, "a learner left: \(after)")
    let nodes = try Self.statuses(lab)
    #expect(nodes == ["cp1": "Ready", "cp2": "Ready", "cp3": "Ready", "w1": "Ready"], "\(nodes)")
    #expect(try lab.certsSecretExists(), "no new upload")
  }

  /// A late join with the key of an upload made more than 2 hours before, not uploaded
  /// again: an operator's playbook (written here) that joins cp3 through the shipped lib's
  /// gated join with a key it is given. The upload is made with a key the test knows, then
  /// the lab clock moves 3 hours; kubeadm fails at download-certs and haflow says to run
  /// reupload-certs.hf. Nothing was added to etcd, so the rollback removes no member.
  static func expiredKeyWithoutUpload(_ lab: Lab) throws {
    let key = String(repeating: "5a", count: 32)
    let upload = try lab.haflow([
      "exec", "-i", lab.inventory, "cp1", "--sudo", "--",
      "kubeadm init phase upload-certs --upload-certs --certificate-key \(key)",
    ])
    #expect(upload.status == 0, "\(upload.stderr)")
    #expect(try lab.certsSecretExists())
    #expect(try lab.haflow(["lab", "advance", "3h"]).status == 0)
    let script = lab.directory.appendingPathComponent("late-join.hf")
    try """
    # Joins the control planes that have not joined, with a certificate key given.
    import "\(ShippedPlaybookLab.playbooks)/lib/cluster.hf"
    param certificate_key: secret
    let cps = group("control_plane")
    let first = cps[0]
    let token = kubeadm.token()
    step "a token" on first { sudo `kubeadm token create ${token}` }
    let joins = join_commands(control_plane_endpoint(""), token, cluster_ca_hash(first),
      certificate_key)
    join_control_planes(filter(cps, fn(h) { not node_joined(h) }), joins.control_plane, first,
      etcd_client(first, [first]), true, 30s)
    """.write(to: script, atomically: true, encoding: .utf8)
    let late = try lab.haflow([
      "run", "-i", lab.inventory, script.path, "-p", "certificate_key=\(key)",
    ])
    let all = late.stdout + late.stderr
    #expect(late.status == 1, "\(all)")
    #expect(
      all.contains(
        "error execution phase control-plane-prepare/download-certs: error downloading certs: "
          + "error downloading the secret: Secret \"kubeadm-certs\" was not found in the "
          + "\"kube-system\" Namespace. This Secret might have expired."), "\(all)")
    #expect(all.contains("cp3 did not join and was rolled back"), "\(all)")
    let fix = all.split(separator: "\n").first { $0.contains("fix: ") }
    #expect(fix?.contains("playbooks/reupload-certs.hf") == true, "\(all)")
    #expect(!all.contains("removed etcd member"), "\(all)")
    #expect(!all.contains(key), "the certificate key in clear")
    #expect(try lab.members().count == 2)
  }
}

/// What the rollback test reads back from its lab.
extension ShippedPlaybookLab {
  /// HOST's `/var/lib/etcd`, as this machine sees it.
  func etcdData(_ host: String) -> String { lab + "/hosts/\(host)/fs/var/lib/etcd" }

  /// `etcdctl member list` on cp1 (its own etcd answers): one line a member.
  func members() throws -> [String] {
    let result = try haflow([
      "exec", "-i", inventory, "cp1", "--sudo", "--",
      "etcdctl --cacert /etc/kubernetes/pki/etcd/ca.crt "
        + "--cert /etc/kubernetes/pki/apiserver-etcd-client.crt "
        + "--key /etc/kubernetes/pki/apiserver-etcd-client.key "
        + "--endpoints https://127.0.0.88:2379 member list",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return (result.stdout + result.stderr).split(separator: "\n").map(String.init)
      .filter { $0.contains(":2380") }
  }

  /// Whether the cluster holds the `kubeadm-certs` Secret (the uploaded certificates).
  func certsSecretExists() throws -> Bool {
    let result = try haflow([
      "exec", "-i", inventory, "cp1", "--sudo", "--",
      "kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get secret kubeadm-certs",
    ])
    return result.status == 0
  }
}
