import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `haflow rehearse` end to end, with the small playbooks in `Fixtures/rehearse/` (no kubeadm:
/// they use the lab's groups and params). Labs on 127.0.0.64–.73 (stacked: .64–.70; external:
/// .64–.73), one at a time; each test checks that no process or mount of its lab is left.
@Suite(.serialized) struct RehearseCommandTests {
  static let fixtures = HaflowCLI.packageRoot.path + "/Tests/HaflowCLITests/Fixtures/rehearse/"
  static let address = "127.0.0.64"

  /// A temporary working directory whose `.haflow/lab` is the lab.
  final class Site: Sendable {
    let url: URL
    var lab: String { url.path + "/.haflow/lab" }

    init() throws {
      url = FileManager.default.temporaryDirectory
        .appendingPathComponent("haflow-rehearse-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
      _ = try? HaflowCLI.run(["lab", "down"], in: url)
      try? FileManager.default.removeItem(at: url)
    }

    func haflow(_ arguments: [String], launcher: [String] = [], limit: Double = 150) throws
      -> CLIResult
    {
      try HaflowCLI.run(arguments, in: url, limit: limit, launcher: launcher)
    }

    /// Nothing of the lab runs or is mounted any more.
    func expectGone(_ comment: Comment? = nil) {
      #expect(LabCommandTests.processes(mentioning: lab).isEmpty, "processes left running")
      #expect(LabClusterCommandTests.mountTables(mentioning: lab).isEmpty, "mounts left behind")
    }
  }

  @Test(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func stackedRunsTheLabParamsAndTakesTheLabDown() async throws {
    let site = try Site()
    try await offThePool {
      // The first address from the environment variable, the lab params from the lab, the
      // playbook's own param from -p.
      let result = try site.haflow(
        ["rehearse", Self.fixtures + "stacked.hf", "-p", "marker=given"],
        launcher: ["/usr/bin/env", "HAFLOW_REHEARSE_ADDRESS=\(Self.address)"])
      #expect(result.status == 0, "\(result.stderr)")
      let err = result.stderr
      #expect(
        err.contains(
          "haflow rehearse: lab up (stacked: lb, 3 control planes, 3 workers) in \(site.lab)\n"))
      #expect(err.contains("haflow rehearse: lab up in "))
      #expect(err.contains("param control_plane_endpoint = 127.0.0.64:6443 (haproxy on lb)\n"))
      #expect(
        err.contains(
          "param cni_manifest = https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml (flannel, the lab's copy)\n"
        ))
      #expect(!err.contains("param marker"), "a param that names no lab thing is left alone")
      let out = result.stdout
      // Each control plane wrote on its own /etc/kubernetes, with the -p param's value.
      for name in ["cp1", "cp2", "cp3"] {
        #expect(out.contains("marked \(name): given on \(name)\n"), "\(out)")
      }
      for name in ["w1", "w2", "w3"] { #expect(out.contains("\(name) mark: absent\n"), "\(out)") }
      #expect(out.contains("endpoint 127.0.0.64:6443: open\n"), "haproxy accepts: \(out)")
      // kubectl found the lab's manifest through sudo (env_keep), then found no cluster.
      #expect(out.contains("kubectl: The connection to the server localhost:8080 was refused"))
      #expect(!out.contains("unable to read URL"))
      #expect(err.contains("RECAP ok"))
      #expect(err.contains("what the hosts ended with\n"))
      #expect(err.contains("  static pods\n"))
      #expect(err.contains("    cp1  none\n"), "\(err)")
      #expect(
        err.contains(
          "  no cluster: no control plane has /etc/kubernetes/admin.conf (kubeadm init did not run)\n"
        ))
      #expect(err.contains("  no etcd: no etcd client certificate on cp1, cp2, cp3\n"))
      #expect(err.contains("haflow rehearse: lab down in "))
      site.expectGone()
      #expect(
        !FileManager.default.fileExists(atPath: site.lab),
        "the lab directory the rehearsal made is removed")
      let status = try site.haflow(["lab", "status"])
      #expect(status.status == 1, "no host is up after the rehearsal")
    }
  }

  @Test(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func etcdGroupGivesExternalKeepAndRefusal() async throws {
    let site = try Site()
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", Self.fixtures + "external.hf", "--first-address", Self.address, "--keep",
          "-p", "control_plane_endpoint=10.0.0.1:6443",
        ])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stderr.contains("lab up (external: lb, 3 control planes, 3 workers, 3 etcd hosts)"))
      #expect(!result.stderr.contains("param control_plane_endpoint"), "-p wins")
      #expect(!result.stderr.contains("param cni_manifest"), "only declared params get values")
      #expect(result.stdout.hasPrefix("endpoint 10.0.0.1:6443\n"))
      for name in ["etcd1", "etcd2", "etcd3"] {
        #expect(result.stdout.contains("\(name): etcdctl version: "), "\(result.stdout)")
      }
      #expect(result.stderr.contains("no etcd: no etcd client certificate on etcd1, etcd2, etcd3"))
      #expect(result.stderr.contains("haflow rehearse: the lab is kept in \(site.lab)\n"))
      #expect(!result.stderr.contains("lab down in"))

      // Kept: the usual commands reach it, and a second rehearsal there is refused.
      let status = try site.haflow(["lab", "status"])
      #expect(status.status == 0, "\(status.stdout)")
      #expect(
        status.stdout.contains("10 hosts (external: lb, 3 control planes, 3 workers, 3 etcd hosts)")
      )
      let names = try site.haflow(
        ["exec", "-i", site.lab + "/inventory.ini", "etcd", "--", "hostname"])
      #expect(names.status == 0, "\(names.stderr)")
      #expect(names.stdout.contains("\netcd2\n"), "\(names.stdout)")
      let again = try site.haflow([
        "rehearse", Self.fixtures + "external.hf", "--first-address", "127.0.0.74",
      ])
      #expect(again.status == 1)
      #expect(again.stderr.contains("a lab is already up in \(site.lab)"), "\(again.stderr)")
      #expect(again.stderr.contains("hint: take it down with haflow lab down"))
      let still = try site.haflow(["lab", "status"])
      #expect(still.status == 0, "the refusal left the kept lab alone")

      let down = try site.haflow(["lab", "down"])
      #expect(down.status == 0, "\(down.stderr)")
      site.expectGone()

      // A lab directory that was there (this lab, down) is left as `lab down` leaves it.
      let beside = try site.haflow(
        [
          "rehearse", Self.fixtures + "failing.hf", "--first-address", Self.address,
          "--control-planes", "1", "--workers", "1",
        ])
      #expect(beside.status == 1, "\(beside.stderr)")
      #expect(beside.stderr.contains("haflow rehearse: lab down in "))
      #expect(FileManager.default.fileExists(atPath: site.lab + "/lab.json"))
      site.expectGone()
    }
  }

  @Test(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func aFailedRunExitsWithItsStatusAndTheLabGoes() async throws {
    let site = try Site()
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", Self.fixtures + "failing.hf", "--first-address", Self.address,
          "--control-planes", "1", "--workers", "1",
        ])
      #expect(result.status == 1, "\(result.stderr)")
      #expect(result.stderr.contains("lab up (custom: lb, 1 control plane, 1 worker)"))
      #expect(result.stderr.contains("RECAP FAILED"), "\(result.stderr)")
      #expect(result.stderr.contains("exit status 3"))
      #expect(result.stderr.contains("what the hosts ended with"))
      #expect(result.stderr.contains("haflow rehearse: lab down in "))
      site.expectGone()
      #expect(!FileManager.default.fileExists(atPath: site.lab))
    }
  }

  @Test(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func ctrlCStopsTheRunAndTakesTheLabDown() async throws {
    let site = try Site()
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let marker = "haflow-rehearse-\(UInt32.random(in: 1...UInt32.max))"
    try await offThePool {
      let errors = site.url.appendingPathComponent("stderr").path
      let pid = try ChildProcess.spawn(
        [
          binary.path, "rehearse", Self.fixtures + "waiting.hf", "--first-address", Self.address,
          "--control-planes", "1", "--workers", "1", "-p", "marker=\(marker)",
        ], environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 },
        directory: site.url.path, output: "/dev/null", errors: errors)
      // The step's command, not haflow itself (whose arguments hold the marker too).
      let step = "waiting-" + marker
      let launched = Date()
      while !InterruptTests.isRunning(step) && Date().timeIntervalSince(launched) < 90 {
        Thread.sleep(forTimeInterval: 0.1)
      }
      #expect(InterruptTests.isRunning(step), "the step's command never ran")
      kill(pid, SIGINT)
      let status = ChildProcess.reap(pid, within: 30)
      if status == nil {
        ChildProcess.killTree(pid)
        _ = ChildProcess.reap(pid, within: 5)
      }
      #expect(status == 130)
      let stderr = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
      #expect(stderr.contains("haflow: interrupted"), "\(stderr)")
      #expect(stderr.contains("haflow rehearse: lab down in "), "\(stderr)")
      #expect(!stderr.contains("what the hosts ended with"))
      #expect(!InterruptTests.isRunning(step), "the lab's command outlived the rehearsal")
      site.expectGone()
      #expect(!FileManager.default.fileExists(atPath: site.lab))
    }
  }

  /// The shipped `playbooks/etcd-cluster.hf` (with its `lib/`): the HA-etcd
  /// recipe on etcd1–3 of an external lab, and the report reads the real members.
  @Test(.timeLimit(.minutes(4)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func shippedEtcdClusterPlaybookEndsWithHealthyMembers() async throws {
    let site = try Site()
    let playbook =
      HaflowCLI.packageRoot.path + "/playbooks/etcd-cluster.hf"
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", playbook, "--first-address", Self.address, "--control-planes", "1",
          "--workers", "0", "--quiet",
        ], limit: 200)
      #expect(result.status == 0, "\(result.stderr)")
      let err = result.stderr
      #expect(
        err.contains("lab up (custom: lb, 1 control plane, 0 workers, 3 etcd hosts)"), "\(err)")
      #expect(result.stdout.contains("etcd: 3 members healthy: https://127.0.0.66:2379"))
      #expect(err.contains("    etcd2  etcd running\n"), "\(err)")
      #expect(err.contains("  etcd members (etcdctl with etcd1's certificate)\n"), "\(err)")
      for (index, name) in ["etcd1", "etcd2", "etcd3"].enumerated() {
        let peer = "https://127.0.0.\(66 + index):2380"
        let line = err.split(separator: "\n").first {
          $0.hasPrefix("    \(name) ") && $0.contains(peer)
        }
        #expect(line?.hasSuffix("healthy") == true && line?.contains("unhealthy") == false)
        #expect(line?.contains("started") == true, "\(String(describing: line))")
      }
      #expect(err.contains("  no cluster: no control plane has /etc/kubernetes/admin.conf"))
      #expect(err.contains("haflow rehearse: lab down in "))
      site.expectGone()
      #expect(!FileManager.default.fileExists(atPath: site.lab))
    }
  }

  @Test(.timeLimit(.minutes(1))) func refusalsBeforeAnyLabStarts() async throws {
    let site = try Site()
    try await offThePool {
      // A group no lab has: a check error, and no lab was made.
      let unknown = try site.haflow(["rehearse", Self.fixtures + "unknown-group.hf"])
      #expect(unknown.status == 65, "\(unknown.stderr)")
      #expect(
        unknown.stderr.contains(
          "the playbook names 'masters', which the rehearsal lab (stacked: lb, 3 control planes, 3 workers) does not have"
        ), "\(unknown.stderr)")
      #expect(!FileManager.default.fileExists(atPath: site.lab + "/lab.json"))
      let topology = try site.haflow([
        "rehearse", Self.fixtures + "stacked.hf", "--topology", "ring",
      ])
      #expect(topology.status == 2)
      #expect(topology.stderr.contains("unknown topology 'ring'"))
      let missing = try site.haflow(["rehearse", site.url.path + "/nope.hf"])
      #expect(missing.status == 2, "\(missing.stderr)")
      #expect(!FileManager.default.fileExists(atPath: site.lab + "/lab.json"))

      let help = try site.haflow(["rehearse", "--help"])
      #expect(help.status == 0)
      // The help is wrapped to the terminal's width: compare with the lines joined.
      let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
      for phrase in [
        "it runs no Kubernetes", "external etcd (lb, cp1-3, w1-3, etcd1-3) when the playbook",
        "HAFLOW_REHEARSE_ADDRESS", "--keep", "sudo haflow rehearse playbooks/stacked-etcd.hf",
      ] {
        #expect(text.contains(phrase), "\(phrase)")
      }
    }
  }
}
