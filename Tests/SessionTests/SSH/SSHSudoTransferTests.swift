import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session
@testable import Stdlib

/// Transfers as root through sudo for a login user who may not read or write the path
/// (`SudoFiles`): what a non-root operator needs for `/etc/kubernetes/pki`. Real sshd, real
/// sudo, files read back as root.
@Suite(.sshServer(address: "127.0.0.12"), .serialized, .enabled(if: TestUsers.canCreate))
struct SSHSudoTransferTests {
  /// A root-only directory for one test, removed afterwards.
  static func rootOnlyDirectory(_ name: String) throws -> String {
    let path = "/root/haflow-sudo-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(
      atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    return path
  }

  /// Mode and owner of a file, as `stat` prints them.
  static func modeAndOwner(_ path: String) throws -> String {
    try Shell.run("stat", "-c", "%a %U", path).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The sudoer's staging directories left in /tmp.
  static func leftoverStages() -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
    return entries.filter { $0.hasPrefix("haflow-sudo.") }
  }

  @Test func writeUploadDownloadAndReadAsRoot() async throws {
    let server = try SSHServerFixture.require()
    let directory = try Self.rootOnlyDirectory("rw")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let local = try server.scratch("sudo-rw")
    let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    try Data(bytes).write(to: URL(fileURLWithPath: local + "/blob"))
    chmod(local + "/blob", 0o640)
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("node", user: TestUsers.sudoer)
      let sudo = TransferOptions(sudo: true)

      // Without sudo the login user may not write there: the plain path fails.
      #expect(throws: (any Error).self) {
        try executor.writeFile(
          directory + "/key", contents: Array("x".utf8), on: host, options: TransferOptions())
      }

      var options = sudo
      options.mode = 0o600
      options.createParents = true
      let key = directory + "/pki/etcd/ca.key"
      let written = try executor.writeFile(
        key, contents: Array("KEY\n".utf8), on: host, options: options)
      #expect(written.path == key && written.mode == 0o600 && written.bytes == 4)
      #expect(try String(contentsOfFile: key, encoding: .utf8) == "KEY\n")
      #expect(try Self.modeAndOwner(key) == "600 root")

      // Replacing keeps it atomic and leaves no temporary file beside it.
      options.mode = 0o640
      _ = try executor.writeFile(key, contents: Array("KEY2\n".utf8), on: host, options: options)
      #expect(try String(contentsOfFile: key, encoding: .utf8) == "KEY2\n")
      #expect(try Self.modeAndOwner(key) == "640 root")
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: directory + "/pki/etcd") == [
          "ca.key"
        ])

      // A 3 MB binary file up (mode kept from the local file) and back down.
      let uploaded = try executor.upload(
        local + "/blob", to: directory + "/blob", on: host, options: sudo)
      #expect(uploaded.mode == 0o640 && uploaded.bytes == Int64(bytes.count))
      #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/blob")) == Data(bytes))
      #expect(try Self.modeAndOwner(directory + "/blob") == "640 root")
      let downloaded = try executor.download(
        directory + "/blob", from: host, to: local + "/back", options: sudo)
      #expect(downloaded.path == local + "/back" && downloaded.sha256 == uploaded.sha256)
      #expect(try Data(contentsOf: URL(fileURLWithPath: local + "/back")) == Data(bytes))
      let localMode =
        try FileManager.default.attributesOfItem(atPath: local + "/back")[.posixPermissions]
        as? Int
      #expect(localMode == 0o640)

      // read_file of a root-only file.
      #expect(
        try executor.readFile(key, on: host, options: sudo) == Data("KEY2\n".utf8))
      #expect(throws: (any Error).self) {
        try executor.readFile(key, on: host, options: TransferOptions())
      }
    }
    #expect(Self.leftoverStages().isEmpty, "staging directories left: \(Self.leftoverStages())")
  }

  @Test func failuresSaySudosReason() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let sudoer = server.host("node", user: TestUsers.sudoer)
      let missing = errorMessage {
        _ = try executor.readFile(
          "/root/no-such-file", on: sudoer, options: TransferOptions(sudo: true))
      }
      #expect(
        missing
          == "sudo could not read /root/no-such-file on node: no such file: /root/no-such-file")
      let noParent = errorMessage {
        _ = try executor.writeFile(
          "/root/no-such-dir/f", contents: [0x41], on: sudoer, options: TransferOptions(sudo: true))
      }
      #expect(
        noParent
          == "sudo could not write /root/no-such-dir/f on node: no such directory: /root/no-such-dir (parents: true creates it)"
      )

      // A user whose sudo wants a password: the clear message, then the password works.
      let pw = server.host("pw", user: TestUsers.passwordSudoer)
      let wants =
        errorMessage {
          _ = try executor.readFile("/etc/shadow", on: pw, options: TransferOptions(sudo: true))
        } ?? ""
      #expect(wants.contains("sudo asked for a password"), "\(wants)")
      let password = Secret(TestUsers.sudoPassword, label: "sudo password")
      let shadow = try executor.readFile(
        "/etc/shadow", on: pw, options: TransferOptions(sudo: true, sudoPassword: password))
      #expect(String(decoding: shadow, as: UTF8.self).contains("root:"))
      let wrong =
        errorMessage {
          _ = try executor.readFile(
            "/etc/shadow", on: pw,
            options: TransferOptions(sudo: true, sudoPassword: Secret("nope", label: "pw")))
        } ?? ""
      #expect(wrong.hasPrefix("sudo could not read /etc/shadow on pw:"), "\(wrong)")
      #expect(!wrong.contains("nope"))
    }
    #expect(Self.leftoverStages().isEmpty, "staging directories left: \(Self.leftoverStages())")
  }

  /// The manual certificate recipe as a non-root operator writes it in a playbook: read the
  /// CA key as root on one host, write it as root on two others.
  @Test func copyBetweenHostsAsRootInAPlaybook() async throws {
    let server = try SSHServerFixture.require()
    let directory = try Self.rootOnlyDirectory("copy")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try "CA-KEY\n".write(toFile: directory + "/ca.key", atomically: true, encoding: .utf8)
    chmod(directory + "/ca.key", 0o600)
    let sink = RecordingSink()
    let outcome = try await blocking {
      try TestUsers.ensure()
      let hosts = ["cp1", "cp2", "cp3"].map { name in
        var host = server.host(name, user: TestUsers.sudoer)
        host.groups = ["control_plane"]
        return host
      }
      let executor = server.executor()
      defer { executor.close() }
      return Driver(sink: sink, executor: executor).run(
        source: """
          let r = copy(from: "cp1", "\(directory)/ca.key", to: ["cp2", "cp3"],
                       to_path: "\(directory)/cp/pki/ca.key", mode: "0600", parents: true,
                       sudo: true)
          print(r.cp2.mode, r.cp3.bytes)
          on "cp2" { print(read_file("\(directory)/cp/pki/ca.key", sudo: true)) }
          """, name: "certs.hf",
        options: RunOptions(environment: [:], inventory: Inventory(hosts: hosts)))
    }
    #expect(outcome.runtimeError == nil, "\(outcome.runtimeError?.message ?? "")")
    #expect(sink.printed == ["0600 7", "CA-KEY\n"])
    #expect(try Self.modeAndOwner(directory + "/cp/pki/ca.key") == "600 root")
    let logs = sink.events.compactMap { if case .log(let text, _) = $0 { text } else { nil } }
    #expect(logs.contains { $0.hasPrefix("copied cp1:") && $0.hasSuffix("(7 B, 0600, as root)") })
  }
}
