import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session
@testable import Stdlib

@Suite struct LocalExecutorTests {
  let executor = LocalExecutor(killGrace: .milliseconds(500))

  func run(
    _ text: String, host: Host? = nil, sudo: Bool = false, env: [String: String] = [:],
    cwd: String? = nil, stdin: String? = nil, timeout: Int64? = nil,
    sink: any OutputSink = RecordingSink()
  ) async throws -> CommandResult {
    let request = CommandRequest(
      command: CommandValue([.raw(text)]), host: host, sudo: sudo, environment: env,
      directory: cwd, stdin: stdin, timeout: timeout)
    return try await run(request, sink: sink)
  }

  /// Runs on a thread of its own, as the interpreter does: the executor blocks its caller, and
  /// test functions run on the cooperative pool, which must stay free.
  func run(_ request: CommandRequest, sink: any OutputSink) async throws -> CommandResult {
    let executor = self.executor
    return try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(with: Result { try executor.run(request, sink: sink) })
      }
    }
  }

  @Test func capturesStdoutStderrAndExitStatus() async throws {
    let r = try await run("echo out; echo err >&2; exit 3")
    #expect(r.stdout == "out\n")
    #expect(r.stderr == "err\n")
    #expect(r.exitStatus == 3)
    #expect(r.host == "local")
    #expect(r.duration > 0)
  }

  @Test func quotedWordsReachTheShellIntact() async throws {
    let request = CommandRequest(
      command: CommandValue([.raw("printf '%s|' "), .word("a b"), .raw(" "), .word("it's $HOME")]),
      host: nil)
    #expect(try await run(request, sink: RecordingSink()).stdout == "a b|it's $HOME|")
  }

  @Test func streamsLinesWithTheHostName() async throws {
    let sink = RecordingSink()
    _ = try await run(
      "printf 'a\\nb\\r\\n'; echo e >&2; printf tail", host: Host(name: "cp1"), sink: sink)
    let lines = sink.events.compactMap { event -> String? in
      guard case .commandOutput(let host, let line, let isError) = event else { return nil }
      return "\(host) \(isError ? "err" : "out") \(line)"
    }
    #expect(lines.sorted() == ["cp1 err e", "cp1 out a", "cp1 out b", "cp1 out tail"])
  }

  /// The command waits until the test has seen its first line: without streaming it would
  /// only end by its timeout.
  @Test func streamsBeforeTheCommandEnds() async throws {
    let flag = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-stream-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: flag) }
    let sink = TouchingSink(trigger: "first", path: flag)
    let script = "echo first; while [ ! -e '\(flag)' ]; do sleep 0.02; done; echo second"
    let r = try await run(script, timeout: 20_000_000_000, sink: sink)
    #expect(r.exitStatus == 0)
    #expect(r.stdout == "first\nsecond\n")
  }

  @Test func environmentIsAdded() async throws {
    let r = try await run(
      "echo \"$HAFLOW_TEST_VAR:${PATH:+has-path}\"", env: ["HAFLOW_TEST_VAR": "x y"])
    #expect(r.stdout == "x y:has-path\n")
  }

  @Test func workingDirectory() async throws {
    #expect(try await run("pwd", cwd: "/tmp").stdout == "/tmp\n")
    await #expect(throws: RuntimeError.self) { try await run("pwd", cwd: "/no/such/dir") }
  }

  @Test func standardInput() async throws {
    #expect(try await run("tr a-z A-Z", stdin: "hello\nworld").stdout == "HELLO\nWORLD")
    #expect(try await run("cat").stdout == "")
    let big = String(repeating: "y", count: 1_000_000)
    #expect(try await run("true", stdin: big).exitStatus == 0)
    #expect(try await run("wc -c", stdin: big).stdout.filter { $0.isNumber } == "1000000")
  }

  /// What the timeout tests can honestly claim: the command was killed, not that it ended by
  /// itself (`sleep 100`). On CI's two loaded cores, resuming the test after the kill has
  /// been seen to take 38 s, so the bound is the sleep's length less a margin, not "fast".
  let killBound: TimeInterval = 90

  @Test func timeoutKillsQuickly() async throws {
    let start = Date()
    let sink = RecordingSink()
    let r = try await run("sleep 100", timeout: 300_000_000, sink: sink)
    #expect(Date().timeIntervalSince(start) < killBound, "well before sleep 100 ends")
    #expect(r.exitStatus == 124)
    #expect(r.stderr.hasSuffix("timed out after 300ms\n"))
    #expect(sink.outputLines.last?.0 == "timed out after 300ms")
  }

  @Test func timeoutKillsTheWholeProcessGroup() async throws {
    let start = Date()
    let r = try await run("sleep 100; echo never", timeout: 200_000_000)
    #expect(Date().timeIntervalSince(start) < killBound, "well before sleep 100 ends")
    #expect(r.exitStatus == 124 && r.stdout == "")
  }

  @Test func timeoutEscalatesToKill() async throws {
    let start = Date()
    let r = try await run("trap '' TERM; sleep 100 & wait; sleep 100", timeout: 200_000_000)
    #expect(Date().timeIntervalSince(start) < killBound, "well before sleep 100 ends")
    #expect(r.exitStatus == 124)
  }

  @Test func fastCommandsAreNotTimedOut() async throws {
    let r = try await run("echo hi", timeout: 120_000_000_000)
    #expect(r.exitStatus == 0 && r.stderr == "")
  }

  @Test func signalsGive128PlusN() async throws {
    #expect(try await run("kill -9 $$").exitStatus == 137)
  }

  @Test func bigOutputIsCapturedWhole() async throws {
    let sink = RecordingSink()
    let r = try await run("head -c 10485760 /dev/zero | tr '\\0' 'x' | fold -w 1000", sink: sink)
    #expect(r.exitStatus == 0)
    #expect(r.stdout.utf8.count == 10_485_760 + 10_485)
    #expect(sink.outputLines.count == 10_486)
  }

  @Test func bigOutputOnBothStreams() async throws {
    let r = try await run("head -c 3000000 /dev/zero >&2; head -c 3000000 /dev/zero")
    #expect(r.stdout.utf8.count == 3_000_000 && r.stderr.utf8.count == 3_000_000)
  }

  @Test func sudoAsRootRunsDirectly() async throws {
    guard getuid() == 0 else { return }
    #expect(try await run("id -u", sudo: true).stdout == "0\n")
  }

  @Test func parallelRunsDoNotBlockEachOther() async throws {
    // Each command prints when it started and ended; some must have run at the same time.
    let spans = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
      for _ in 0..<8 {
        group.addTask {
          let r = try await run("date +%s%N; sleep 1; date +%s%N")
          let stamps = r.stdout.split(separator: "\n").compactMap { Int($0) }
          return (stamps.first ?? 0, stamps.last ?? 0)
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    let most =
      spans.map { span in
        spans.filter { $0.0 < span.1 && span.0 < $0.1 }.count
      }.max() ?? 0
    #expect(most >= 2, "at most \(most) of 8 commands overlapped")
  }

  @Test func runningCommandsCanBeTerminated() async throws {
    let start = Date()
    async let result = run("sleep 100")
    var signalled = 0
    while signalled == 0 && Date().timeIntervalSince(start) < killBound {
      try await Task.sleep(for: .milliseconds(50))
      signalled = executor.terminateRunningCommands()
    }
    #expect(signalled == 1)
    #expect(try await result.exitStatus == 143)
    #expect(Date().timeIntervalSince(start) < killBound, "well before sleep 100 ends")
    #expect(executor.terminateRunningCommands() == 0)
  }

  /// The interrupt's race: the signal handler cancels, then stops the running commands; a
  /// command that registers just after that must stop itself, or the run waits for it (CI saw
  /// `sleep 30` outlive a SIGTERM that came while the command was being started).
  @Test func aCommandStartedAfterAnInterruptStopsAtOnce() async throws {
    let cancellation = Cancellation()
    let interrupted = LocalExecutor(killGrace: .milliseconds(500), cancellation: cancellation)
    cancellation.cancel()
    #expect(interrupted.terminateRunningCommands() == 0, "nothing was running yet")
    let start = Date()
    let request = CommandRequest(command: CommandValue([.raw("sleep 100")]), host: nil)
    let result = try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(with: Result { try interrupted.run(request, sink: RecordingSink()) })
      }
    }
    #expect(result.exitStatus == 143)
    #expect(Date().timeIntervalSince(start) < killBound)
  }

  @Test func worksThroughCommandExecution() async throws {
    let sink = RecordingSink()
    let context = RunContext(sink: sink, executor: executor, builtins: Stdlib.table)
    let secret = Secret("hunter2", label: "pw")
    let request = CommandRequest(
      command: CommandValue([.raw("echo "), .secretWord(secret), .raw("; exit 1")]), host: nil)
    let failed = await onThread { try CommandExecution.run(request, in: context, check: true) }
    #expect(failed == nil)
    let result = try #require(
      await onThread { try CommandExecution.run(request, in: context, check: false) })
    #expect(result.stdout == "<secret pw>\n")
    #expect(sink.outputLines.allSatisfy { !$0.0.contains("hunter2") })
  }
}

