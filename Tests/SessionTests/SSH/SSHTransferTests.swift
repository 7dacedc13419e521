import Crypto
import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session
@testable import Stdlib

/// SFTP transfers; the server runs on this machine, so the test reads the remote files directly.
@Suite(.sshServer(address: "127.0.0.6"))
struct SSHTransferTests {
  @Test func binarySafeUploadAndDownloadWithReadBack() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host())
      let bytes = (0..<(3 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
      let root = try server.scratch("binary")
      let local = root + "/local.bin"
      try Data(bytes).write(to: URL(fileURLWithPath: local))
      let remote = root + "/remote/sub/file.bin"
      let up = try sftp.upload(local, to: remote, options: FileTransferOptions(createParents: true))
      #expect(up.bytes == Int64(bytes.count))
      #expect(up.method == "sftp")
      #expect(up.sha256 == SHA256.hex(bytes))
      let expectedHash = try Shell.run("sha256sum", local).prefix(64)
      #expect(up.sha256 == String(expectedHash))
      #expect(try Data(contentsOf: URL(fileURLWithPath: remote)) == Data(bytes))
      #expect(try sftp.readFile(remote) == Data(bytes))
      let back = root + "/back.bin"
      let down = try sftp.download(remote, to: back)
      #expect(down.sha256 == up.sha256)
      #expect(try Data(contentsOf: URL(fileURLWithPath: back)) == Data(bytes))
      // No temporary files are left behind.
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/remote/sub")
      #expect(leftovers == ["file.bin"])
      #expect(
        try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [
          "back.bin", "local.bin", "remote",
        ])
    }
  }

  @Test func modesAreSetExactly() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host())
      let key = server.directory + "/pki/ca.key"
      let result = try sftp.writeFile(
        key, text: "-----BEGIN KEY-----\n",
        options: FileTransferOptions(mode: 0o600, createParents: true))
      #expect(result.mode == 0o600)
      #expect(try mode(of: key) == 0o600)
      let script = server.directory + "/run.sh"
      _ = try sftp.writeFile(script, text: "#!/bin/sh\n", options: FileTransferOptions(mode: 0o755))
      #expect(try mode(of: script) == 0o755)
      _ = try sftp.writeFile(server.directory + "/plain.txt", text: "x")
      #expect(try mode(of: server.directory + "/plain.txt") == 0o644)
      // Replacing a file takes the new mode.
      _ = try sftp.writeFile(
        script, text: "#!/bin/sh\necho\n", options: FileTransferOptions(mode: 0o700))
      #expect(try mode(of: script) == 0o700)
      // Uploads default to the local file's mode; downloads to the remote one's.
      let local = server.directory + "/local-exec"
      try "x".write(toFile: local, atomically: true, encoding: .utf8)
      chmod(local, 0o750)
      _ = try sftp.upload(local, to: server.directory + "/remote-exec")
      #expect(try mode(of: server.directory + "/remote-exec") == 0o750)
      _ = try sftp.download(key, to: server.directory + "/key-copy")
      #expect(try mode(of: server.directory + "/key-copy") == 0o600)
    }
  }

  @Test func atomicReplaceNeverShowsAPartialFile() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host())
      let path = server.directory + "/atomic.bin"
      let versions = (0..<2).map { [UInt8](repeating: UInt8(65 + $0), count: 2 << 20) }
      _ = try sftp.writeFile(path, contents: versions[0])
      let stop = Atomic<Bool>(false)
      let bad = Atomic<Int>(0)
      let reads = Atomic<Int>(0)
      let reader = Thread {
        while !stop.load(ordering: .relaxed) && reads.load(ordering: .relaxed) < 100_000 {
          guard let data = FileManager.default.contents(atPath: path) else {
            bad.add(1, ordering: .relaxed)
            continue
          }
          reads.add(1, ordering: .relaxed)
          let first = data.first ?? 0
          if data.count != 2 << 20 || data.contains(where: { $0 != first }) {
            bad.add(1, ordering: .relaxed)
          }
        }
      }
      reader.start()
      for round in 0..<10 { _ = try sftp.writeFile(path, contents: versions[round % 2]) }
      stop.store(true, ordering: .relaxed)
      while !reader.isFinished { usleep(10_000) }
      print(
        "atomic replace: \(reads.load(ordering: .relaxed)) reads, \(bad.load(ordering: .relaxed)) bad"
      )
      #expect(reads.load(ordering: .relaxed) > 0)
      #expect(bad.load(ordering: .relaxed) == 0)
    }
  }

  @Test func errorsNameTheHostAndPath() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host("cp1"))
      let missingDir = errorMessage {
        _ = try sftp.writeFile(server.directory + "/no/such/dir/f", text: "x")
      }
      #expect(missingDir?.contains("on cp1: no such file or directory") == true)
      let missingFile = errorMessage { _ = try sftp.readFile("/nonexistent-file") }
      #expect(missingFile == "cannot open /nonexistent-file on cp1: no such file or directory")
      let directory = errorMessage { _ = try sftp.writeFile(server.directory, text: "x") }
      #expect(directory?.contains("it is a directory") == true)
    }
  }

  @Test func largeFileStreamsQuickly() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host())
      let local = server.directory + "/big.bin"
      try Shell.run("dd", "if=/dev/urandom", "of=\(local)", "bs=1M", "count=32", "status=none")
      let started = ContinuousClock.now
      let up = try sftp.upload(local, to: server.directory + "/big-remote.bin")
      let upTime = ContinuousClock.now - started
      let downStart = ContinuousClock.now
      let down = try sftp.download(server.directory + "/big-remote.bin", to: local + ".back")
      print("32 MiB upload \(upTime), download \(ContinuousClock.now - downStart)")
      #expect(up.sha256 == down.sha256)
      #expect(String(try Shell.run("sha256sum", local).prefix(64)) == up.sha256)
    }
  }

  @Test func parallelTransfersOnOneSession() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host()
      let failures = Mutex<[String]>([])
      let group = DispatchGroup()
      for worker in 0..<6 {
        group.enter()
        Thread.detachNewThread {
          defer { group.leave() }
          do {
            let sftp = try executor.transfers(on: host)
            let bytes = [UInt8](repeating: UInt8(worker), count: 300_000 + worker)
            let path = server.directory + "/par-\(worker)"
            _ = try sftp.writeFile(path, contents: bytes)
            let r = try executor.run("wc -c < \(path)", on: host)
            if try sftp.readFile(path) != Data(bytes) || r.stdout != "\(bytes.count)\n" {
              failures.withLock { $0.append("worker \(worker): content differs") }
            }
          } catch {
            failures.withLock { $0.append("worker \(worker): \(error)") }
          }
        }
      }
      group.wait()
      #expect(failures.withLock { $0 } == [])
    }
  }
}

