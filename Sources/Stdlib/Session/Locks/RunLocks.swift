import Foundation
import Interpreter
import Remote
import Synchronization

import struct Interpreter.Host

/// A run's locks on the hosts it touches (`haflow run`): taken on each host when the run first
/// connects to it, before anything runs there; released when the run ends, however it ends.
/// A host whose lock another run holds stops this run (a `locked` error, which `try` does not
/// catch), naming the holder. A lock left by a haflow of this machine that is no longer
/// running is stale: it is taken over, with a note; `--break-lock` takes over any lock, with a
/// warning. See docs/run.md#the-run-lock.
public final class RunLocks: Sendable {
  /// `--break-lock`: take over locks held by other runs.
  public let breakLock: Bool
  /// This machine's name, written as the holder's controller.
  public let controller: String
  /// The user haflow runs as.
  public let user: String
  /// haflow's process id.
  public let pid: Int32
  private let isAlive: @Sendable (Int32) -> Bool
  private let held = Mutex<[String: Host]>([:])

  /// Makes the locks of one run; the defaults describe this process.
  public init(
    breakLock: Bool = false, controller: String = RunLocks.machineName(),
    user: String = LocalUser.name, pid: Int32 = getpid(),
    isAlive: @escaping @Sendable (Int32) -> Bool = RunLocks.isRunning
  ) {
    self.breakLock = breakLock
    self.controller = controller
    self.user = user
    self.pid = pid
    self.isAlive = isAlive
  }

  /// The hosts whose lock this run holds, by name, sorted.
  public var hostsHeld: [String] { held.withLock { $0.keys.sorted() } }

  /// Takes the lock on each of `hosts` (connected already), at most 16 at once; returns why it
  /// could not, by host name: a `locked` error naming the holder, or an error saying why the
  /// lock could not be made.
  func acquire(
    _ hosts: [Host], runner: any LockScriptRunner, log: RunEventLog, sink: any OutputSink
  ) -> [String: RuntimeError] {
    let holder = self.holder(log)
    let failures = Mutex<[String: RuntimeError]>([:])
    Workers.forEach(hosts.count, limit: 16, stackSize: 1 << 20) { index in
      let host = hosts[index]
      if let error = self.acquire(host, as: holder, runner: runner, log: log, sink: sink) {
        failures.withLock { $0[host.name] = error }
      }
    }
    return failures.withLock { $0 }
  }

  /// Releases every lock this run holds, at most 16 hosts at once. A lock another run took
  /// over (`--break-lock`) is left to it; a host that cannot be reached keeps its lock, with a
  /// warning (the next run from this machine finds it stale).
  public func release(runner: any LockScriptRunner, log: RunEventLog, sink: any OutputSink) {
    let hosts = held.withLock { held in
      defer { held.removeAll() }
      return held.values.sorted { $0.name < $1.name }
    }
    guard !hosts.isEmpty else { return }
    let line = holder(log).line
    Workers.forEach(hosts.count, limit: 16, stackSize: 1 << 20) { index in
      let host = hosts[index]
      let answer = Self.run(.release, line, on: host, runner: runner)
      switch answer {
      case .released(let path), .absent(let path):
        log.record(.lock, host: host.name, fields: Self.fields("released", path: path))
      case .held(let path, let content):
        log.record(
          .lock, host: host.name,
          fields: Self.fields("not_released", path: path, holder: content))
        sink.emit(
          .warning(
            "the run lock on \(host.name) was taken over by \(Self.name(content)); "
              + "left it to that run", host: host.name))
      case .acquired(let path):
        log.record(.lock, host: host.name, fields: Self.fields("released", path: path))
      case .failed(let why):
        log.record(
          .lock, host: host.name,
          fields: Self.fields("not_released", path: nil) + [.init("message", .string(why))])
        sink.emit(
          .warning(
            "could not release the run lock on \(host.name): \(why); the next run from this "
              + "machine takes it over as stale (from elsewhere: --break-lock)",
            host: host.name))
      }
    }
  }

  // MARK: - One host

