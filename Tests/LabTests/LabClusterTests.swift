import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Inventory
@testable import Lab
@testable import Session

#if canImport(Glibc)
  import Glibc
#endif

/// Cluster labs as root: isolated hosts (their own hostname and directories, an `ubuntu` user
/// with sudo), the topologies and their inventories, haproxy balancing and failing over,
/// hosts stopped and started, the clock, and nothing left behind — no process, mount or
/// namespace. Addresses 127.0.0.160–.189, one range per test.
@Suite(.serialized, .enabled(if: LabUser.isRoot, "isolated lab hosts need root"))
struct LabClusterTests {
  /// The external topology brought up once: every host is its own machine over SSH.
  @Test(.timeLimit(.minutes(3))) func externalTopologyHostsAreSeparateMachines() async throws {
    let shape = try LabShape.named("external")
    try await Self.withLab(shape: shape, first: "127.0.0.160") { lab, report in
      print("lab up --topology external: \(report.elapsed)")
      let names = ["lb", "cp1", "cp2", "cp3", "w1", "w2", "w3", "etcd1", "etcd2", "etcd3"]
      #expect(report.state.hosts.map(\.name) == names)
      #expect(report.state.hosts.map(\.address) == (160...169).map { "127.0.0.\($0)" })
      #expect(report.state.isolated)
      #expect(report.hosts.allSatisfy { $0.isUp }, "\(report.hosts.filter { !$0.isUp })")
      let lbStatus = try #require(report.hosts.first)
      #expect(lbStatus.components.map(\.name) == ["haproxy"])
      #expect(lbStatus.components.first?.port == 6443)

      // Both inventories: the groups and the endpoint variable.
      for path in [lab.files.inventoryINI, lab.files.inventoryHF] {
        let inventory = try InventoryLoader.load(path: path)
        #expect(inventory.hosts.map(\.name) == names, "\(path)")
        #expect(inventory.group(named: "load_balancer").map(\.name) == ["lb"], "\(path)")
        #expect(inventory.group(named: "control_plane").map(\.name) == ["cp1", "cp2", "cp3"])
        #expect(inventory.group(named: "workers").map(\.name) == ["w1", "w2", "w3"])
        #expect(inventory.group(named: "etcd").map(\.name) == ["etcd1", "etcd2", "etcd3"])
        #expect(inventory.group(named: "lab").count == 10)
        for host in inventory.hosts {
          #expect(host.vars["control_plane_endpoint"] == .string("127.0.0.160:6443"), "\(path)")
        }
      }

      let setup = try RemoteSetup.load(
        inventoryPath: lab.files.inventoryHF, environment: ["HOME": "/nonexistent"])
      let executor = setup.makeExecutor()
      defer { executor.close() }
      let hosts = Dictionary(uniqueKeysWithValues: setup.inventory.hosts.map { ($0.name, $0) })
      let cp1 = try #require(hosts["cp1"])
      let cp2 = try #require(hosts["cp2"])

      // Each host's own name, and its own directories.
      for name in names {
        let host = try #require(hosts[name])
        let result = try executor.run("hostname; cat /etc/hostname", on: host)
        #expect(result.stdout == "\(name)\n\(name)\n", "\(name)")
      }
      let own = [
        "/etc/kubernetes", "/var/lib/etcd", "/var/lib/kubelet", "/root", "/home", "/tmp",
        "/usr/local/bin",
      ]
      let marker = "haflow-lab-isolation-\(UInt32.random(in: 1...UInt32.max))"
      let write = own.map { "echo cp1 > \($0)/\(marker)" }.joined(separator: " && ")
      #expect(try executor.run(write, on: cp1).exitStatus == 0)
      let count =
        "ls -d " + own.map { "\($0)/\(marker)" }.joined(separator: " ")
        + " 2>/dev/null | wc -l"
      #expect(try executor.run(count, on: cp1).stdout == "\(own.count)\n")
      #expect(try executor.run(count, on: cp2).stdout == "0\n")
      for path in own {
        #expect(!FileManager.default.fileExists(atPath: "\(path)/\(marker)"), "\(path) here")
        #expect(
          FileManager.default.fileExists(atPath: lab.files.fs("cp1") + "\(path)/\(marker)"))
      }
      // The rest of the machine is shared: the same /usr on every host.
      #expect(try executor.run("test -x /usr/bin/env && echo yes", on: cp2).stdout == "yes\n")

      // ubuntu: home in the host's own /home, passwordless sudo, no warning from sudo.
      let ubuntuExecutor = setup.makeExecutor()
      defer { ubuntuExecutor.close() }
      var asUbuntu = cp2
      asUbuntu.user = "ubuntu"
      let sudo = try ubuntuExecutor.run(
        "id -un; echo ~; pwd; sudo -n id -un; sudo -n cat /etc/sudoers.d/90-haflow-lab-ubuntu",
        on: asUbuntu)
      #expect(
        sudo.stdout == "ubuntu\n/home/ubuntu\n/home/ubuntu\nroot\nubuntu ALL=(ALL) NOPASSWD:ALL\n")
      #expect(sudo.stderr == "")
      #expect(sudo.exitStatus == 0)
      #expect(try executor.run("sudo -n -u ubuntu id -un", on: cp1).stdout == "ubuntu\n")

