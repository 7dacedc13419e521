import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session

#if canImport(Glibc)
  import Glibc
#endif

/// `ProxyJump` against real sshd servers: the target listens in a network namespace the test
/// creates, so this process cannot connect to it; the bastion is an `sshd -i` started inside
/// that namespace for each connection accepted on 127.0.0.36 (the way inetd runs sshd), so it
/// reaches both sides.
@Suite(.serialized) struct SSHJumpTests {
  /// The target's address and port inside the namespace (nothing listens there outside it).
  static let targetAddress = "127.0.0.38"
  /// Root, with `unshare`, `nsenter` and `ip`: what making the namespace takes.
  static let canMakeNamespaces: Bool = {
    let present = { (path: String) in FileManager.default.isExecutableFile(atPath: path) }
    return getuid() == 0 && present("/usr/bin/unshare") && present("/usr/bin/nsenter")
      && (present("/usr/sbin/ip") || present("/bin/ip"))
  }()
  static let targetPort = 22

  /// The two servers, their keys and a known_hosts file trusting both.
  final class Bastion: @unchecked Sendable {
    let directory: String
    let port: Int
    let holder: pid_t
    let listener: Int32
    let stop = Atomic<Bool>(false)
    let accepted = Atomic<Int>(0)
    /// The `sshd -i` processes started, reaped at shutdown.
    let served = Mutex<[pid_t]>([])
    var knownHosts: String { directory + "/known_hosts" }
    var clientKey: String { directory + "/client" }

    init() throws {
      directory =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("haflow-jump-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      for name in ["client", "target_host", "bastion_host"] {
        try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/" + name)
      }
      try FileManager.default.copyItem(
        atPath: directory + "/client.pub", toPath: directory + "/authorized_keys")
      port = try SSHServerFixture.freePort(on: "127.0.0.36")
      let base = directory
      let key = { (name: String) throws -> String in
        try String(contentsOfFile: base + "/\(name).pub", encoding: .utf8)
          .split(separator: " ").prefix(2).joined(separator: " ")
      }
      try """
      [127.0.0.36]:\(port) \(try key("bastion_host"))
      \(SSHJumpTests.targetAddress) \(try key("target_host"))

      """.write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
      for (name, listen) in [
        ("target", "ListenAddress \(SSHJumpTests.targetAddress):\(SSHJumpTests.targetPort)\n"),
        ("bastion", ""),
      ] {
        try """
        \(listen)HostKey \(directory)/\(name)_host
        PidFile \(directory)/\(name).pid
        AuthorizedKeysFile \(directory)/authorized_keys
        StrictModes no
        UsePAM no
        PermitRootLogin yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        AllowTcpForwarding yes
        UseDNS no
        LogLevel ERROR
        SetEnv SHLVL=1

        """.write(toFile: directory + "/\(name)_config", atomically: true, encoding: .utf8)
      }
      // The namespace and the target sshd in it.
      holder = try Self.spawn(
        [
          "/usr/bin/unshare", "--net", "--fork", "--", "/bin/sh", "-c",
          "ip link set lo up && exec /usr/sbin/sshd -D -e -f \(directory)/target_config",
        ], input: -1, log: directory + "/target.log")
      listener = try Self.listen(port: port)
    }

    /// The sshd in the namespace (the holder's child), once it runs.
    func namespacePID() throws -> pid_t {
      for _ in 0..<100 {
        if let child = ProcessTree.children(of: holder).first { return child }
        usleep(50_000)
      }
      throw RemoteError("the namespace did not start")
    }

    /// Accepts connections until stopped, each served by `sshd -i` in the namespace.
    func serve() throws {
      let namespace = "/proc/\(try namespacePID())/ns/net"
      Thread.detachNewThread {
        while !self.stop.load(ordering: .relaxed) {
          var ready = pollfd(fd: self.listener, events: Int16(POLLIN), revents: 0)
          guard poll(&ready, 1, 100) > 0 else { continue }
          let connection = accept(self.listener, nil, nil)
          guard connection >= 0 else { continue }
          self.accepted.add(1, ordering: .relaxed)
          if let pid = try? Self.spawn(
            [
              "/usr/bin/nsenter", "--net=\(namespace)", "/usr/sbin/sshd", "-i", "-e", "-f",
              self.directory + "/bastion_config",
            ], input: connection, log: self.directory + "/bastion.log")
          {
            self.served.withLock { $0.append(pid) }
          }
          close(connection)
        }
      }
    }

