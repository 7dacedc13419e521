import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The shipped playbooks in an external-topology lab on 127.0.0.240–.249 (lb, cp1–3, w1–3,
/// etcd1–3), through `haflow run`: etcd-cluster.hf brings up real etcd and a second run
/// changes nothing; the etcd gate names a member that is down; external-etcd.hf builds the
/// cluster on it; reset.hf takes it all down.
@Suite(.serialized) struct PlaybookLabTests {
  static let playbooks = HaflowCLI.packageRoot.appendingPathComponent("playbooks").path
  static let etcdHosts = ["etcd1", "etcd2", "etcd3"]
  static let etcdAddresses = ["127.0.0.247", "127.0.0.248", "127.0.0.249"]

  /// The page's "complete list of required files" on HOST0 (the others lack `etcd/ca.key`).
  static let memberFiles = [
    "apiserver-etcd-client.crt", "apiserver-etcd-client.key", "etcd/ca.crt",
    "etcd/healthcheck-client.crt", "etcd/healthcheck-client.key", "etcd/peer.crt",
    "etcd/peer.key", "etcd/server.crt", "etcd/server.key",
  ]

  @Test(
    .timeLimit(.minutes(10)), .enabled(if: getuid() == 0, "isolated lab hosts need root"))
  func etcdClusterGateAndReset() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-playbooks-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let lab = directory.path + "/.haflow/lab"
    defer {
      _ = try? HaflowCLI.run(["lab", "down"], in: directory)
      try? FileManager.default.removeItem(at: directory)
    }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(
        ["lab", "up", "--topology", "external", "--first-address", "127.0.0.240"],
        in: directory, limit: 120)
      try #require(up.status == 0, "\(up.stderr)")
      let inventory = lab + "/inventory.ini"

      // The recipe, from nothing to three healthy members.
      let began = Date()
      let first = try HaflowCLI.run(
        [
          "run", "-i", inventory, Self.playbooks + "/etcd-cluster.hf", "-p",
          "kubelet_drop_in=false",
        ],
        in: directory, limit: 300)
      let took = Date().timeIntervalSince(began)
      print("etcd-cluster.hf on 3 etcd hosts: \(String(format: "%.1f", took)) s")
      #expect(first.status == 0, "\(first.stderr)")
      #expect(
        first.stdout.hasPrefix("etcd: 3 members healthy: https://127.0.0.247:2379"),
        "\(first.stdout)")
      for (index, host) in Self.etcdHosts.enumerated() {
        let expected = (index == 0 ? Self.memberFiles + ["etcd/ca.key"] : Self.memberFiles).sorted()
        let files = Self.pkiFiles(lab: lab, host: host)
        #expect(files.map(\.0) == expected, "\(host): \(files)")
        for (file, mode) in files {
          #expect(mode == (file.hasSuffix(".key") ? 0o600 : 0o644), "\(host) \(file): \(mode)")
        }
      }
      // Nothing of the etcd recipe leaks onto a control plane.
      #expect(Self.pkiFiles(lab: lab, host: "cp1").isEmpty)
      let members = try Self.memberNames(lab: lab)
      #expect(members == Self.etcdHosts, "\(members)")

      // Again: nothing changes, not even a certificate.
      let before = Self.digests(lab: lab)
      let again = try HaflowCLI.run(
        [
          "run", "-i", inventory, Self.playbooks + "/etcd-cluster.hf", "-p",
          "kubelet_drop_in=false",
        ],
        in: directory, limit: 120)
      #expect(again.status == 0, "\(again.stderr)")
      #expect(again.stderr.contains("the recipe is done already"), "\(again.stderr)")
      #expect(!again.stderr.contains("kubeadm init phase"), "\(again.stderr)")
      #expect(Self.digests(lab: lab) == before, "a second run changed a file")

      // The gate: a member down is named; back up, the gate passes.
      let gate = directory.path + "/gate.hf"
      try """
      import "\(Self.playbooks)/lib/etcd.hf"
      let client = etcd_client(group("etcd")[0], group("etcd"))
      etcd_gate(client, 3, timeout: 6s, label: "gate")
      print("members: ${len(etcd_members(client))}")
      """.write(toFile: gate, atomically: true, encoding: .utf8)
      let stop = try HaflowCLI.run(["lab", "stop", "etcd2"], in: directory)
      #expect(stop.status == 0, "\(stop.stderr)")
      let closed = try HaflowCLI.run(["run", "-i", inventory, gate], in: directory, limit: 120)
      #expect(closed.status == 1)
      #expect(
        closed.stderr.contains("gate: etcd member etcd2 (https://127.0.0.248:2379) is unhealthy"),
        "\(closed.stderr)")
      #expect(closed.stderr.contains("(waited 6s)"), "\(closed.stderr)")
      let start = try HaflowCLI.run(["lab", "start", "etcd2"], in: directory, limit: 120)
      #expect(start.status == 0, "\(start.stderr)")
      let open = try HaflowCLI.run(["run", "-i", inventory, gate], in: directory, limit: 120)
      #expect(open.status == 0, "\(open.stderr)")
      #expect(open.stdout == "members: 3\n")
      #expect(open.stderr.contains("gate: 3 etcd members, all healthy"))

      // external-etcd.hf on the etcd cluster the recipe made: the whole cluster comes up
      // (the etcd recipe is done already), so reset.hf below has a real cluster to take down.
      let external = try HaflowCLI.run(
        [
          "run", "-i", inventory, Self.playbooks + "/external-etcd.hf", "-p",
          "cni_manifest=https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml",
        ], in: directory, limit: 300)
      #expect(external.status == 0, "\(external.stderr)")
      #expect(external.stderr.contains("127.0.0.240:6443: open"), "\(external.stderr)")
      for node in ["cp1", "cp2", "cp3", "w1", "w2", "w3"] {
        #expect(!Self.pkiFiles(lab: lab, host: node).isEmpty, "\(node) has no PKI")
      }
      #expect(Self.digests(lab: lab) == before, "external-etcd.hf changed an etcd host's file")

      // reset.hf refuses without confirm, then takes the etcd hosts down.
      let refused = try HaflowCLI.run(
        ["run", "-i", inventory, Self.playbooks + "/reset.hf"], in: directory)
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("run it with -p confirm=true"), "\(refused.stderr)")
      let reset = try HaflowCLI.run(
        ["run", "-i", inventory, Self.playbooks + "/reset.hf", "-p", "confirm=true"],
        in: directory, limit: 300)
      #expect(reset.status == 0, "\(reset.stderr)")
      #expect(reset.stdout.contains("reset: 3 workers, 3 control planes, 3 etcd hosts"))
      for host in Self.etcdHosts + ["cp1", "cp2", "cp3", "w1", "w2", "w3"] {
        #expect(Self.pkiFiles(lab: lab, host: host).isEmpty, "\(host) still has its PKI")
        let data = lab + "/hosts/\(host)/fs/var/lib/etcd"
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []).isEmpty)
      }
    }
  }

  /// The files under a lab host's /etc/kubernetes/pki, relative, sorted, with their modes.
  static func pkiFiles(lab: String, host: String) -> [(String, Int)] {
    let root = lab + "/hosts/\(host)/fs/etc/kubernetes/pki"
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [(String, Int)] = []
    while let path = walker.nextObject() as? String {
      let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path)
      guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
      let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? -1
      files.append((path, mode))
    }
    return files.sorted { $0.0 < $1.0 }
  }

  /// Every PKI file of the etcd hosts with its bytes, to compare two runs.
  static func digests(lab: String) -> [String: Data] {
    var all: [String: Data] = [:]
    for host in etcdHosts {
      let root = lab + "/hosts/\(host)/fs/etc/kubernetes/pki/"
      for (file, _) in pkiFiles(lab: lab, host: host) {
        all[host + ":" + file] = FileManager.default.contents(atPath: root + file)
      }
    }
    return all
  }

  /// The etcd member names, from etcd itself (`member list -w json` with etcd1's client pair).
  static func memberNames(lab: String) throws -> [String] {
    let pki = lab + "/hosts/etcd1/fs/etc/kubernetes/pki"
    let out = directory()
    defer { try? FileManager.default.removeItem(atPath: out) }
    let status = try runLocal(
      [
        "/usr/bin/etcdctl", "--cacert", pki + "/etcd/ca.crt", "--cert",
        pki + "/apiserver-etcd-client.crt", "--key", pki + "/apiserver-etcd-client.key",
        "--endpoints", "https://\(etcdAddresses[0]):2379", "member", "list", "-w", "json",
      ], output: out + "/out")
    #expect(status == 0)
    let data = try Data(contentsOf: URL(fileURLWithPath: out + "/out"))
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    let members = object?["members"] as? [[String: Any]] ?? []
    return members.compactMap { $0["name"] as? String }.sorted()
  }

  static func directory() -> String {
    let path = FileManager.default.temporaryDirectory.path + "/haflow-pbl-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs a program here with its output to `output`, bounded at 30 s.
  static func runLocal(_ argv: [String], output: String) throws -> Int32 {
    let pid = try ChildProcess.spawn(
      argv, environment: ProcessInfo.processInfo.environment,
      directory: FileManager.default.currentDirectoryPath, output: output,
      errors: output + ".err")
    guard let status = ChildProcess.reap(pid, within: 30) else {
      ChildProcess.killTree(pid)
      _ = ChildProcess.reap(pid, within: 5)
      throw PTYError("\(argv[0]) took more than 30 s")
    }
    return status
  }
}