/// Runs blocking work on a thread of its own; nil when it throws.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async -> T? {
  await withCheckedContinuation { continuation in
    Thread.detachNewThread { continuation.resume(returning: try? work()) }
  }
}

/// Creates a file when a given line is emitted.
final class TouchingSink: OutputSink {
  let trigger: String
  let path: String

  init(trigger: String, path: String) {
    self.trigger = trigger
    self.path = path
  }

  func emit(_ event: OutputEvent) {
    if case .commandOutput(_, let line, _) = event, line == trigger {
      _ = FileManager.default.createFile(atPath: path, contents: Data())
    }
  }
}

extension LocalExecutorTests {
  /// On a `local` host, pseudo-files are read whole, as on SSH hosts.
  @Test func localPseudoFilesAreRead() async throws {
    let host = Host(name: "localhost", connection: .local)
    let executor = self.executor
    let meminfo = try await blocking {
      try executor.readFile("/proc/meminfo", on: host, options: TransferOptions())
    }
    #expect(String(decoding: meminfo, as: UTF8.self).hasPrefix("MemTotal:"))
  }

  /// On a `local` host, the same bytes are not written twice; a different mode is set.
  @Test func localWritesOfTheSameBytesChangeNothing() async throws {
    let host = Host(name: "localhost", connection: .local)
    let executor = self.executor
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-local-files-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await blocking {
      let path = directory + "/conf"
      let options = TransferOptions(mode: 0o640, createParents: true)
      let first = try executor.writeFile(
        path, contents: Array("v1\n".utf8), on: host, options: options)
      #expect(first.changed)
      let past = Date(timeIntervalSince1970: 1_000_000_000)
      try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
      let again = try executor.writeFile(
        path, contents: Array("v1\n".utf8), on: host, options: options)
      #expect(!again.changed)
      #expect(again.sha256 == first.sha256 && again.bytes == 3 && again.mode == 0o640)
      let copied = try executor.upload(path, to: directory + "/copy", on: host, options: options)
      #expect(copied.changed)
      #expect(
        !(try executor.upload(path, to: directory + "/copy", on: host, options: options)).changed)
      chmod(path, 0o600)
      #expect(
        try executor.writeFile(path, contents: Array("v1\n".utf8), on: host, options: options)
          .changed)
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      #expect(attributes[.modificationDate] as? Date == past)
      #expect(attributes[.posixPermissions] as? Int == 0o640)
      #expect(
        try executor.writeFile(path, contents: Array("v2\n".utf8), on: host, options: options)
          .changed)
      #expect(try String(contentsOfFile: path, encoding: .utf8) == "v2\n")
    }
  }
}
