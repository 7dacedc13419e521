import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session

/// What `haflow run -vv` and the live line learn from the transport, against a real sshd on
/// 127.0.0.223: the auth method that worked (also the `host_connect` event's `auth`), each
/// command's channel opened and closed, and a long transfer's progress as it runs.
@Suite(.sshServer(address: "127.0.0.223"))
struct SSHRunDetailTests {
  /// Collects what a callback is told.
  final class Collected<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
  }

  @Test(.timeLimit(.minutes(1))) func theAuthMethodAndEachChannelAreTold() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let traces = Collected<ChannelTrace>()
      var configuration = server.configuration()
      configuration.channelTrace = { traces.append($0) }
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let events = Collected<RunEvent>()
      let log = RunEventLog(listeners: [{ events.append($0) }])
      let observed = log.observing(executor)
      let host = server.host("h1")
      #expect(observed.prepare([host]).isEmpty)
      // The configuration's HOME is the server's directory, which holds the client key.
      #expect(executor.authMethod(for: host) == "publickey (~/client_ed25519)")
      let connect = try #require(events.all.first { $0.kind == .hostConnect })
      #expect(connect["auth"] == .string("publickey (~/client_ed25519)"))
      #expect(connect.host == "h1")

      #expect(try executor.run("true", on: host).exitStatus == 0)
      #expect(try executor.run("exit 3", on: host).exitStatus == 3)
      let seen = traces.all
      #expect(seen.map(\.phase) == [.opened, .closed, .opened, .closed])
      #expect(seen.map(\.exitStatus) == [nil, 0, nil, 3])
      #expect(seen.allSatisfy { $0.host == "h1" && $0.duration >= .zero })
    }
  }

  @Test func aKeyOutsideHomeIsNamedByItsFullPath() {
    #expect(Authenticator.abbreviated("/srv/keys/id", home: "/root") == "/srv/keys/id")
    #expect(Authenticator.abbreviated("/root/.ssh/id", home: "/root") == "~/.ssh/id")
    #expect(Authenticator.abbreviated("/rootless/id", home: "/root") == "/rootless/id")
    #expect(Authenticator.abbreviated("/x/id", home: "/") == "/x/id")
  }

  /// 40 MiB up and back down: progress is told while the bytes move (a short interval, so a
  /// fast loopback still reports), with growing byte counts and the size; none when nobody
  /// listens. Nothing about speed is asserted.
  @Test(.timeLimit(.minutes(2))) func aLongTransferToldItsProgress() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let reports = Collected<TransferProgress>()
      var configuration = server.configuration()
      configuration.transferProgress = { reports.append($0) }
      configuration.transferProgressInterval = .milliseconds(1)
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let root = try server.scratch("progress")
      let local = root + "/big.bin"
      let size = 40 << 20
      var bytes = [UInt8](repeating: 0, count: size)
      for index in stride(from: 0, to: size, by: 4096) { bytes[index] = UInt8(index >> 12 & 0xFF) }
      try Data(bytes).write(to: URL(fileURLWithPath: local))
      let sftp = try executor.transfers(on: server.host("h1"))
      let remote = root + "/remote.bin"
      let up = try sftp.upload(local, to: remote)
      #expect(up.bytes == Int64(size))
      let uploads = reports.all.filter { $0.direction == .upload }
      Self.expectGrowing(uploads, path: remote, size: size)

      let back = try sftp.download(remote, to: root + "/back.bin")
      #expect(back.sha256 == up.sha256)
      let downloads = reports.all.filter { $0.direction == .download }
      Self.expectGrowing(downloads, path: remote, size: size)

      // Nobody listening: the same transfer reports nothing (and still works).
      let quiet = server.executor()
      defer { quiet.close() }
      let count = reports.all.count
      _ = try quiet.transfers(on: server.host("h1")).download(remote, to: root + "/again.bin")
      #expect(reports.all.count == count)
    }
  }

  static func expectGrowing(_ reports: [TransferProgress], path: String, size: Int) {
    #expect(reports.count >= 2, "progress was told while the bytes moved: \(reports.count)")
    #expect(reports.allSatisfy { $0.path == path && $0.host == "h1" })
    #expect(reports.allSatisfy { $0.total == Int64(size) })
    let counts = reports.map(\.bytes)
    #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 < $1 }, "\(counts)")
    #expect((counts.first ?? 0) > 0 && (counts.last ?? .max) <= Int64(size))
  }
}

/// The same progress through the SCP protocol, on an sshd without SFTP (127.0.0.229).
@Suite(.sshServer(address: "127.0.0.229", sftp: false))
struct SCPProgressTests {
  @Test(.timeLimit(.minutes(2))) func scpTransfersTellTheirProgressToo() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let reports = SSHRunDetailTests.Collected<TransferProgress>()
      var configuration = server.configuration()
      configuration.transferProgress = { reports.append($0) }
      configuration.transferProgressInterval = .milliseconds(1)
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let root = try server.scratch("scp-progress")
      let local = root + "/big.bin"
      let size = 24 << 20
      try Data(count: size).write(to: URL(fileURLWithPath: local))
      let sftp = try executor.transfers(on: server.host("h1"))
      let remote = root + "/remote.bin"
      let up = try sftp.upload(local, to: remote)
      #expect(up.method == "scp")
      SSHRunDetailTests.expectGrowing(
        reports.all.filter { $0.direction == .upload }, path: remote, size: size)
      let down = try sftp.download(remote, to: root + "/back.bin")
      #expect(down.method == "scp" && down.sha256 == up.sha256)
      SSHRunDetailTests.expectGrowing(
        reports.all.filter { $0.direction == .download }, path: remote, size: size)
    }
  }
}