      // Stop w2: unreachable, shown as stopped; start it: back, with its files.
      let w2 = try #require(hosts["w2"])
      #expect(try executor.run("echo kept > /var/lib/kubelet/\(marker)", on: w2).exitStatus == 0)
      executor.close()
      #expect(try lab.stop(["w2"]) == ["w2"])
      let stopped = try #require(try lab.status()?.first { $0.name == "w2" })
      #expect(!stopped.isUp && stopped.stoppedOnPurpose)
      #expect(stopped.summary == "down (stopped with haflow lab stop)")
      #expect(LabIsolation.members(view: lab.files.view("w2")).isEmpty)
      #expect(throws: (any Error).self) { try executor.run("true", on: w2) }
      #expect(try lab.start(["w2"]) == ["w2"])
      let back = try executor.run("hostname; cat /var/lib/kubelet/\(marker)", on: w2)
      #expect(back.stdout == "w2\nkept\n")
      #expect(try lab.status()?.allSatisfy { $0.isUp } == true)
      #expect(try lab.start(["w2"]).isEmpty, "an up host is left alone")
      #expect(throws: LabError.self) { try lab.stop(["w9"]) }

      // The cluster clock adds up.
      #expect(try lab.advance(seconds: LabClock.seconds("3h") ?? 0) == 10_800)
      #expect(try lab.advance(seconds: LabClock.seconds("30m") ?? 0) == 12_600)
      #expect(try lab.state()?.clockOffsetSeconds == 12_600)
      // Inside a host (where lab.json is not visible) sessions find the offset through
      // HAFLOW_LAB_CLOCK_FILE, as the API server stand-in does.
      let seen = try executor.run("cat \"$HAFLOW_LAB_CLOCK_FILE\"", on: cp2)
      #expect(seen.stdout == "{\"clockOffsetSeconds\": 12600}\n", "\(seen.stderr)")

