import Foundation
import Interpreter
import Synchronization

import struct Interpreter.Host

/// An executor that can say how it authenticated with a host (the `host_connect` event's
/// `auth` field, `-vv`'s connect line); `SSHExecutor` is one.
public protocol AuthMethodReporting {
  /// How `host`'s session authenticated, once it is open; nil when not known.
  func authMethod(for host: Host) -> String?
}

/// What the observing executors share: the executor they wrap, the log, and the hosts known to
/// be connected. A host is connected (through `prepare`) before its first command or transfer,
/// so that a host that cannot be reached is told apart from a command that failed: it is
/// recorded as `host_unreachable`.
///
/// With run locks, a host's lock is taken right after its session opens: a host whose lock
/// cannot be taken fails like an unreachable one (with a `locked` error when another run holds
/// it), and counts as connected only once it is locked.
final class Observation: Sendable {
  let base: any CommandExecutor
  let log: RunEventLog
  private let locking: (locks: RunLocks, runner: any LockScriptRunner, sink: any OutputSink)?
  private let connected = Mutex<Set<String>>([])

  init(base: any CommandExecutor, log: RunEventLog, locks: RunLocks?, sink: any OutputSink) {
    self.base = base
    self.log = log
    if let locks, let runner = base as? any LockScriptRunner {
      locking = (locks, runner, sink)
    } else {
      locking = nil
    }
  }

  /// Connects `host` if it is not yet; throws (after recording it) when it cannot be reached.
  func connect(_ host: Host?) throws {
    guard let host, !host.isLocal, !connected.withLock({ $0.contains(host.name) }) else { return }
    if let error = prepare([host])[host.name] { throw error }
  }

  /// Prepares `hosts` on the base executor, recording the ones that cannot be reached.
  func prepare(_ hosts: [Host]) -> [String: RuntimeError] {
    let start = DispatchTime.now().uptimeNanoseconds
    var failures = base.prepare(hosts)
    let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
    var opened: [Host] = []
    for host in hosts {
      if let error = failures[host.name], error.kind != .interrupted {
        var fields = [RunEvent.Field("message", .string(error.message))]
        if let hint = error.hint { fields.append(.init("hint", .string(hint))) }
        log.record(.hostUnreachable, host: host.name, fields: fields)
      } else if failures[host.name] == nil, !host.isLocal,
        !connected.withLock({ $0.contains(host.name) })
      {
        var fields: [RunEvent.Field] = [
          .init("hosts_at_once", .int(Int64(hosts.count))),
          .init("duration_ms", .milliseconds(elapsed)),
        ]
        if let method = (base as? any AuthMethodReporting)?.authMethod(for: host) {
          fields.append(.init("auth", .string(method)))
        }
        log.record(.hostConnect, host: host.name, fields: fields)
        opened.append(host)
      }
    }
    if let locking, !opened.isEmpty {
      let refused = locking.locks.acquire(
        opened, runner: locking.runner, log: log, sink: locking.sink)
      failures.merge(refused) { first, _ in first }
    }
    connected.withLock { set in
      for host in opened where failures[host.name] == nil { set.insert(host.name) }
    }
    return failures
  }

  /// Runs `body` (a command or transfer on `host`, connected already): when the connection
  /// drops meanwhile, the host is recorded as unreachable in the running step and counts as
  /// not connected, so that its next command connects (and locks) again.
  func watching<T>(_ host: Host?, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as RuntimeError where error.kind == .unreachable {
      if let host, !host.isLocal {
        connected.withLock { _ = $0.remove(host.name) }
        var fields = [RunEvent.Field("message", .string(error.message))]
        if let hint = error.hint { fields.append(.init("hint", .string(hint))) }
        log.record(.hostUnreachable, host: host.name, fields: fields)
      }
      throw error
    }
  }

  /// Records a finished transfer.
  func transferred(
    _ direction: String, host: Host, path: String, local: String?, result: TransferResult
  ) {
    var fields: [RunEvent.Field] = [
      .init("direction", .string(direction)), .init("path", .string(path)),
    ]
    if let local { fields.append(.init("local", .string(local))) }
    fields += [
      .init("bytes", .int(result.bytes)), .init("duration_ms", .milliseconds(result.duration)),
      .init("method", .string(result.method)), .init("changed", .bool(result.changed)),
    ]
    log.record(.transfer, host: host.name, fields: fields)
  }
}