  private func acquire(
    _ host: Host, as holder: RunLockHolder, runner: any LockScriptRunner, log: RunEventLog,
    sink: any OutputSink
  ) -> RuntimeError? {
    let line = holder.line
    var mode = RunLockScript.Mode.take
    var expected = ""
    var takeover: (action: String, previous: String)?
    // Bounded: each round either ends or follows another run's move (a lock released or
    // replaced between two looks).
    for _ in 0..<4 {
      switch Self.run(mode, line, expected: expected, on: host, runner: runner) {
      case .acquired(let path), .released(let path), .absent(let path):
        held.withLock { $0[host.name] = host }
        guard let (action, previous) = takeover else {
          log.record(.lock, host: host.name, fields: Self.fields("acquired", path: path))
          return nil
        }
        log.record(
          .lock, host: host.name, fields: Self.fields(action, path: path, holder: previous))
        if action == "broken" {
          sink.emit(
            .warning(
              "--break-lock: took over the run lock on \(host.name) from \(Self.name(previous))"
                + "; if that run still goes on, both now change this host", host: host.name))
        } else {
          sink.emit(
            .log(
              "took over a stale run lock on \(host.name): \(Self.name(previous)) is no "
                + "longer running", host: host.name))
        }
        return nil
      case .failed(let why):
        return RuntimeError(
          "cannot take the run lock on \(host.name): \(why)",
          hint: "set HAFLOW_LOCK_DIR in the server's environment to a writable directory, "
            + "or run with --no-lock", host: host.name)
      case .held(let path, let content):
        if content.isEmpty {
          // Released meanwhile: try to create it again.
          (mode, expected, takeover) = (.take, "", nil)
          continue
        }
        let other = RunLockHolder.parse(content)
        if other?.runID == holder.runID {
          // This run's own lock (hosts that share one file system share one lock file).
          held.withLock { $0[host.name] = host }
          log.record(.lock, host: host.name, fields: Self.fields("acquired", path: path))
          return nil
        }
        if breakLock {
          (mode, expected, takeover) = (.replace, content, ("broken", content))
          continue
        }
        if let other, other.controller == controller, !isAlive(other.pid) {
          (mode, expected, takeover) = (.replace, content, ("stale_taken_over", content))
          continue
        }
        log.record(
          .lock, host: host.name, fields: Self.fields("refused", path: path, holder: content))
        return Self.refusal(host: host.name, path: path, content: content, other: other)
      }
    }
    return RuntimeError(
      "cannot take the run lock on \(host.name): it kept changing hands", kind: .locked,
      hint: "another run is starting against this host; wait for it", host: host.name)
  }

  private static func refusal(
    host: String, path: String, content: String, other: RunLockHolder?
  ) -> RuntimeError {
    RuntimeError(
      "\(host) is locked by another run: \(name(content))", kind: .locked,
      hint: "wait for that run to end; if it is gone for good (its machine crashed), run again "
        + "with --break-lock to take the lock over (the lock is \(path) on \(host))",
      host: host)
  }

  private static func run(
    _ mode: RunLockScript.Mode, _ line: String, expected: String = "", on host: Host,
    runner: any LockScriptRunner
  ) -> RunLockScript.Answer {
    do {
      let output = try runner.runLockScript(
        RunLockScript.command(mode, content: line, expected: expected), on: host)
      return RunLockScript.answer(output.stdout, stderr: output.stderr, status: output.status)
    } catch let error as RuntimeError {
      return .failed(error.message)
    } catch {
      return .failed("\(error)")
    }
  }

  // MARK: - Helpers

  /// The holder this run writes: its id, playbook and start from the log's `run_start`.
  private func holder(_ log: RunEventLog) -> RunLockHolder {
    let run = log.run
    return RunLockHolder(
      runID: run?.id ?? "pid-\(pid)", playbook: run?.playbook ?? "?", controller: controller,
      user: user, pid: pid, started: RunEvent.timestamp(run?.started ?? Date()))
  }

  /// How a lock's holder is named in messages.
  static func name(_ content: String) -> String {
    RunLockHolder.parse(content)?.summary ?? RunLockHolder.describeUnknown(content)
  }

  /// A `lock` event's fields: the action, the lock file, and the holder found there.
  static func fields(_ action: String, path: String?, holder content: String? = nil)
    -> [RunEvent.Field]
  {
    var fields: [RunEvent.Field] = [.init("action", .string(action))]
    if let path, !path.isEmpty { fields.append(.init("path", .string(path))) }
    guard let content else { return fields }
    guard let other = RunLockHolder.parse(content) else {
      return fields + [.init("holder", .string(RunLockHolder.describeUnknown(content)))]
    }
    return fields + [
      .init("holder", .string(other.summary)),
      .init("holder_run_id", .string(other.runID)),
      .init("holder_controller", .string(other.controller)),
      .init("holder_user", .string(other.user)),
      .init("holder_pid", .int(Int64(other.pid))),
      .init("holder_started", .string(other.started)),
    ]
  }

  /// This machine's host name (`gethostname`).
  public static func machineName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Whether a process of this machine with id `pid` is running.
  public static func isRunning(_ pid: Int32) -> Bool {
    guard pid > 0 else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}
