import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Lab
@testable import Session

#if canImport(Glibc)
  import Glibc
#endif

/// The lab kubelet and real etcd on real lab hosts: one external-topology lab (127.0.0.210–
/// .219) for the whole suite. The HA-etcd recipe on etcd1–3 over SSH, stacked members added
/// on cp1–cp3 with ``EtcdMembership``, the kubelet's restarts, manifest changes and removals,
/// an unknown image, a host stopped and started, and nothing left behind.
@Suite(.serialized, .enabled(if: KubeletLab.canRun, "needs root, etcd and the haflow binary"))
struct KubeletEtcdTests {
  @Test(.timeLimit(.minutes(6))) func clusterLabRunsStaticPodsAndRealEtcd() async throws {
    let options = LabOptions(shape: try LabShape.named("external"), firstAddress: "127.0.0.210")
    try await KubeletLab.withCluster("kubelettest", options) { cluster, report in
      print("lab up --topology external (with kubelets): \(report.elapsed)")
      try cluster.kubeletsRun()
      try cluster.externalEtcdRecipe()
      try cluster.stackedEtcd()
      try cluster.kubeletRunsControlPlanePods()
      try cluster.deadKubeletIsReplaced(options: options)
      try cluster.systemctlControlsTheKubelet()
      try cluster.stoppedHostComesBack()
    }
  }
}

/// What the suite needs.
enum KubeletLab {
  /// Root, Debian's etcd and etcdctl, and a built haflow binary.
  static var canRun: Bool {
    LabUser.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/etcd")
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/etcdctl") && haflowBinary != nil
  }

  /// The built haflow binary: `$HAFLOW_BIN`, else the one beside the test bundle.
  static let haflowBinary: String? = {
    if let path = ProcessInfo.processInfo.environment["HAFLOW_BIN"] { return path }
    var candidates: [URL] = []
    if let first = CommandLine.arguments.first {
      candidates.append(URL(fileURLWithPath: first).resolvingSymlinksInPath())
    }
    if let executable = Bundle.main.executableURL { candidates.append(executable) }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      candidates.append(bundle.bundleURL)
    }
    for candidate in candidates {
      let path = candidate.deletingLastPathComponent().appendingPathComponent("haflow").path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }()

  /// Brings a cluster lab up in a directory of its own, runs BODY on it with an SSH executor
  /// to its hosts, takes it down (also when BODY throws) and checks nothing of it is left:
  /// the frame of every suite that drives kubeadm or the kubelet on real lab hosts.
  static func withCluster(
    _ name: String, _ options: LabOptions,
    _ body: @escaping @Sendable (Cluster, LabUpReport) throws -> Void
  ) async throws {
    let directory = NSTemporaryDirectory() + "haflow-\(name)-\(UUID().uuidString)"
    let lab = Lab(directory: directory, executable: haflowBinary)
    defer {
      _ = try? lab.down()
      try? FileManager.default.removeItem(atPath: directory)
    }
    try await blocking {
      defer { _ = try? lab.down() }
      let report = try lab.up(options)
      let cluster = try Cluster(lab: lab, state: report.state)
      defer { cluster.close() }
      try body(cluster, report)
    }
    #expect(LabClusterTests.leftovers(of: lab).isEmpty, "\(LabClusterTests.leftovers(of: lab))")
  }
}

/// One running lab and an SSH executor to its hosts.
final class Cluster: @unchecked Sendable {
  let lab: Lab
  let state: LabState
  let executor: SSHExecutor
  let hosts: [String: Host]

  init(lab: Lab, state: LabState) throws {
    self.lab = lab
    self.state = state
    let setup = try RemoteSetup.load(
      inventoryPath: lab.files.inventoryHF, environment: ["HOME": "/nonexistent"])
    executor = setup.makeExecutor()
    hosts = Dictionary(uniqueKeysWithValues: setup.inventory.hosts.map { ($0.name, $0) })
  }

  func close() { executor.close() }

  /// The address of `name`.
  func address(_ name: String) -> String { state.host(named: name)?.address ?? "" }

  /// Runs shell text on `name` over SSH; records a failure with its output when it fails and
  /// `check` is set.
  @discardableResult
  func sh(
    _ name: String, _ text: String, check: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  )
    throws -> CommandResult
  {
    let host = try #require(hosts[name], sourceLocation: sourceLocation)
    let result = try executor.run(text, on: host, timeout: 120_000_000_000)
    if check {
      #expect(
        result.exitStatus == 0, "\(name): \(text)\n\(result.stdout)\(result.stderr)",
        sourceLocation: sourceLocation)
    }
    return result
  }

  /// The kubelet status of `name`.
  func status(_ name: String) -> KubeletStatus? { lab.kubeletStatus(name) }

  /// Polls `condition` every 100 ms for up to `seconds`.
  func waitUntil(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      if try condition() { return true }
      Thread.sleep(forTimeInterval: 0.1)
    } while Date() < deadline
    return false
  }

  /// `etcdctl … endpoint health --cluster` on `name` against `endpoint`, with the recipe's
  /// flags and the given client certificate (etcdctl prints the health lines on stderr).
  func health(on name: String, endpoint: String, cert: String = "etcd/peer") throws -> String {
    let pki = "/etc/kubernetes/pki"
    return try sh(
      name,
      "ETCDCTL_API=3 etcdctl --cert \(pki)/\(cert).crt --key \(pki)/\(cert).key "
        + "--cacert \(pki)/etcd/ca.crt --endpoints https://\(endpoint):2379 endpoint health --cluster"
        + " 2>&1",
      check: false
    ).stdout
  }

  /// Lines of `text` that say an endpoint is healthy.
  static func healthy(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init).filter {
      $0.wholeMatch(
        of: /https:\/\/127\.0\.0\.\d+:2379 is healthy: successfully committed proposal: took = .+/)
        != nil
    }
  }

  /// Every host runs its kubelet, in its own namespace, with `kubeadm` and `etcdctl` on PATH.
  func kubeletsRun() throws {
    for host in state.hosts {
      let pid = try #require(lab.recordedPID(lab.files.component(host.name, LabKubelet.pidFile)))
      #expect(LabKubelet.isRunning(pid, host.name, files: lab.files), "\(host.name)")
    }
    #expect(waitUntil(seconds: 10) { status("w1")?.node == "w1" }, "w1 wrote no status")
    let tools = try sh(
      "cp1",
      "command -v kubeadm; command -v etcdctl; command -v systemctl; kubeadm version -o short")
    #expect(
      tools.stdout
        == "/usr/local/bin/kubeadm\n/usr/bin/etcdctl\n/usr/local/bin/systemctl\nv1.32.0\n")
    // One kubelet for w2 (other labs may run beside this one: their kubelets name their view).
    let view = lab.files.view("w2")
    #expect(try sh("w2", "pgrep -af kubelet | grep -c -- --haflow-lab=\(view)$").stdout == "1\n")
    // The binary is bound read-only: root on a host cannot change this machine's haflow.
    #expect(try sh("w3", "test -w /run/haflow-lab/haflow", check: false).exitStatus == 1)
  }
}
