import Crypto
import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Stdlib

@Suite(.sshServer(address: "127.0.0.2"), .enabled(if: TestUsers.canCreate))
struct SSHCommandTests {
  @Test func commandExitCodesAndStderr() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("cp1")
      let sink = RecordingSink()
      let r = try executor.run("echo out; echo err >&2; exit 3", on: host, sink: sink)
      #expect(r.stdout == "out\n")
      #expect(r.stderr == "err\n")
      #expect(r.exitStatus == 3)
      #expect(r.host == "cp1")
      #expect(r.duration > 0)
      let lines = sink.events.compactMap { event -> String? in
        guard case .commandOutput(let host, let line, let isError) = event else { return nil }
        return "\(host) \(isError ? "err" : "out") \(line)"
      }
      #expect(lines.sorted() == ["cp1 err err", "cp1 out out"])
      #expect(try executor.run("true", on: host).exitStatus == 0)
      #expect(try executor.run("exit 255", on: host).exitStatus == 255)
    }
  }

  @Test func quotingEnvironmentDirectoryAndStdin() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host()
      let quoted = CommandRequest(
        command: CommandValue([.raw("printf '%s|' "), .word("a b"), .raw(" "), .word("it's $HOME")]
        ),
        host: host)
      #expect(try executor.run(quoted, sink: RecordingSink()).stdout == "a b|it's $HOME|")
      let env = try executor.run(
        #"printf '%s|%s' "$GREETING" "$OTHER""#, on: host,
        env: ["GREETING": "hello world", "OTHER": "it's"])
      #expect(env.stdout == "hello world|it's")
      #expect(try executor.run("pwd", on: host, cwd: "/tmp").stdout == "/tmp\n")
      let missing = try executor.run("echo never", on: host, cwd: "/nonexistent-dir")
      #expect(missing.exitStatus != 0)
      #expect(missing.stdout.isEmpty)
      #expect(missing.stderr.contains("nonexistent-dir"))
      #expect(
        try executor.run("tr a-z A-Z", on: host, stdin: "hello\nworld").stdout == "HELLO\nWORLD")
      // Standard input is closed when none is given: `cat` ends at once.
      #expect(try executor.run("cat", on: host, timeout: 5_000_000_000).exitStatus == 0)
      // A command that ignores a large stdin still finishes.
      let ignored = try executor.run(
        "echo done", on: host, stdin: String(repeating: "x", count: 3 << 20))
      #expect(ignored.stdout == "done\n")
      #expect(ignored.exitStatus == 0)
    }
  }

  @Test func exitSignalBecomes128PlusN() async throws {
    let server = try SSHServerFixture.require()
    try await blocking { () throws in
      let executor = server.executor()
      defer { executor.close() }
      #expect(try executor.run("kill -KILL $$", on: server.host()).exitStatus == 137)
      #expect(try executor.run("kill -TERM $$", on: server.host()).exitStatus == 143)
    }
  }

  @Test func tenMegabytesOfStdout() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      try TestUsers.ensure()
      let host = server.host("big", user: TestUsers.sudoer)
      _ = try executor.run("true", on: host)
      let sink = CountingSink()
      let started = ContinuousClock.now
      // 100 000 lines of 100 characters: 10 100 000 bytes.
      let r = try executor.run(
        "yes 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -n 100000",
        on: host, sink: sink)
      let elapsed = ContinuousClock.now - started
      print("10 MB of stdout over SSH: \(elapsed)")
      #expect(r.exitStatus == 0)
      #expect(r.stdout.utf8.count == 10_100_000)
      #expect(sink.lines.load(ordering: .relaxed) == 100_000)
      #expect(elapsed < .seconds(60), "bounded, not a speed check: bench/ measures speed")
    }
  }

  @Test func manySequentialCommandsOnOneSession() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      // A user whose shell is plain sh: the figure printed is the client's cost, not bash's.
      try TestUsers.ensure()
      let host = server.host("seq", user: TestUsers.sudoer)
      let connectStart = ContinuousClock.now
      let session = try executor.session(for: host)
      let connect = ContinuousClock.now - connectStart
      var times: [Double] = []
      for i in 0..<50 {
        let start = ContinuousClock.now
        let r = try executor.run("echo \(i)", on: host)
        times.append(Double(nanoseconds(ContinuousClock.now - start)) / 1e6)
        #expect(r.stdout == "\(i)\n")
      }
      let sorted = times.sorted()
      let median = sorted[sorted.count / 2]
      print(
        "connect+auth: \(connect); per command (ms): median \(String(format: "%.2f", median)), min \(String(format: "%.2f", sorted[0])), max \(String(format: "%.2f", sorted[sorted.count - 1]))"
      )
      print("per-command ms: " + times.map { String(format: "%.1f", $0) }.joined(separator: " "))
      // One session for all 50 (speed is measured in bench/, not asserted here).
      #expect(try executor.session(for: host) === session)
    }
  }

  @Test func parallelCommandsOnTheSameSessionFromEightThreads() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      try TestUsers.ensure()
      let host = server.host("par", user: TestUsers.sudoer)
      let session = try executor.session(for: host)
      let failures = Mutex<[String]>([])
      let group = DispatchGroup()
      let started = ContinuousClock.now
      for worker in 0..<8 {
        group.enter()
        Thread.detachNewThread {
          defer { group.leave() }
          for round in 0..<10 {
            do {
              let text = "w\(worker)r\(round)"
              let r = try executor.run(
                "sleep 0.05; echo \(text); head -c 200000 /dev/zero | tr '\\0' x; echo; echo \(text) >&2",
                on: host)
              let expected = "\(text)\n" + String(repeating: "x", count: 200_000) + "\n"
              if r.stdout != expected || r.stderr != "\(text)\n" || r.exitStatus != 0 {
                failures.withLock { $0.append("\(text): \(r.stdout.prefix(40)) \(r.stderr)") }
              }
            } catch {
              failures.withLock { $0.append("w\(worker)r\(round): \(error)") }
            }
          }
        }
      }
      group.wait()
      print("8 threads × 10 commands on one session: \(ContinuousClock.now - started)")
      #expect(failures.withLock { $0 } == [])
      #expect(try executor.session(for: host) === session)
    }
  }
}

extension SSHCommandTests {
  @Test func parallelLargeStdinOnTheSameSession() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      try TestUsers.ensure()
      let executor = server.executor()
      defer { executor.close() }
      let host = server.host("stdin", user: TestUsers.sudoer)
      let failures = Mutex<[String]>([])
      let group = DispatchGroup()
      for worker in 0..<6 {
        group.enter()
        Thread.detachNewThread {
          defer { group.leave() }
          let text = String(repeating: "line \(worker) of the input\n", count: 100_000)
          do {
            let r = try executor.run("sha256sum", on: host, stdin: text)
            let expected = SHA256.hex(Array(text.utf8)) + "  -\n"
            if r.stdout != expected {
              failures.withLock { $0.append("worker \(worker): \(r.stdout) \(r.stderr)") }
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

/// Counts output lines without keeping them.
final class CountingSink: OutputSink {
  let lines = Atomic<Int>(0)
  func emit(_ event: OutputEvent) {
    if case .commandOutput = event { lines.add(1, ordering: .relaxed) }
  }
}