/// SCP fallback: a server without the SFTP subsystem.
@Suite(.sshServer(address: "127.0.0.7", sftp: false))
struct SSHSCPFallbackTests {
  @Test func transfersFallBackToSCPAndSaySo() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let sink = RecordingSink()
      let executor = SSHExecutor(configuration: server.configuration(), sink: sink)
      defer { executor.close() }
      let sftp = try executor.transfers(on: server.host("old"))
      let bytes = (0..<700_001).map { UInt8(truncatingIfNeeded: $0 * 31) }
      let path = server.directory + "/scp/dir/file.bin"
      let up = try sftp.writeFile(
        path, contents: bytes, options: FileTransferOptions(mode: 0o600, createParents: true))
      #expect(up.method == "scp")
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes))
      #expect(try mode(of: path) == 0o600)
      #expect(try sftp.readFile(path) == Data(bytes))
      // SCP sends the size stat reports (0 for /proc): such files are read by cat instead.
      let meminfo = String(decoding: try sftp.readFile("/proc/meminfo"), as: UTF8.self)
      #expect(meminfo.hasPrefix("MemTotal:"), "\(meminfo.prefix(80))")
      // The same bytes again: nothing is written.
      let again = try sftp.writeFile(
        path, contents: bytes, options: FileTransferOptions(mode: 0o600, createParents: true))
      #expect(!again.changed)
      #expect(again.sha256 == up.sha256)
      let down = try sftp.download(path, to: server.directory + "/scp-back")
      #expect(down.method == "scp")
      #expect(down.sha256 == up.sha256)
      let logs = sink.events.compactMap { event -> String? in
        if case .log(let text, _) = event { text } else { nil }
      }
      #expect(logs.count == 1)
      #expect(logs.first?.contains("no SFTP subsystem") == true)
    }
  }
}

/// The permission bits of a local file.
func mode(of path: String) throws -> Int {
  let attributes = try FileManager.default.attributesOfItem(atPath: path)
  return (attributes[.posixPermissions] as? Int ?? -1) & 0o7777
}
