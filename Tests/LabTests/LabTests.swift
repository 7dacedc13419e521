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

/// `Lab`: real sshd hosts started, used over SSH with the lab's own files, and stopped. Each
/// test uses its own addresses (127.0.0.100 and up) and directory, and stops its lab even
/// when it fails.
@Suite(.serialized) struct LabTests {
  @Test(.timeLimit(.minutes(2))) func upUseStatusDown() async throws {
    try await withLab(first: "127.0.0.100", hosts: 3) { lab, report in
      #expect(report.started == ["node1", "node2", "node3"])
      #expect(report.hosts.filter { !$0.isUp }.isEmpty)
      #expect(report.state.hosts.map(\.address) == ["127.0.0.100", "127.0.0.101", "127.0.0.102"])
      if LabUser.isRoot { #expect(report.state.hosts.allSatisfy { $0.port == 22 }) }

      // Both inventories list the hosts, the groups, the key and the known_hosts file.
      for path in [lab.files.inventoryINI, lab.files.inventoryHF] {
        let inventory = try InventoryLoader.load(path: path)
        #expect(inventory.hosts.map(\.name) == ["node1", "node2", "node3"], "\(path)")
        #expect(inventory.group(named: "lab").count == 3)
        #expect(inventory.group(named: "control_plane").map(\.name) == ["node1"])
        #expect(inventory.group(named: "workers").map(\.name) == ["node2", "node3"])
        let node2 = try #require(inventory.host(named: "node2"))
        #expect(node2.address == "127.0.0.101" && node2.port == report.state.hosts[1].port)
        #expect(node2.user == report.state.user)
        #expect(node2.vars["haflow_known_hosts"] == .string(lab.files.knownHosts))
        let key =
          node2.vars["ansible_ssh_private_key_file"] ?? node2.vars["identity_file"] ?? .null
        #expect(key == .string(lab.files.clientKey))
      }

      // A real command on each host, trusting only the lab's known_hosts (named by the
      // inventory: HOME has no .ssh at all).
      let home = lab.files.directory + "/empty-home"
      try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
      let setup = try RemoteSetup.load(
        inventoryPath: lab.files.inventoryINI, environment: ["HOME": home, "USER": "nobody"])
      let executor = setup.makeExecutor()
      defer { executor.close() }
      for host in setup.inventory.hosts {
        let result = try executor.run("echo hello from $(id -un)", on: host)
        #expect(result.exitStatus == 0)
        #expect(result.stdout == "hello from \(report.state.user)\n")
      }
      executor.close()

      // Up again: nothing starts twice.
      let again = try lab.up(LabOptions(hosts: 3, firstAddress: "127.0.0.100"))
      #expect(again.started.isEmpty)
      #expect(again.hosts.map(\.pid) == report.hosts.map(\.pid))

      let down = try lab.down()
      #expect(down.stopped == ["node1", "node2", "node3"])
      #expect(down.leftover.isEmpty)
      #expect(LabTests.processes(mentioning: lab.files.directory).isEmpty)
      #expect(try lab.status()?.filter { $0.isUp }.isEmpty == true)
      #expect(try lab.down().stopped.isEmpty)
      for host in report.state.hosts {
        #expect(!FileManager.default.fileExists(atPath: lab.files.pidFile(host.name)))
      }
    }
  }

  @Test(.timeLimit(.minutes(2))) func upRestartsADeadHostWithItsKeyAndPort() async throws {
    try await withLab(first: "127.0.0.105", hosts: 2) { lab, report in
      let knownHosts = try String(contentsOfFile: lab.files.knownHosts, encoding: .utf8)
      let victim = try #require(report.hosts[1].pid)
      kill(victim, SIGKILL)
      var status: Int32 = 0
      _ = waitpid(victim, &status, 0)
      let hosts = try #require(try lab.status())
      #expect(hosts.map(\.isUp) == [true, false])
      #expect(hosts[1].summary == "down (not running)")
      let again = try lab.up(LabOptions(hosts: 2, firstAddress: "127.0.0.105"))
      #expect(again.started == ["node2"])
      #expect(again.hosts.filter { !$0.isUp }.isEmpty)
      #expect(again.hosts[1].port == report.hosts[1].port)
      #expect(try String(contentsOfFile: lab.files.knownHosts, encoding: .utf8) == knownHosts)
      // A different size while it runs is refused.
      #expect(throws: LabError.self) {
        try lab.up(LabOptions(hosts: 3, firstAddress: "127.0.0.105"))
      }
    }
  }

