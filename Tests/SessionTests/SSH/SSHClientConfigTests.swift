import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session

/// What `~/.ssh/config` says reaches the transport, against a real sshd: known_hosts files,
/// StrictHostKeyChecking, HashKnownHosts, timeouts, IdentitiesOnly, jump host errors, and
/// the login user's precedence (inventory, `User`, `-u`).
@Suite(.sshServer(address: "127.0.0.31"))
struct SSHClientConfigTests {
  /// Writes `config` (the server's address, port and client key filled in for `@ADDR@`,
  /// `@PORT@`, `@KEY@`, `@DIR@`) and a one-host inventory, and loads them as `haflow run`
  /// does, with no agent.
  static func setup(
    _ server: SSHServerFixture, _ name: String, config: String, inventoryLine: String = "cfgnode",
    defaultUser: String? = nil
  ) throws -> (RemoteSetup, Host, String) {
    let directory = try server.scratch(name)
    let text =
      config
      .replacingOccurrences(of: "@ADDR@", with: server.address)
      .replacingOccurrences(of: "@PORT@", with: String(server.port))
      .replacingOccurrences(of: "@KEY@", with: server.clientKey)
      .replacingOccurrences(of: "@DIR@", with: directory)
    try text.write(toFile: directory + "/ssh_config", atomically: true, encoding: .utf8)
    try "[nodes]\n\(inventoryLine)\n".write(
      toFile: directory + "/hosts.ini", atomically: true, encoding: .utf8)
    var setup = try RemoteSetup.load(
      inventoryPath: directory + "/hosts.ini", sshConfigPath: directory + "/ssh_config",
      defaultUser: defaultUser, environment: ["HOME": directory, "USER": "root"])
    setup.configuration.agentSocket = nil
    setup.configuration.knownHostsPath = directory + "/default_known_hosts"
    let host = try #require(setup.inventory.hosts.first { $0.name == "cfgnode" })
    return (setup, host, directory)
  }

  static let reach = """
    Host cfgnode
      HostName @ADDR@
      Port @PORT@
      IdentityFile @KEY@

    """

  static func warnings(_ sink: RecordingSink) -> [String] {
    sink.events.compactMap { if case .warning(let text, _) = $0 { text } else { nil } }
  }

