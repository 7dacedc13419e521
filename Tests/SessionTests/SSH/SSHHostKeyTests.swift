import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session
@testable import Stdlib

@Suite(.sshServer(address: "127.0.0.3"))
struct SSHHostKeyTests {
  @Test func knownPlainAndHashedEntriesPass() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let hashed = server.directory + "/known_hashed"
      try FileManager.default.copyItem(atPath: server.knownHosts, toPath: hashed)
      try Shell.run("ssh-keygen", "-q", "-H", "-f", hashed)
      let text = try String(contentsOfFile: hashed, encoding: .utf8)
      #expect(text.hasPrefix("|1|"))
      for file in [server.knownHosts, hashed] {
        let executor = server.executor(knownHosts: file)
        defer { executor.close() }
        #expect(try executor.run("echo ok", on: server.host()).stdout == "ok\n")
      }
    }
  }

  @Test func connectAllOpensSessionsInParallelAndReportsFailures() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let downPort = try SSHServerFixture.freePort(on: "127.0.0.9")
      let hosts =
        (1...4).map { server.host("node\($0)") } + [
          Host(name: "down", address: "127.0.0.9", port: downPort),
          Host(name: "here", connection: .local),
        ]
      let started = ContinuousClock.now
      let failures = executor.connectAll(hosts, parallel: 3)
      print("connectAll of 4 hosts (3 at once): \(ContinuousClock.now - started)")
      #expect(Array(failures.keys) == ["down"])
      #expect(failures["down"]?.message.contains("connection refused") == true)
      let first = try executor.session(for: server.host("node1"))
      #expect(try executor.run("echo hi", on: server.host("node1")).stdout == "hi\n")
      #expect(try executor.session(for: server.host("node1")) === first)
    }
  }

  @Test func unknownKeyIsRefusedWithItsFingerprint() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let empty = server.directory + "/known_empty"
      try "# nothing yet\n".write(toFile: empty, atomically: true, encoding: .utf8)
      let executor = server.executor(knownHosts: empty)
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: server.host("cp1")) } ?? ""
      print(message)
      #expect(message.contains("host key of cp1 (\(server.address):\(server.port)) is unknown"))
      #expect(message.contains("ssh-ed25519 \(server.hostFingerprint)"))
      #expect(message.contains("--accept-new-host-keys"))
      #expect(message.contains(empty))
      // A missing file is the same as an empty one.
      let none = server.executor(knownHosts: server.directory + "/does/not/exist")
      defer { none.close() }
      let noFile = errorMessage { _ = try none.run("true", on: server.host()) } ?? ""
      #expect(noFile.contains("unknown"))
    }
  }

  @Test func acceptNewRecordsTheKey() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let path = server.directory + "/sub/known_new"
      var configuration = server.configuration(knownHosts: path)
      configuration.acceptNewHostKeys = true
      let sink = RecordingSink()
      let executor = SSHExecutor(configuration: configuration, sink: sink)
      #expect(try executor.run("echo ok", on: server.host()).stdout == "ok\n")
      executor.close()
      let recorded = try String(contentsOfFile: path, encoding: .utf8)
      #expect(recorded == "[\(server.address)]:\(server.port) \(server.hostPublicKey)\n")
      let notes = sink.events.compactMap { event -> String? in
        if case .warning(let text, _) = event { text } else { nil }
      }
      #expect(notes.count == 1)
      #expect(notes.first?.contains(server.hostFingerprint) == true)
      // OpenSSH accepts what was recorded.
      let check = try Shell.status([
        "ssh-keygen", "-F", "[\(server.address)]:\(server.port)", "-f", path,
      ])
      #expect(check.status == 0)
      // Next time it is simply known.
      let strict = server.executor(knownHosts: path)
      defer { strict.close() }
      #expect(try strict.run("echo again", on: server.host()).stdout == "again\n")
    }
  }

  @Test func changedKeyIsAlwaysRefusedWithBothFingerprints() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let other = server.directory + "/other_host_key"
      try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other)
      let otherPublic = try String(contentsOfFile: other + ".pub", encoding: .utf8)
        .split(separator: " ").prefix(2).joined(separator: " ")
      let otherFingerprint = String(
        try Shell.run("ssh-keygen", "-l", "-f", other + ".pub").split(separator: " ")[1])
      let path = server.directory + "/known_changed"
      try "[\(server.address)]:\(server.port) \(otherPublic)\n".write(
        toFile: path, atomically: true, encoding: .utf8)
      var configuration = server.configuration(knownHosts: path)
      configuration.acceptNewHostKeys = true
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: server.host("cp2")) } ?? ""
      print(message)
      #expect(message.contains("CHANGED"))
      #expect(message.contains(otherFingerprint))
      #expect(message.contains(server.hostFingerprint))
      #expect(message.contains("ssh-keygen -R"))
      // Nothing was added to the file.
      #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 1)
    }
  }

  @Test func recordedKeyTypeIsNegotiatedFirst() async throws {
    // The server has Ed25519 and ECDSA keys; known_hosts records only the Ed25519 one (plus a
    // line libssh2 cannot read). libssh2 alone would negotiate ECDSA and find it unknown.
    try await blocking {
      var options = SSHServerFixture.Options()
      options.address = "127.0.0.3"
      options.hostKeyTypes = ["ed25519", "ecdsa"]
      let server = try SSHServerFixture(options)
      defer { #expect(server.stop() == []) }
      let path = server.directory + "/known_ed25519_only"
      try """
      @cert-authority *.example.com \(server.hostPublicKey)
      [\(server.address)]:\(server.port) \(server.hostPublicKey)

      """.write(toFile: path, atomically: true, encoding: .utf8)
      let executor = server.executor(knownHosts: path)
      defer { executor.close() }
      #expect(try executor.run("echo ok", on: server.host()).stdout == "ok\n")
    }
  }

  @Test func recordedKeyTypeThatCannotBeNegotiatedIsExplained() async throws {
    try await blocking {
      var options = SSHServerFixture.Options()
      options.address = "127.0.0.3"
      options.hostKeyTypes = ["rsa", "ed25519"]
      let server = try SSHServerFixture(options)
      defer { #expect(server.stop() == []) }
      let executor = server.executor()
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: server.host()) } ?? ""
      print(message)
      #expect(message.contains("is unknown"))
      #expect(message.contains("it records ssh-rsa"))
    }
  }

  @Test func plainPort22EntryDoesNotCoverAnotherPort() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let path = server.directory + "/known_port22"
      try "\(server.address) \(server.hostPublicKey)\n".write(
        toFile: path, atomically: true, encoding: .utf8)
      let executor = server.executor(knownHosts: path)
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: server.host()) } ?? ""
      #expect(message.contains("unknown"))
    }
  }

  @Test func wrongKeyFailsAuthenticationNamingUserAndHost() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let wrong = server.directory + "/wrong_key"
      try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrong)
      var configuration = server.configuration()
      configuration.identityFiles = [wrong, server.directory + "/missing_key"]
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let message = errorMessage { _ = try executor.run("true", on: server.host("cp3")) } ?? ""
      print(message)
      #expect(
        message.contains(
          "authentication failed for root@cp3 (\(server.address):\(server.port)): tried \(wrong), \(server.directory)/missing_key (not readable)"
        ))
    }
  }

  @Test func agentKeysAreTriedFirst() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let socket = server.directory + "/agent.sock"
      let agent = try Shell.run("ssh-agent", "-a", socket)
      let pid = agent.split(separator: ";").first { $0.contains("SSH_AGENT_PID=") }?
        .split(separator: "=").last.flatMap { Int32($0) }
      defer { if let pid { kill(pid, SIGKILL) } }
      let add = try Shell.status(["env", "SSH_AUTH_SOCK=\(socket)", "ssh-add", server.clientKey])
      #expect(add.status == 0)
      var configuration = server.configuration()
      configuration.agentSocket = socket
      configuration.identityFiles = [server.directory + "/nothing_here"]
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      #expect(try executor.run("echo agent", on: server.host()).stdout == "agent\n")
    }
  }

  @Test func encryptedKeyAsksForItsPassphraseOnce() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let key = server.directory + "/encrypted_key"
      try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret words", "-f", key)
      try Shell.run("sh", "-c", "cat \(key).pub >> \(server.directory)/authorized_keys")
      #expect(IdentityFile.isEncrypted(key))
      #expect(!IdentityFile.isEncrypted(server.clientKey))
      let asked = AskCounter()
      var configuration = server.configuration()
      configuration.identityFiles = [key]
      configuration.passphrase = { _ in
        asked.count.add(1, ordering: .relaxed)
        return "secret words"
      }
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      #expect(try executor.run("echo unlocked", on: server.host("a")).stdout == "unlocked\n")
      #expect(try executor.run("echo again", on: server.host("b")).stdout == "again\n")
      #expect(asked.count.load(ordering: .relaxed) == 1)
    }
  }
}

/// Counts passphrase prompts.
final class AskCounter: Sendable {
  let count = Atomic<Int>(0)
}
