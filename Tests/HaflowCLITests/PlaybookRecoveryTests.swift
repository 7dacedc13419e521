import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The shipped HA playbooks when the cluster is not kind: a worker that is down, a control
/// plane lost before its join (rolled back), the uploaded certificates gone after 2 hours,
/// and re-runs that finish the job without redoing it. A stacked lab on 127.0.0.80–.86
/// (lb, cp1–3, w1–3), one at a time, driven as an operator would: `haflow lab` and
/// `haflow run`.
@Suite(.serialized) struct PlaybookRecoveryTests {
  static let cni = "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml"
  static let hosts = ["cp1", "cp2", "cp3", "w1", "w2", "w3"]

  /// A stacked lab (lb, cp1–3, w1–3) from 127.0.0.80.
  static func makeLab() throws -> ShippedPlaybookLab {
    try ShippedPlaybookLab(
      "recovery", up: ["--topology", "stacked", "--first-address", "127.0.0.80"])
  }

  /// `kubectl get nodes` on cp1: each node's name and STATUS/ROLES.
  static func nodes(_ lab: ShippedPlaybookLab) throws -> [String: String] {
    try lab.nodes(Set(hosts)).mapValues { $0[0] + " " + $0[1] }
  }

  static let everyNodeReady = [
    "cp1": "Ready control-plane", "cp2": "Ready control-plane", "cp3": "Ready control-plane",
    "w1": "Ready <none>", "w2": "Ready <none>", "w3": "Ready <none>",
  ]

  @Test(.timeLimit(.minutes(8)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func aWorkerDownIsNamedAndARerunFinishesWithoutRedoing() async throws {
    try await offThePool {
      let lab = try Self.makeLab()
      #expect(try lab.haflow(["lab", "stop", "w2"]).status == 0)

      let first = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(first.status == 1, "\(first.stderr)")
      #expect(first.stderr.contains("not every worker joined: failed on 1 of 3 hosts"))
      #expect(
        first.stderr.contains("w2: connection refused by w2 (127.0.0.85:22)"), "\(first.stderr)")
      var joined = Self.everyNodeReady
      joined["w2"] = nil
      #expect(try Self.nodes(lab) == joined)

      #expect(try lab.haflow(["lab", "start", "w2"]).status == 0)
      let second = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(second.status == 0, "\(second.stderr)")
      #expect(second.stderr.contains("cp1 has a control plane already: init skipped"))
      #expect(second.stderr.contains("cp2 has joined already"), "\(second.stderr)")
      #expect(second.stderr.contains("[w1] joined already"), "\(second.stderr)")
      #expect(second.stderr.contains("[w2] This node has joined the cluster:"))
      #expect(!second.stderr.contains("[w1] This node has joined"))
      #expect(try Self.nodes(lab) == Self.everyNodeReady)
      for host in Self.hosts {
        for (key, mode) in lab.keyModes(host) { #expect(mode == 0o600, "\(host) \(key)") }
      }

      // A finished cluster: the third run changes no file on any host.
      let before = lab.kubernetesFiles()
      #expect(before.count > 60, "\(before.count) files")
      let third = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(third.status == 0, "\(third.stderr)")
      #expect(!third.stderr.contains("This node has joined"))
      #expect(!third.stderr.contains("kubeadm init phase upload-certs"))
      #expect(lab.kubernetesFiles() == before, "a finished run changed a file")
    }
  }

  @Test(.timeLimit(.minutes(8)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func aLostControlPlaneIsRolledBackAndJoinsAfterTheCertificatesExpire() async throws {
    try await offThePool {
      let lab = try Self.makeLab()
      #expect(try lab.haflow(["lab", "stop", "cp3"]).status == 0)

      let first = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(first.status == 1, "\(first.stderr)")
      #expect(first.stderr.contains("cp3 did not join and was rolled back"), "\(first.stderr)")
      // The run stopped there: two control planes, no worker; two etcd members, no stray.
      #expect(try Self.nodes(lab) == ["cp1": "Ready control-plane", "cp2": "Ready control-plane"])
      #expect(PlaybookLabTests.pkiFiles(lab: lab.lab, host: "cp3").isEmpty)

      // Past kubeadm's 2 hours the first upload is gone: reupload-certs.hf uploads again
      // under a new key and joins cp3 behind the etcd gate.
      #expect(try lab.haflow(["lab", "start", "cp3"]).status == 0)
      #expect(try lab.haflow(["lab", "advance", "3h"]).status == 0)
      let reupload = try lab.play("reupload-certs.hf")
      #expect(reupload.status == 0, "\(reupload.stderr)")
      #expect(reupload.stderr.contains("cp2 has joined already"), "\(reupload.stderr)")
      #expect(reupload.stderr.contains("after cp3 joined: 3 etcd members, all healthy"))
      #expect(reupload.stdout.contains("joined 1 control plane: cp3"), "\(reupload.stdout)")
      #expect(!reupload.stderr.contains("w1"), "reupload-certs.hf touched a worker")

      let workers = try lab.play("join-workers.hf")
      #expect(workers.status == 0, "\(workers.stderr)")
      #expect(workers.stdout.contains("joined 3 workers: w1, w2, w3"), "\(workers.stdout)")
      #expect(try Self.nodes(lab) == Self.everyNodeReady)
      for (key, mode) in lab.keyModes("cp3") { #expect(mode == 0o600, "cp3 \(key)") }
      #expect(lab.keyModes("cp3")["ca.key"] != nil, "cp3 got the shared CA key")
    }
  }
}

/// What the recovery tests read back from their lab.
extension ShippedPlaybookLab {
  /// Every regular file under each host's /etc/kubernetes, with its content.
  func kubernetesFiles() -> [String: Data] {
    var all: [String: Data] = [:]
    for host in PlaybookRecoveryTests.hosts {
      let root = lab + "/hosts/\(host)/fs/etc/kubernetes"
      guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
      while let path = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        guard
          FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory),
          !isDirectory.boolValue
        else { continue }
        all[host + ":" + path] = FileManager.default.contents(atPath: root + "/" + path)
      }
    }
    return all
  }

  /// The private keys under HOST's /etc/kubernetes/pki and their modes.
  func keyModes(_ host: String) -> [String: Int] {
    let files = PlaybookLabTests.pkiFiles(lab: lab, host: host)
    return Dictionary(uniqueKeysWithValues: files.filter { $0.0.hasSuffix(".key") })
  }
}