  @Test func acceptNewRecordsAHashedEntryInTheFirstKnownHostsFile() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (setup, host, directory) = try Self.setup(
        server, "hashed",
        config: Self.reach + """
            UserKnownHostsFile @DIR@/kh_first @DIR@/kh_second
            StrictHostKeyChecking accept-new
            HashKnownHosts yes
            ConnectTimeout 4
            ServerAliveInterval 7
            User root
          """)
      let options = try #require(setup.configuration.hostOptions["cfgnode"])
      #expect(options.connectTimeout == .seconds(4))
      #expect(options.keepaliveInterval == .seconds(7))
      #expect(options.hostKeyPolicy == .acceptNew)
      let sink = RecordingSink()
      let executor = setup.makeExecutor(sink: sink)
      #expect(try executor.run("echo ok", on: host).stdout == "ok\n")
      executor.close()
      #expect(Self.warnings(sink).contains { $0.contains("recorded the new host key") })
      let first = try String(contentsOfFile: directory + "/kh_first", encoding: .utf8)
      #expect(first.hasPrefix("|1|"), "\(first)")
      #expect(first.split(separator: "\n").count == 1)
      #expect(!FileManager.default.fileExists(atPath: directory + "/kh_second"))
      // OpenSSH finds the hashed entry under the name it would record.
      let found = try Shell.status([
        "ssh-keygen", "-F", "[\(server.address)]:\(server.port)", "-f", directory + "/kh_first",
      ])
      #expect(found.status == 0, "\(found)")
      // The next run knows the key: no warning.
      let again = RecordingSink()
      let second = setup.makeExecutor(sink: again)
      defer { second.close() }
      #expect(try second.run("echo again", on: host).stdout == "again\n")
      #expect(Self.warnings(again).isEmpty)
    }
  }

  @Test func everyKnownHostsFileIsSearched() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (setup, host, directory) = try Self.setup(
        server, "search",
        config: Self.reach + "  UserKnownHostsFile @DIR@/empty \(server.knownHosts)\n")
      let executor = setup.makeExecutor()
      defer { executor.close() }
      #expect(try executor.run("echo found", on: host).stdout == "found\n")
      #expect(!FileManager.default.fileExists(atPath: directory + "/empty"))
      // Strict by default: a file without the key stops the connection.
      let (strict, strictHost, _) = try Self.setup(
        server, "strict", config: Self.reach + "  UserKnownHostsFile @DIR@/empty\n")
      let refusing = strict.makeExecutor()
      defer { refusing.close() }
      let message = errorMessage { _ = try refusing.run("true", on: strictHost) } ?? ""
      #expect(message.contains("is unknown"), "\(message)")
    }
  }

  @Test func strictHostKeyCheckingNoConnectsThroughAChangedKeyLoudly() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let directory = try server.scratch("changed-key")
      try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/other")
      let other = try String(contentsOfFile: directory + "/other.pub", encoding: .utf8)
        .split(separator: " ").prefix(2).joined(separator: " ")
      let wrong = "[\(server.address)]:\(server.port) \(other)\n"
      try wrong.write(toFile: directory + "/wrong", atomically: true, encoding: .utf8)

      let (insecure, host, _) = try Self.setup(
        server, "changed-no",
        config: Self.reach + "  UserKnownHostsFile \(directory)/wrong\n"
          + "  StrictHostKeyChecking no\n")
      let sink = RecordingSink()
      let executor = insecure.makeExecutor(sink: sink)
      defer { executor.close() }
      #expect(try executor.run("echo through", on: host).stdout == "through\n")
      let warning = try #require(Self.warnings(sink).first)
      #expect(warning.contains("WARNING: the host key of cfgnode"))
      #expect(warning.contains("CHANGED"))
      #expect(warning.contains("CONNECTING ANYWAY"))
      #expect(warning.contains(server.hostFingerprint))
      // The file keeps the old key.
      #expect(try String(contentsOfFile: directory + "/wrong", encoding: .utf8) == wrong)

      // accept-new still refuses a changed key.
      let (acceptNew, acceptHost, _) = try Self.setup(
        server, "changed-accept-new",
        config: Self.reach + "  UserKnownHostsFile \(directory)/wrong\n"
          + "  StrictHostKeyChecking accept-new\n")
      let refusing = acceptNew.makeExecutor()
      defer { refusing.close() }
      let message = errorMessage { _ = try refusing.run("true", on: acceptHost) } ?? ""
      #expect(message.contains("has CHANGED"), "\(message)")
    }
  }

  @Test func jumpHostFailuresAndProxyCommandsAreNamed() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let (jump, host, _) = try Self.setup(
        server, "jump", config: Self.reach + "  ProxyJump admin@bastion:2222\n")
      let executor = jump.makeExecutor()
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: host) } ?? ""
      #expect(
        message.contains("cannot reach cfgnode through the jump host admin@bastion:2222"),
        "\(message)")
      #expect(message.contains("cannot resolve bastion"), "\(message)")
      let failures = executor.connectAll([host], parallel: 1)
      #expect(failures["cfgnode"]?.message.contains("jump host") == true)

      let (proxy, proxyHost, _) = try Self.setup(
        server, "proxycommand", config: Self.reach + "  ProxyCommand nc %h %p\n")
      let refusing = proxy.makeExecutor()
      defer { refusing.close() }
      let refused = errorMessage { _ = try refusing.run("true", on: proxyHost) } ?? ""
      #expect(refused.contains("ProxyCommand (nc %h %p)"), "\(refused)")
    }
  }

  /// The inventory's jump host (as Ansible users write it) is used, and its `none` lets a
  /// host the ssh config sends through a bastion connect directly.
  @Test func inventoryJumpHostsWinOverTheSSHConfig() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let trusted = Self.reach + "  UserKnownHostsFile \(server.knownHosts)\n  User root\n"
      let (jump, host, _) = try Self.setup(
        server, "inventory-jump", config: trusted,
        inventoryLine: "cfgnode ansible_ssh_common_args='-o StrictHostKeyChecking=no -J ops@b1'")
      let executor = jump.makeExecutor()
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: host) } ?? ""
      #expect(message.contains("through the jump host ops@b1"), "\(message)")

      let (direct, directHost, _) = try Self.setup(
        server, "inventory-none", config: trusted + "  ProxyJump bastion\n",
        inventoryLine: "cfgnode haflow_proxy_jump=none")
      let connecting = direct.makeExecutor()
      defer { connecting.close() }
      #expect(try connecting.run("echo direct", on: directHost).stdout == "direct\n")
    }
  }

  @Test func identitiesOnlyLeavesTheAgentOut() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let config = """
        Host cfgnode
          HostName @ADDR@
          Port @PORT@
          UserKnownHostsFile \(server.knownHosts)
          IdentityFile @DIR@/missing_key

        """
      for only in [false, true] {
        var (setup, host, _) = try Self.setup(
          server, "only-\(only)", config: config + "  IdentitiesOnly \(only ? "yes" : "no")\n")
        setup.configuration.agentSocket = "/nonexistent/agent.sock"
        setup.configuration.identityFiles = ["/nonexistent/id"]
        let executor = setup.makeExecutor()
        defer { executor.close() }
        let message = errorMessage { _ = try executor.run("true", on: host) } ?? ""
        #expect(message.contains("authentication failed"), "\(message)")
        #expect(message.contains("missing_key (not readable)"), "\(message)")
        #expect(message.contains("agent (not reachable") == !only, "\(message)")
      }
    }
  }

  /// The login user: the inventory's, else the ssh config's `User`, else `-u`, else `$USER`;
  /// `Match user` sees `-u`.
  @Test(.enabled(if: TestUsers.canCreate)) func loginUserPrecedence() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let trusted = Self.reach + "  UserKnownHostsFile \(server.knownHosts)\n"
      let cases: [(String, String, String?, String)] = [
        ("dash-u", "cfgnode", TestUsers.sudoer, TestUsers.sudoer),
        ("config-user", "cfgnode", TestUsers.sudoer, "root"),
        ("inventory-user", "cfgnode ansible_user=\(TestUsers.sudoer)", "root", TestUsers.sudoer),
        ("no-user", "cfgnode", nil, "root"),
      ]
      for (name, line, dashU, expected) in cases {
        let config =
          name == "config-user" || name == "inventory-user"
          ? trusted + "  User root\n" : trusted
        let (setup, host, _) = try Self.setup(
          server, name, config: config, inventoryLine: line, defaultUser: dashU)
        let executor = setup.makeExecutor()
        defer { executor.close() }
        let result = try executor.run("id -un", on: host)
        #expect(result.stdout == expected + "\n", "\(name): \(result.stderr)")
      }
      // `Match user` is evaluated with the -u user.
      let (matched, host, _) = try Self.setup(
        server, "match-user",
        config: "Match user \(TestUsers.sudoer)\n  Port \(server.port)\n"
          + "Host cfgnode\n  HostName @ADDR@\n  IdentityFile @KEY@\n"
          + "  UserKnownHostsFile \(server.knownHosts)\n",
        defaultUser: TestUsers.sudoer)
      let executor = matched.makeExecutor()
      defer { executor.close() }
      #expect(try executor.run("id -un", on: host).stdout == TestUsers.sudoer + "\n")
    }
  }
}