/// Wraps a command executor to record unreachable hosts in a run's event log.
struct ObservedExecutor: CommandExecutor {
  let observation: Observation

  func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    try observation.connect(request.host)
    return try observation.watching(request.host) {
      try observation.base.run(request, sink: sink)
    }
  }

  func prepare(_ hosts: [Host]) -> [String: RuntimeError] { observation.prepare(hosts) }
}

/// Wraps an executor that also moves files, recording unreachable hosts and transfers.
struct ObservedFileExecutor: CommandExecutor, HostFiles {
  let observation: Observation
  let files: any HostFiles

  func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    try observation.connect(request.host)
    return try observation.watching(request.host) {
      try observation.base.run(request, sink: sink)
    }
  }

  func prepare(_ hosts: [Host]) -> [String: RuntimeError] { observation.prepare(hosts) }

  func upload(_ local: String, to remote: String, on host: Host, options: TransferOptions)
    throws -> TransferResult
  {
    try observation.connect(host)
    let result = try observation.watching(host) {
      try files.upload(local, to: remote, on: host, options: options)
    }
    observation.transferred("upload", host: host, path: remote, local: local, result: result)
    return result
  }

  func download(_ remote: String, from host: Host, to local: String, options: TransferOptions)
    throws -> TransferResult
  {
    try observation.connect(host)
    let result = try observation.watching(host) {
      try files.download(remote, from: host, to: local, options: options)
    }
    observation.transferred("download", host: host, path: remote, local: local, result: result)
    return result
  }

  func writeFile(_ path: String, contents: [UInt8], on host: Host, options: TransferOptions)
    throws -> TransferResult
  {
    try observation.connect(host)
    let result = try observation.watching(host) {
      try files.writeFile(path, contents: contents, on: host, options: options)
    }
    observation.transferred("write", host: host, path: path, local: nil, result: result)
    return result
  }

  func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    try observation.connect(host)
    let start = DispatchTime.now().uptimeNanoseconds
    let data = try observation.watching(host) {
      try files.readFile(path, on: host, options: options)
    }
    let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
    observation.log.record(
      .transfer, host: host.name,
      fields: [
        .init("direction", .string("read")), .init("path", .string(path)),
        .init("bytes", .int(Int64(data.count))), .init("duration_ms", .milliseconds(elapsed)),
      ])
    return data
  }
}

/// Wraps a prober to record each probe.
struct ObservedProber: PortProber {
  let base: any PortProber
  let log: RunEventLog

  func probe(host: String, port: Int, timeout: Int64, cancellation: Cancellation)
    -> PortProbeReport
  {
    let report = base.probe(host: host, port: port, timeout: timeout, cancellation: cancellation)
    var fields: [RunEvent.Field] = [
      .init("target", .string("\(host):\(port)")), .init("status", .string(report.status.rawValue)),
      .init("latency_ms", .milliseconds(report.latency)),
    ]
    if let address = report.address { fields.append(.init("address", .string(address))) }
    log.record(.probe, fields: fields)
    return report
  }
}

extension RunEventLog {
  /// `executor`, recording in this log the hosts it cannot reach and the files it moves; with
  /// `locks`, taking the run lock on each host it connects to (notes and warnings to `sink`).
  public func observing(
    _ executor: any CommandExecutor, locks: RunLocks? = nil,
    sink: any OutputSink = DiscardingSink()
  ) -> any CommandExecutor {
    let observation = Observation(base: executor, log: self, locks: locks, sink: sink)
    if let files = executor as? any HostFiles {
      return ObservedFileExecutor(observation: observation, files: files)
    }
    return ObservedExecutor(observation: observation)
  }

  /// `prober`, recording each probe in this log.
  public func observing(_ prober: any PortProber) -> any PortProber {
    ObservedProber(base: prober, log: self)
  }
}
