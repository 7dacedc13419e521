import Interpreter
import Testing

import struct Interpreter.Host

@testable import Inventory

/// `~/.ssh/config`: patterns, first match wins, identity files, Include, Match.
@Suite struct InventorySSHConfigTests {
  let environment = ["HOME": "/home/ann", "USER": "ann"]

  func config(_ text: String, files: [String: String] = [:]) throws -> SSHConfig {
    let directory = try InventoryDirectory()
    var environment = self.environment
    environment["HOME"] = directory.url.path
    for (name, content) in files { try directory.write(name, content) }
    let path = try directory.write(".ssh/config", text)
    var config = try SSHConfig.load(path: path, environment: environment)
    config.home = "/home/ann"
    return config
  }

  static let sample = """
    # cluster nodes
    Host cp? !cp9
      HostName %h.cluster.internal
      User root
      IdentityFile ~/.ssh/cp_ed25519

    Host cp1
      Port 2201
      User ignored   # an earlier User wins

    Host *.example.com bastion
      User = ops
      Port=2222

    Host *
      IdentityFile "~/.ssh/id ed25519"
      User fallback
      ForwardAgent yes   # ignored by haflow (a warning says so)
    """

  @Test func firstMatchWinsPerOption() throws {
    let config = try config(Self.sample)
    #expect(
      config.settings(for: "cp1")
        == SSHHostSettings(
          hostName: "cp1.cluster.internal", user: "root", port: 2201,
          identityFiles: ["/home/ann/.ssh/cp_ed25519", "/home/ann/.ssh/id ed25519"]))
  }

  @Test func negationExcludes() throws {
    let config = try config(Self.sample)
    #expect(
      config.settings(for: "cp9")
        == SSHHostSettings(
          hostName: "cp9", user: "fallback", port: nil,
          identityFiles: ["/home/ann/.ssh/id ed25519"]))
  }

  @Test func wildcardsAndSeveralPatterns() throws {
    let config = try config(Self.sample)
    #expect(config.settings(for: "web.example.com").user == "ops")
    #expect(config.settings(for: "web.example.com").port == 2222)
    #expect(config.settings(for: "bastion").port == 2222)
    #expect(config.settings(for: "example.com").port == nil)
    #expect(config.settings(for: "cp12").user == "fallback")
  }

  @Test func hostNamesAreMatchedInLowerCase() throws {
    #expect(try config(Self.sample).settings(for: "CP2").hostName == "cp2.cluster.internal")
  }

  @Test func inventoryWinsForAHost() throws {
    let config = try config(Self.sample)
    let plain = InventoryHost(name: "cp2")
    #expect(
      config.settings(for: plain)
        == SSHHostSettings(
          hostName: "cp2.cluster.internal", user: "root", port: nil,
          identityFiles: ["/home/ann/.ssh/cp_ed25519", "/home/ann/.ssh/id ed25519"]))
    let explicit = InventoryHost(
      name: "cp3", address: "10.0.0.3", port: 22, user: "admin",
      vars: ["identity_file": .string("~/.ssh/lab")])
    #expect(
      config.settings(for: explicit)
        == SSHHostSettings(
          hostName: "10.0.0.3", user: "admin", port: 22, identityFiles: ["/home/ann/.ssh/lab"]))
  }

  @Test func tokensInIdentityFile() throws {
    let config = try config("Host *\n  User deploy\n  IdentityFile %d/keys/%r@%h-%p%%\n")
    #expect(config.settings(for: "db").identityFiles == ["/home/ann/keys/deploy@db-22%"])
  }

  @Test func includeAppliesUnderTheIncludingBlock() throws {
    let config = try config(
      "Host lab*\n  Include config.d/*.conf\nHost *\n  User last\n",
      files: [
        ".ssh/config.d/10-lab.conf": "User labuser\nPort 2022\n",
        ".ssh/config.d/20-more.conf": "HostName 127.0.0.2\n",
      ])
    #expect(
      config.settings(for: "lab1")
        == SSHHostSettings(hostName: "127.0.0.2", user: "labuser", port: 2022))
    #expect(config.settings(for: "prod").user == "last")
  }

  @Test func matchAllAndMatchHost() throws {
    let config = try config(
      "Host short\n  HostName long.internal\nMatch host *.internal\n  User inner\n"
        + "Match originalhost short\n  Port 2200\nMatch exec true\n  User never\n"
        + "Match all\n  User everyone\n")
    #expect(
      config.settings(for: "short")
        == SSHHostSettings(hostName: "long.internal", user: "inner", port: 2200))
    #expect(config.settings(for: "other").user == "everyone")
  }

  @Test func knownHostsFileNoneIsNoFile() throws {
    let config = try config(
      "Host a\n  UserKnownHostsFile none\nHost b\n  UserKnownHostsFile none ~/kh\n")
    #expect(config.settings(for: "a").knownHostsFiles == ["/dev/null"])
    #expect(config.settings(for: "b").knownHostsFiles == ["/home/ann/kh"])
    #expect(config.settings(for: "c").knownHostsFiles == nil)
  }

  @Test func emptyConfiguration() {
    #expect(
      SSHConfig(environment: environment).settings(for: "h") == SSHHostSettings(hostName: "h"))
  }

  @Test func missingDefaultFileIsEmpty() throws {
    let directory = try InventoryDirectory()
    let config = try SSHConfig.loadDefault(environment: ["HOME": directory.url.path])
    #expect(config.settings(for: "x") == SSHHostSettings(hostName: "x"))
  }

  @Test func badPortIsLocated() throws {
    do {
      _ = try config("Host a\n  Port ssh\n")
      Issue.record("expected an error")
    } catch let error as InventoryError {
      #expect(error.line == 2)
      #expect(error.column == 8)
      #expect(error.message == "bad port 'ssh': expected a number from 1 to 65535")
    }
  }

  @Test func missingFileIsAnError() {
    #expect(throws: InventoryError.self) {
      try SSHConfig.load(path: "/nonexistent/ssh_config")
    }
  }
}
