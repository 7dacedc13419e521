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
  static let playbooks = HaflowCLI.packageRoot.appendingPathComponent("playbooks").path
  static let cni = "https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml"
  static let hosts = ["cp1", "cp2", "cp3", "w1", "w2", "w3"]

  /// A stacked lab in a directory of its own, taken down and removed when done.
  final class StackedLab: Sendable {
    let directory: URL
    var lab: String { directory.path + "/.haflow/lab" }
    var inventory: String { lab + "/inventory.ini" }

    init() throws {
      directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("haflow-recovery-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let up = try HaflowCLI.run(
        ["lab", "up", "--topology", "stacked", "--first-address", "127.0.0.80"],
        in: directory, limit: 120)
      try #require(up.status == 0, "\(up.stderr)")
    }

    deinit {
      _ = try? HaflowCLI.run(["lab", "down"], in: directory)
      try? FileManager.default.removeItem(at: directory)
    }

    /// `haflow ARGUMENTS` in the lab's directory.
    func haflow(_ arguments: [String], limit: Double = 240) throws -> CLIResult {
      try HaflowCLI.run(arguments, in: directory, limit: limit)
    }

    /// `haflow run -i <lab inventory> playbooks/NAME ARGUMENTS`.
    func play(_ name: String, _ arguments: [String] = []) throws -> CLIResult {
      try haflow(
        ["run", "-i", inventory, PlaybookRecoveryTests.playbooks + "/" + name] + arguments)
    }

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

    /// `kubectl get nodes` on cp1 through `haflow exec`: each node's name and STATUS/ROLES.
    func nodes() throws -> [String: String] {
      let result = try haflow([
        "exec", "-i", inventory, "cp1", "--sudo", "--",
        "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes",
      ])
      #expect(result.status == 0, "\(result.stderr)")
      return KubectlNodeTable.rows(
        result.stdout + result.stderr, names: Set(PlaybookRecoveryTests.hosts)
      )
      .mapValues { $0[0] + " " + $0[1] }
    }

    /// The private keys under HOST's /etc/kubernetes/pki and their modes.
    func keyModes(_ host: String) -> [String: Int] {
      let files = PlaybookLabTests.pkiFiles(lab: lab, host: host)
      return Dictionary(uniqueKeysWithValues: files.filter { $0.0.hasSuffix(".key") })
    }
  }

  static let everyNodeReady = [
    "cp1": "Ready control-plane", "cp2": "Ready control-plane", "cp3": "Ready control-plane",
    "w1": "Ready <none>", "w2": "Ready <none>", "w3": "Ready <none>",
  ]

  @Test(.timeLimit(.minutes(8)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func aWorkerDownIsNamedAndARerunFinishesWithoutRedoing() async throws {
    try await offThePool {
      let lab = try StackedLab()
      #expect(try lab.haflow(["lab", "stop", "w2"]).status == 0)

      let first = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(first.status == 1, "\(first.stderr)")
      #expect(first.stderr.contains("not every worker joined: failed on 1 of 3 hosts"))
      #expect(
        first.stderr.contains("w2: connection refused by w2 (127.0.0.85:22)"), "\(first.stderr)")
      var joined = Self.everyNodeReady
      joined["w2"] = nil
      #expect(try lab.nodes() == joined)

      #expect(try lab.haflow(["lab", "start", "w2"]).status == 0)
      let second = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(second.status == 0, "\(second.stderr)")
      #expect(second.stderr.contains("cp1 has a control plane already: init skipped"))
      #expect(second.stderr.contains("cp2 has joined already"), "\(second.stderr)")
      #expect(second.stderr.contains("[w1] joined already"), "\(second.stderr)")
      #expect(second.stderr.contains("[w2] This node has joined the cluster:"))
      #expect(!second.stderr.contains("[w1] This node has joined"))
      #expect(try lab.nodes() == Self.everyNodeReady)
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
      let lab = try StackedLab()
      #expect(try lab.haflow(["lab", "stop", "cp3"]).status == 0)

      let first = try lab.play("stacked-etcd.hf", ["-p", "cni_manifest=\(Self.cni)"])
      #expect(first.status == 1, "\(first.stderr)")
      #expect(first.stderr.contains("cp3 did not join and was rolled back"), "\(first.stderr)")
      // The run stopped there: two control planes, no worker; two etcd members, no stray.
      #expect(try lab.nodes() == ["cp1": "Ready control-plane", "cp2": "Ready control-plane"])
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
      #expect(try lab.nodes() == Self.everyNodeReady)
      for (key, mode) in lab.keyModes("cp3") { #expect(mode == 0o600, "cp3 \(key)") }
      #expect(lab.keyModes("cp3")["ca.key"] != nil, "cp3 got the shared CA key")
    }
  }
}
