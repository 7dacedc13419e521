import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session

/// Cancelling a run (Ctrl-C) cuts a transfer short over a real SSH session: the built-in fails
/// with `interrupted` within a second, no temporary file is left, and a `try` around it does
/// not catch it.
@Suite(.sshServer(address: "127.0.0.14"))
struct SSHCancellationTests {
  @Test(.timeLimit(.minutes(1))) func cancellingStopsAnUploadAtOnce() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let root = try server.scratch("cancel")
      let local = root + "/big.bin"
      // Sparse: 4 GiB to send, nothing on disk; loopback SFTP needs many seconds for it.
      try Shell.run("truncate", "-s", "4G", local)
      let cancellation = Cancellation()
      let executor = SSHExecutor(
        configuration: server.configuration(), sink: RecordingSink(), cancellation: cancellation)
      defer { executor.close() }
      let sink = RecordingSink()
      let driver = Driver(sink: sink, executor: executor)
      let source = """
        let r = on host("h") {
          try { upload(\(Value.quoted(local)), \(Value.quoted(root + "/copy.bin"))) } catch e {
            print("caught", e.message)
          }
        }
        print("after")
        """
      let host = server.host()
      Thread {
        Thread.sleep(forTimeInterval: 0.8)
        cancellation.cancel()
      }.start()
      let started = ContinuousClock.now
      let outcome = driver.run(
        source: source, name: "cancel.hf",
        options: RunOptions(
          environment: [:], inventory: Inventory(hosts: [host]), cancellation: cancellation))
      let elapsed = ContinuousClock.now - started
      let error = try #require(outcome.runtimeError)
      #expect(error.kind == .interrupted, "\(error.message)")
      // Bounded, not timed: far below the tens of seconds the 4 GiB upload would take.
      #expect(elapsed < .seconds(10), "the upload ran on for \(elapsed)")
      #expect(sink.printed.isEmpty, "\(sink.printed)")
      let left = try FileManager.default.contentsOfDirectory(atPath: root)
      #expect(left == ["big.bin"], "left behind: \(left)")
    }
  }
}
