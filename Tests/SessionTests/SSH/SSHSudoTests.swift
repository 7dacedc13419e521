import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

/// sudo as a non-root user (needs root to create the test users).
@Suite(.sshServer(address: "127.0.0.5"), .enabled(if: TestUsers.canCreate))
struct SSHSudoTests {
  @Test func sudoRunsAsRootForANopasswdUser() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("node", user: TestUsers.sudoer)
      #expect(try executor.run("id -un", on: host).stdout == "\(TestUsers.sudoer)\n")
      let root = try executor.run(
        #"id -un; printf '%s\n' "$PWD" "$GREETING""#, on: host, sudo: true,
        env: ["GREETING": "hi there"], cwd: "/root")
      #expect(root.stdout == "root\n/root\nhi there\n")
      #expect(root.exitStatus == 0)
      // As root, sudo is not used at all.
      #expect(try executor.run("id -un", on: server.host(), sudo: true).stdout == "root\n")
    }
  }

  /// A timeout kills the root process of a sudo command; with a sudo password, the kill goes
  /// through sudo with the same password (sudo has no cached credential for the kill
  /// command's shell, so `sudo -n` could not signal root's process).
  @Test(arguments: [false, true]) func sudoTimeoutKillsTheRootProcess(withPassword: Bool)
    async throws
  {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let marker = "haflow-sudo-\(UInt32.random(in: 0...UInt32.max))"
      let sleep = "sleep 77.\(UInt32.random(in: 100_000...999_999))"
      let sink = RecordingSink()
      let request = CommandRequest(
        command: CommandValue([.raw("\(sleep) # \(marker)\nsleep 78")]),
        host: withPassword
          ? server.host("pw", user: TestUsers.passwordSudoer)
          : server.host("node", user: TestUsers.sudoer),
        sudo: true, timeout: 800_000_000,
        sudoPassword: withPassword
          ? Secret(TestUsers.sudoPassword, label: "sudo password") : nil)
      let r = try executor.run(request, sink: sink)
      #expect(r.exitStatus == 124)
      let deadline = Date().addingTimeInterval(2)
      while !ProcessTree.matching(marker).isEmpty && Date() < deadline { usleep(50_000) }
      #expect(ProcessTree.matching(marker) == [])
      #expect(ProcessTree.matching(sleep) == [])
      #expect(!r.stderr.contains(TestUsers.sudoPassword))
      #expect(!sink.outputLines.contains { $0.0.contains(TestUsers.sudoPassword) })
    }
  }

  @Test func sudoWantingAPasswordGivesAClearMessage() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let sink = RecordingSink()
      let r = try executor.run(
        "id -un", on: server.host("pw", user: TestUsers.passwordSudoer), sudo: true, sink: sink)
      #expect(r.exitStatus != 0)
      #expect(r.stderr.contains("a password is required"))
      #expect(r.stderr.contains("haflow: sudo asked for a password"))
      #expect(r.stderr.contains("NOPASSWD"))
      #expect(sink.outputLines.contains { $0.0.hasPrefix("haflow: sudo asked for a password") })
    }
  }

  @Test func sudoPasswordFromASecretIsFedAndNeverShown() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let sink = RecordingSink()
      let password = Secret(TestUsers.sudoPassword, label: "sudo password")
      let request = CommandRequest(
        command: CommandValue([.raw("id -un; cat")]),
        host: server.host("pw", user: TestUsers.passwordSudoer), sudo: true,
        stdin: "piped input\n", sudoPassword: password)
      let r = try executor.run(request, sink: sink)
      #expect(r.exitStatus == 0, "\(r.stderr)")
      #expect(r.stdout == "root\npiped input\n")
      #expect(!r.stdout.contains(TestUsers.sudoPassword))
      #expect(!r.stderr.contains(TestUsers.sudoPassword))
      #expect(!sink.outputLines.contains { $0.0.contains(TestUsers.sudoPassword) })
      let wrong = CommandRequest(
        command: CommandValue([.raw("id -un")]),
        host: server.host("pw", user: TestUsers.passwordSudoer), sudo: true,
        sudoPassword: Secret("wrong-password", label: "sudo password"))
      let failed = try executor.run(wrong, sink: sink)
      #expect(failed.exitStatus != 0)
      #expect(failed.stderr.contains("incorrect password") || failed.stderr.contains("Sorry"))
    }
  }
}