  @Test(.timeLimit(.minutes(2)), .enabled(if: LabUser.isRoot, "creating a user needs root"))
  func plainShUser() async throws {
    try await withLab(first: "127.0.0.108", hosts: 1, user: "haflowlab") { lab, report in
      #expect(report.state.user == "haflowlab")
      let setup = try RemoteSetup.load(
        inventoryPath: lab.files.inventoryHF, environment: ["HOME": "/nonexistent"])
      let executor = setup.makeExecutor()
      defer { executor.close() }
      let host = try #require(setup.inventory.hosts.first)
      let result = try executor.run(
        "id -un; basename \"$(getent passwd $(id -un) | cut -d: -f7)\"; ls -A ~ | wc -l", on: host)
      #expect(result.stdout == "haflowlab\nsh\n0\n")
      #expect(result.stderr == "")
    }
  }

  /// Lab hosts stand for fresh nodes: a command does not read the login user's `~/.bashrc`
  /// (root's on this machine may start pyenv and print to stderr when commands race).
  @Test(.timeLimit(.minutes(2)), .enabled(if: LabUser.isRoot, "creating a user needs root"))
  func commandsDoNotReadTheLoginUsersBashrc() async throws {
    let user = "haflowrc"
    _ = try? LabSpawn.check(["userdel", "-r", user])
    try LabSpawn.check(["useradd", "-m", "-s", "/bin/bash", "-p", "*", user])
    defer { _ = try? LabSpawn.check(["userdel", "-r", user]) }
    let home = "/home/" + user
    try "echo bashrc-ran >&2\nexport FROM_RC=yes\n".write(
      toFile: home + "/.bashrc", atomically: true, encoding: .utf8)
    // Shared: the user's real home (with its .bashrc) is what the host sees.
    try await withLab(first: "127.0.0.109", hosts: 1, user: user, shared: true) { lab, _ in
      let setup = try RemoteSetup.load(
        inventoryPath: lab.files.inventoryHF, environment: ["HOME": "/nonexistent"])
      let executor = setup.makeExecutor()
      defer { executor.close() }
      let host = try #require(setup.inventory.hosts.first)
      let result = try executor.run("basename \"$SHELL\"; echo \"rc=${FROM_RC:-no}\"", on: host)
      #expect(result.stdout == "bash\nrc=no\n")
      #expect(result.stderr == "")
    }
  }