    /// Stops accepting, ends every process of the namespace and the bastions, removes files.
    func shutdown() {
      stop.store(true, ordering: .relaxed)
      close(listener)
      let served = self.served.withLock { $0 }
      for pid in ProcessTree.matching(directory) + served + [holder] { kill(pid, SIGKILL) }
      var status: Int32 = 0
      for pid in served + [holder] { _ = waitpid(pid, &status, 0) }
      for _ in 0..<50 where !ProcessTree.matching(directory).isEmpty { usleep(50_000) }
      try? FileManager.default.removeItem(atPath: directory)
    }

    private static func listen(port: Int) throws -> Int32 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
      var one: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      inet_pton(AF_INET, "127.0.0.36", &address.sin_addr)
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      guard bound == 0, Glibc.listen(fd, 16) == 0 else {
        close(fd)
        throw RemoteError("cannot listen on 127.0.0.36:\(port)")
      }
      return fd
    }

    /// Starts `arguments` with `input` (when ≥ 0) as standard input and output, stderr to
    /// `log`.
    private static func spawn(_ arguments: [String], input: Int32, log: String) throws -> pid_t {
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      if input >= 0 {
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, input, 1)
      } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      }
      posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
      var attributes = Shell.cleanSignals()
      defer { posix_spawnattr_destroy(&attributes) }
      var pid: pid_t = 0
      let argv = arguments.map { strdup($0) } + [nil]
      defer { for pointer in argv { free(pointer) } }
      let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
      guard status == 0 else { throw RemoteError("cannot start \(arguments[0])") }
      return pid
    }
  }

  /// A configuration trusting both servers, with the client key and no agent.
  static func configuration(_ bastion: Bastion, jump: String?) -> SSHConfiguration {
    var configuration = SSHConfiguration(environment: ["HOME": bastion.directory, "USER": "root"])
    configuration.knownHostsPath = bastion.knownHosts
    configuration.identityFiles = [bastion.clientKey]
    configuration.agentSocket = nil
    configuration.connectTimeout = .seconds(5)
    configuration.hostOptions["target"] = SSHHostOptions(proxyJump: jump)
    configuration.hostOptions["target2"] = SSHHostOptions(proxyJump: jump)
    return configuration
  }

  static let target = Host(name: "target", address: targetAddress, port: targetPort, user: "root")

  @Test(
    .enabled(if: canMakeNamespaces, "needs root, unshare, nsenter and ip"),
    .timeLimit(.minutes(2)))
  func commandsAndTransfersReachATargetOnlyTheBastionReaches() async throws {
    try await blocking {
      let bastion = try Bastion()
      defer { bastion.shutdown() }
      try bastion.serve()
      // Directly: nothing there.
      let direct = SSHExecutor(configuration: Self.configuration(bastion, jump: nil))
      defer { direct.close() }
      let refused = errorMessage { _ = try direct.run("true", on: Self.target) } ?? ""
      #expect(refused.contains("connection refused"), "\(refused)")

      let jump = "root@127.0.0.36:\(bastion.port)"
      let executor = SSHExecutor(configuration: Self.configuration(bastion, jump: jump))
      defer { executor.close() }
      let result = try executor.run(
        "echo via $(cat /proc/sys/kernel/hostname) && id -un", on: Self.target)
      #expect(result.exitStatus == 0, "\(result.stderr)")
      #expect(result.stdout.hasSuffix("root\n"), "\(result.stdout)")
      // A second host behind the same bastion shares its session.
      let second = Host(
        name: "target2", address: Self.targetAddress, port: Self.targetPort, user: "root")
      #expect(try executor.run("echo two", on: second).stdout == "two\n")
      #expect(bastion.accepted.load(ordering: .relaxed) == 1)
      // Bytes both ways: 2 MB up and back down through the tunnel.
      let payload = (0..<2_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let local = bastion.directory + "/payload"
      try Data(payload).write(to: URL(fileURLWithPath: local))
      let transfers = try executor.transfers(on: Self.target)
      _ = try transfers.upload(
        local, to: "/tmp/haflow-jump-payload", options: FileTransferOptions())
      let back = bastion.directory + "/back"
      _ = try transfers.download(
        "/tmp/haflow-jump-payload", to: back, options: FileTransferOptions())
      #expect(FileManager.default.contents(atPath: back) == Data(payload))
      _ = try executor.run("rm -f /tmp/haflow-jump-payload", on: Self.target)
    }
  }

  /// A two-hop chain: the bastion, then the target's own sshd as the second jump host (it
  /// allows forwarding too), then the target; the first hop's session is opened once.
  @Test(
    .enabled(if: canMakeNamespaces, "needs root, unshare, nsenter and ip"),
    .timeLimit(.minutes(2)))
  func aTwoHopChain() async throws {
    try await blocking {
      let bastion = try Bastion()
      defer { bastion.shutdown() }
      try bastion.serve()
      let chain = "root@127.0.0.36:\(bastion.port),root@\(Self.targetAddress):\(Self.targetPort)"
      let executor = SSHExecutor(configuration: Self.configuration(bastion, jump: chain))
      defer { executor.close() }
      #expect(try executor.run("echo two hops", on: Self.target).stdout == "two hops\n")
      let second = Host(
        name: "target2", address: Self.targetAddress, port: Self.targetPort, user: "root")
      #expect(try executor.run("echo again", on: second).stdout == "again\n")
      #expect(bastion.accepted.load(ordering: .relaxed) == 1)
      // The second hop's key unknown: the error names both hops.
      var unknown = Self.configuration(bastion, jump: chain)
      let onlyBastion = bastion.directory + "/known_first_hop"
      let lines = try String(contentsOfFile: bastion.knownHosts, encoding: .utf8)
        .split(separator: "\n").filter { $0.hasPrefix("[127.0.0.36]") }
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: onlyBastion, atomically: true, encoding: .utf8)
      unknown.knownHostsPath = onlyBastion
      let failing = SSHExecutor(configuration: unknown)
      defer { failing.close() }
      let message = errorMessage { _ = try failing.run("true", on: Self.target) } ?? ""
      #expect(
        message.contains(
          "cannot reach target through the jump host root@\(Self.targetAddress):\(Self.targetPort)"),
        "\(message)")
      #expect(message.contains("host key of jump host root@\(Self.targetAddress)"), "\(message)")
    }
  }

  /// `ProxyJump bastion` in the ssh config, the bastion's own block giving its address, port,
  /// user and key; and `--jump` for an inventory host the config says nothing about.
  @Test(
    .enabled(if: canMakeNamespaces, "needs root, unshare, nsenter and ip"),
    .timeLimit(.minutes(2)))
  func sshConfigAndDashJumpReachTheTarget() async throws {
    try await blocking {
      let bastion = try Bastion()
      defer { bastion.shutdown() }
      try bastion.serve()
      let directory = bastion.directory
      try """
      Host bastion
        HostName 127.0.0.36
        Port \(bastion.port)
        User root
      Host target
        HostName \(Self.targetAddress)
        ProxyJump bastion
      Host *
        IdentityFile \(bastion.clientKey)
        UserKnownHostsFile \(bastion.knownHosts)

      """.write(toFile: directory + "/ssh_config", atomically: true, encoding: .utf8)
      try "target ansible_user=root\nplain ansible_host=\(Self.targetAddress) ansible_user=root\n"
        .write(toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
      var setup = try RemoteSetup.load(
        inventoryPath: directory + "/hosts.ini", sshConfigPath: directory + "/ssh_config",
        jump: "root@127.0.0.36:\(bastion.port)",
        environment: ["HOME": directory, "USER": "root"])
      setup.configuration.agentSocket = nil
      #expect(setup.configuration.hostOptions["target"]?.proxyJump == "bastion")
      #expect(
        setup.configuration.jumpHosts["bastion"]
          == RemoteHost(
            name: "jump host bastion", address: "127.0.0.36", port: bastion.port, user: "root"))
      #expect(
        setup.configuration.hostOptions["plain"]?.proxyJump == "root@127.0.0.36:\(bastion.port)")
      let executor = setup.makeExecutor()
      defer { executor.close() }
      for name in ["target", "plain"] {
        let host = try #require(setup.inventory.hosts.first { $0.name == name })
        let result = try executor.run("id -un", on: host)
        #expect(result.stdout == "root\n", "\(name): \(result.stderr)")
      }
      // Two different spellings of the same bastion: two jump sessions.
      #expect(bastion.accepted.load(ordering: .relaxed) == 2)
    }
  }

  @Test(
    .enabled(if: canMakeNamespaces, "needs root, unshare, nsenter and ip"),
    .timeLimit(.minutes(2)))
  func errorsNameTheHopThatFailed() async throws {
    try await blocking {
      let bastion = try Bastion()
      defer { bastion.shutdown() }
      try bastion.serve()
      let jump = "root@127.0.0.36:\(bastion.port)"
      // The bastion's key unknown: the error is about the jump host.
      var unknownBastion = Self.configuration(bastion, jump: jump)
      let onlyTarget = bastion.directory + "/known_target"
      let lines = try String(contentsOfFile: bastion.knownHosts, encoding: .utf8)
        .split(separator: "\n").filter { $0.hasPrefix(Self.targetAddress) }
      try (lines.joined(separator: "\n") + "\n").write(
        toFile: onlyTarget, atomically: true, encoding: .utf8)
      unknownBastion.knownHostsPath = onlyTarget
      let first = SSHExecutor(configuration: unknownBastion)
      defer { first.close() }
      let bastionError = errorMessage { _ = try first.run("true", on: Self.target) } ?? ""
      #expect(bastionError.contains("through the jump host \(jump)"), "\(bastionError)")
      #expect(bastionError.contains("host key of jump host"), "\(bastionError)")

      // The target's key unknown: the error is about the target.
      var unknownTarget = Self.configuration(bastion, jump: jump)
      let onlyBastion = bastion.directory + "/known_bastion"
      let bastionLines = try String(contentsOfFile: bastion.knownHosts, encoding: .utf8)
        .split(separator: "\n").filter { $0.hasPrefix("[127.0.0.36]") }
      try (bastionLines.joined(separator: "\n") + "\n").write(
        toFile: onlyBastion, atomically: true, encoding: .utf8)
      unknownTarget.knownHostsPath = onlyBastion
      let second = SSHExecutor(configuration: unknownTarget)
      defer { second.close() }
      let targetError = errorMessage { _ = try second.run("true", on: Self.target) } ?? ""
      #expect(targetError.contains("host key of target"), "\(targetError)")
      #expect(!targetError.contains("jump host"), "\(targetError)")

      // Nothing listening behind the bastion: the jump host says it could not connect.
      var nowhere = Self.configuration(bastion, jump: jump)
      nowhere.hostOptions["gone"] = SSHHostOptions(proxyJump: jump)
      let third = SSHExecutor(configuration: nowhere)
      defer { third.close() }
      let gone = Host(name: "gone", address: Self.targetAddress, port: 2, user: "root")
      let goneError = errorMessage { _ = try third.run("true", on: gone) } ?? ""
      #expect(goneError.contains("could not connect to \(Self.targetAddress):2"), "\(goneError)")

      // A malformed hop is named.
      let bad = SSHExecutor(configuration: Self.configuration(bastion, jump: "root@b:notaport"))
      defer { bad.close() }
      let badError = errorMessage { _ = try bad.run("true", on: Self.target) } ?? ""
      #expect(badError.contains("bad port in jump host 'root@b:notaport'"), "\(badError)")
    }
  }
}