      // A daemon a playbook leaves behind on a host goes with `down` too.
      let daemon = "setsid sleep 600 </dev/null >/dev/null 2>&1 & echo started"
      #expect(try executor.run(daemon, on: cp2).stdout == "started\n")
      executor.close()
      ubuntuExecutor.close()
      let down = try lab.down()
      print("lab down (external): \(down.elapsed)")
      #expect(down.stopped == names)
      #expect(down.leftover.isEmpty)
    }
  }

  /// haproxy on lb:6443 balances over the control planes' :6443, fails over when one stops,
  /// closes connections when none is up, and goes down with lb.
  @Test(.timeLimit(.minutes(2))) func haproxyBalancesAndFailsOver() async throws {
    let shape = try LabShape.named(nil, controlPlanes: 2, workers: 0)
    try await Self.withLab(shape: shape, first: "127.0.0.175") { lab, report in
      #expect(report.state.hosts.map(\.name) == ["lb", "cp1", "cp2"])
      let lb = "127.0.0.175"
      let config = try String(
        contentsOfFile: lab.files.component("lb", "haproxy.cfg"), encoding: .utf8)
      #expect(config.contains("server cp1 127.0.0.176:6443 check"))
      #expect(config.contains("server cp2 127.0.0.177:6443 check"))
      let cp1 = try StandInServer(name: "cp1", address: "127.0.0.176", port: 6443)
      let cp2 = try StandInServer(name: "cp2", address: "127.0.0.177", port: 6443)
      defer {
        cp1.stop()
        cp2.stop()
      }
      // haproxy's checks found both down at start; one good check (1 s) brings each back.
      #expect(
        Self.waitUntil(seconds: 5) {
          Set((0..<4).map { _ in StandInServer.ask(lb, 6443) }) == ["cp1", "cp2"]
        })
      let answers = (0..<6).map { _ in StandInServer.ask(lb, 6443) }
      #expect(Set(answers) == ["cp1", "cp2"], "\(answers)")

      // One control plane stops: every connection still reaches the other (a refused one is
      // sent on), and haproxy marks it down after a failed check (one a second; the bound
      // is wider because CI's two cores are shared with a busy test run).
      cp1.stop()
      let afterStop = (0..<6).map { _ in StandInServer.ask(lb, 6443) }
      #expect(afterStop.allSatisfy { $0 == "cp2" }, "\(afterStop)")
      let logFile = lab.files.component("lb", "haproxy.log")
      // haproxy logs cp1 UP only if its first check found it down (when the stand-in started
      // after haproxy's first check); either way the last word on cp1 must be DOWN.
      let markedDown = Self.waitUntil(seconds: 10) {
        let log = LabFiles.read(logFile) ?? ""
        guard let down = log.range(of: "control-plane/cp1 is DOWN", options: .backwards) else {
          return false
        }
        return !log[down.upperBound...].contains("control-plane/cp1 is UP")
      }
      #expect(markedDown, "cp1 not marked down: \(LabFiles.read(logFile) ?? "")")

      // None up: haproxy accepts and closes, saying nothing.
      cp2.stop()
      #expect(Self.waitUntil(seconds: 3) { StandInServer.ask(lb, 6443) == "" })

      // It comes back when a control plane does.
      let again = try StandInServer(name: "cp2", address: "127.0.0.177", port: 6443)
      defer { again.stop() }
      #expect(Self.waitUntil(seconds: 5) { StandInServer.ask(lb, 6443) == "cp2" })

      // lb stopped: the endpoint refuses; started: haproxy is back.
      #expect(try lab.stop(["lb"]) == ["lb"])
      #expect(StandInServer.ask(lb, 6443) == nil)
      let lbStatus = try #require(try lab.status()?.first)
      #expect(lbStatus.components.first?.running == false)
      #expect(try lab.start(["lb"]) == ["lb"])
      #expect(Self.waitUntil(seconds: 5) { StandInServer.ask(lb, 6443) == "cp2" })
      #expect(try lab.status()?.allSatisfy { $0.isUp } == true)

      // haproxy killed behind the lab's back: lab up restarts it alone, and reaps the dead
      // one (started by this process, it would stay a zombie child of the test run).
      let haproxy = try #require(try lab.status()?.first?.components.first?.pid)
      kill(haproxy, SIGKILL)
      #expect(Self.waitUntil(seconds: 3) { !LabProcesses.isAlive(haproxy) })
      let up = try lab.up(LabOptions(shape: shape, firstAddress: "127.0.0.175"))
      #expect(up.started.isEmpty)
      #expect(up.hosts.allSatisfy { $0.isUp })
      #expect(up.hosts.first?.components.first?.pid != haproxy)
      var status: Int32 = 0
      #expect(waitpid(haproxy, &status, WNOHANG) == -1 && errno == ECHILD, "not reaped")
    }
  }

  /// Two labs side by side in different directories: the same host names, separate machines,
  /// and taking one down leaves the other running.
  @Test(.timeLimit(.minutes(2))) func twoLabsSideBySide() async throws {
    let first = NSTemporaryDirectory() + "haflow-labtest-\(UUID().uuidString)"
    let second = NSTemporaryDirectory() + "haflow-labtest-\(UUID().uuidString)"
    let labA = Lab(directory: first)
    let labB = Lab(directory: second)
    defer {
      for lab in [labA, labB] {
        _ = try? lab.down()
        try? FileManager.default.removeItem(atPath: lab.files.directory)
      }
    }
    try await blocking {
      defer {
        _ = try? labA.down()
        _ = try? labB.down()
      }
      _ = try labA.up(LabOptions(hosts: 2, firstAddress: "127.0.0.180"))
      _ = try labB.up(LabOptions(hosts: 2, firstAddress: "127.0.0.185"))
      let a = try RemoteSetup.load(
        inventoryPath: labA.files.inventoryINI, environment: ["HOME": "/nonexistent"])
      let b = try RemoteSetup.load(
        inventoryPath: labB.files.inventoryINI, environment: ["HOME": "/nonexistent"])
      let runA = a.makeExecutor()
      let runB = b.makeExecutor()
      defer {
        runA.close()
        runB.close()
      }
      let nodeA = try #require(a.inventory.hosts.first)
      let nodeB = try #require(b.inventory.hosts.first)
      #expect(try runA.run("echo A > /root/which; hostname", on: nodeA).stdout == "node1\n")
      #expect(
        try runB.run("cat /root/which 2>&1 || echo none", on: nodeB).stdout.hasSuffix("none\n"))
      runA.close()
      #expect(try labA.down().stopped == ["node1", "node2"])
      #expect(LabClusterTests.leftovers(of: labA).isEmpty)
      #expect(try runB.run("hostname", on: nodeB).stdout == "node1\n")
      #expect(try labB.status()?.allSatisfy { $0.isUp } == true)
    }
    for lab in [labA, labB] { #expect(Self.leftovers(of: lab).isEmpty) }
  }

  /// Starts a cluster lab in a fresh directory, runs `body` off the cooperative pool, then
  /// stops the lab and removes its directory whatever happened, checking that no process,
  /// mount or namespace of it is left.
  static func withLab(
    shape: LabShape, first: String,
    _ body: @escaping @Sendable (Lab, LabUpReport) throws -> Void
  ) async throws {
    let directory = NSTemporaryDirectory() + "haflow-labtest-\(UUID().uuidString)"
    let lab = Lab(directory: directory)
    defer {
      _ = try? lab.down()
      try? FileManager.default.removeItem(atPath: directory)
    }
    try await blocking {
      defer { _ = try? lab.down() }
      let report = try lab.up(LabOptions(shape: shape, firstAddress: first))
      try body(lab, report)
    }
    #expect(leftovers(of: lab).isEmpty, "left behind: \(leftovers(of: lab))")
  }

  /// What of `lab` is still there: live processes that mention its directory, processes whose
  /// mount table does (a namespace that outlived the lab), namespaces of its hosts.
  static func leftovers(of lab: Lab) -> [String] {
    let directory = lab.files.directory
    var found = ProcessTree.matching(directory).map { "process \($0)" }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for entry in entries where Int32(entry) != nil {
      if let table = LabFiles.read("/proc/\(entry)/mountinfo"), table.contains(directory) {
        found.append("mounts of process \(entry)")
      }
    }
    for host in (try? lab.state())??.hosts ?? [] {
      found += LabIsolation.members(view: lab.files.view(host.name)).map { "namespace \($0)" }
    }
    return found
  }

  /// Polls `condition` every 50 ms for up to `seconds`.
  static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    repeat {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    } while Date() < deadline
    return false
  }
}