  @Test func optionsAndLayout() throws {
    #expect(throws: LabError.self) { try Lab(directory: "/nonexistent/x").up(LabOptions(hosts: 0)) }
    #expect(throws: LabError.self) {
      try Lab(directory: "/nonexistent/x").up(LabOptions(hosts: 1001))
    }
    #expect(
      try LabNetwork.addresses(from: "127.0.0.2", count: 3) == [
        "127.0.0.2", "127.0.0.3", "127.0.0.4",
      ])
    #expect(throws: LabError.self) { try LabNetwork.addresses(from: "10.0.0.2", count: 1) }
    // Past a /24: on Linux all of 127.0.0.0/8 is this machine.
    #expect(
      try LabNetwork.addresses(from: "127.0.4.254", count: 4) == [
        "127.0.4.254", "127.0.4.255", "127.0.5.0", "127.0.5.1",
      ])
    #expect(try LabNetwork.addresses(from: "127.0.4.0", count: 1024).last == "127.0.7.255")
    #expect(throws: LabError.self) { try LabNetwork.addresses(from: "127.255.255.250", count: 6) }
    #expect(throws: LabError.self) { try LabNetwork.addresses(from: "127.0.0.0", count: 1) }
    let names = { (n: Int) in (1...n).map { "node\($0)" } }
    #expect(LabInventory.groups(names(1)).map(\.0) == ["lab", "control_plane"])
    #expect(LabInventory.groups(names(4)).map(\.1.count) == [4, 1, 3])
    #expect(LabInventory.groups(names(5)).map(\.1.count) == [5, 3, 2])
    #expect(
      LabFiles.defaultDirectory(environment: [:], currentDirectory: "/srv/x")
        == "/srv/x/.haflow/lab")
    #expect(
      LabFiles.defaultDirectory(
        environment: ["HAFLOW_LAB_DIR": "../lab2"], currentDirectory: "/srv/x")
        == "/srv/lab2")
  }

  @Test func clusterShapesAndTheirInventories() throws {
    let stacked = try LabShape.named("stacked")
    #expect(stacked.names == ["lb", "cp1", "cp2", "cp3", "w1", "w2", "w3"])
    #expect(stacked.topology == "stacked" && stacked.etcd == 0)
    let external = try LabShape.named("external")
    #expect(external.names.suffix(3) == ["etcd1", "etcd2", "etcd3"])
    #expect(external.summary == "external: lb, 3 control planes, 3 workers, 3 etcd hosts")
    let even = try LabShape.named(nil, controlPlanes: 2, workers: 0)
    #expect(even.names == ["lb", "cp1", "cp2"] && even.topology == "custom")
    #expect(try LabShape.named("stacked", etcd: 3) == external)
    #expect(throws: LabError.self) { try LabShape.named("ring") }
    #expect(throws: LabError.self) { try LabShape.named(nil, controlPlanes: 0) }
    #expect(throws: LabError.self) { try LabShape.named(nil, workers: -1) }
    #expect(throws: LabError.self) { try LabShape.named(nil, workers: 47) }

    // The inventories of a stacked lab, without starting it: the groups (etcd on the control
    // planes), the endpoint for every host, and both files read the same.
    let addresses = try LabNetwork.addresses(from: "127.0.0.2", count: 7)
    let state = LabState(
      hosts: zip(stacked.names, addresses).map { .init(name: $0, address: $1, port: 22) },
      user: "root", shape: stacked, isolated: true)
    let directory = NSTemporaryDirectory() + "haflow-labinv-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let files = LabFiles(directory: directory)
    let ini = LabInventory.ini(state, files)
    #expect(ini.contains("control_plane_endpoint=127.0.0.2:6443\n"))
    #expect(ini.contains("\n[etcd]\ncp1\ncp2\ncp3\n"))
    #expect(ini.contains("[load_balancer]\nlb\n"))
    try LabFiles.write(ini, to: files.inventoryINI)
    try LabFiles.write(LabInventory.haflow(state, files), to: files.inventoryHF)
    for path in [files.inventoryINI, files.inventoryHF] {
      let inventory = try InventoryLoader.load(path: path)
      #expect(inventory.group(named: "etcd").map(\.name) == ["cp1", "cp2", "cp3"], "\(path)")
      #expect(inventory.group(named: "load_balancer").map(\.name) == ["lb"])
      #expect(inventory.group(named: "control_plane").map(\.name) == ["cp1", "cp2", "cp3"])
      #expect(inventory.group(named: "workers").map(\.name) == ["w1", "w2", "w3"])
      #expect(
        inventory.host(named: "w3")?.vars["control_plane_endpoint"] == .string("127.0.0.2:6443"))
    }

    // A lab.json written before clusters, isolation, lab stop and the clock still reads.
    let old = #"{"hosts":[{"name":"node1","address":"127.0.0.2","port":22}],"user":"root"}"#
    let decoded = try JSONDecoder().decode(LabState.self, from: Data(old.utf8))
    #expect(decoded.shape == nil && !decoded.isolated && decoded.stopped.isEmpty)
    #expect(decoded.clockOffsetSeconds == 0)
  }

  @Test func clockDurations() throws {
    #expect(LabClock.seconds("3h") == 10_800)
    #expect(LabClock.seconds("1h30m") == 5_400)
    #expect(LabClock.seconds("90m") == 5_400)
    #expect(LabClock.seconds("2d") == 172_800)
    #expect(LabClock.seconds("45s") == 45)
    for bad in ["", "3", "h", "3x", "-3h", "0s", "1.5h", "3h ", "99999999999999999999h"] {
      #expect(LabClock.seconds(bad) == nil, "\(bad)")
    }
    #expect(LabClock.text(seconds: 12_600) == "3h30m")
    #expect(LabClock.text(seconds: 0) == "0s")
    #expect(LabClock.text(seconds: 90_061) == "1d1h1m1s")
    #expect(throws: LabError.self) { try Lab(directory: "/nonexistent/x").advance(seconds: 60) }
  }

  @Test(.timeLimit(.minutes(1))) func statusWithoutALab() throws {
    #expect(try Lab(directory: "/nonexistent/haflow-lab").status() == nil)
    #expect(try Lab(directory: "/nonexistent/haflow-lab").down().stopped.isEmpty)
  }

  /// Starts a lab in a fresh directory, runs `body` (off the cooperative pool), then stops the
  /// lab and removes the directory whatever happened, checking nothing is left running.
  private func withLab(
    first: String, hosts: Int, user: String? = nil, shared: Bool = false,
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
      let report = try lab.up(
        LabOptions(hosts: hosts, user: user, firstAddress: first, shared: shared))
      try body(lab, report)
    }
    #expect(LabTests.processes(mentioning: directory).isEmpty, "sshd left running")
  }

  /// Live processes whose command line mentions `text`.
  static func processes(mentioning text: String) -> [Int32] {
    ProcessTree.matching(text)
  }
}
