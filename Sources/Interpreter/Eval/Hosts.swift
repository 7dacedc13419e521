import Foundation
import Lexer
import OrderedCollections

/// Turning an `on` target into hosts.
enum Hosts {
  /// The hosts a value names — a host, a host pattern (`HostSelector`: `"workers,!cp1"`), or a
  /// list of them; `single` when it named one host (the result is then not a map).
  static func resolve(_ value: Value, run: RunContext, span: Span) throws -> (
    hosts: [Host], single: Bool
  ) {
    switch value {
    case .host(let host): return ([host], true)
    case .string(let pattern):
      do {
        let hosts = try HostSelector.select(pattern, in: run.inventory)
        return (hosts, HostSelector.namesOneHost(pattern, in: run.inventory))
      } catch var error as RuntimeError {
        if error.span == .unknown { error.span = span }
        throw error
      }
    case .list(let items):
      var hosts: [Host] = []
      for item in items {
        let (more, _) = try resolve(item, run: run, span: span)
        hosts += more
      }
      return (hosts, false)
    default:
      throw RuntimeError(
        "'on' needs a host, a list of hosts, or a host or group name, not \(value.typeName)",
        at: span)
    }
  }
}

/// Runs an `on` body once per host, one after another or in parallel.
enum OnRunner {
  static func value(of flow: Flow) -> Value {
    if case .returnValue(let value) = flow { return value }
    return .nil
  }

  static func sequential(
    _ hosts: [Host], single: Bool, codes: @escaping StmtCode, frame: Frame, span: Span
  ) throws -> Value {
    let state = frame.state
    try connect(hosts, run: state.run, span: span)
    let saved = state.host
    defer { state.host = saved }
    var results = OrderedDictionary<String, Value>()
    for host in hosts {
      state.host = host
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        results[host.name] = value(of: try codes(frame))
        finished(host, ok: true, since: start, message: nil, run: state.run)
      } catch var error as RuntimeError {
        if error.host == nil { error.host = host.name }
        finished(host, ok: false, since: start, message: error.message, run: state.run)
        throw error
      }
    }
    if single { return results.values.first ?? .nil }
    return .map(results)
  }

  /// Reports how the body ended on `host` (for the recap and the event log).
  static func finished(
    _ host: Host, ok: Bool, since start: UInt64, message: String?, run: RunContext
  ) {
    let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
    run.sink.emit(.hostFinished(host: host.name, ok: ok, duration: elapsed, message: message))
  }

  /// Opens the connections to `hosts` at once, in parallel, so that a host that cannot be
  /// reached stops the `on` before its body ran anywhere.
  static func connect(
    _ hosts: [Host], run: RunContext, span: Span, failures known: [String: RuntimeError]? = nil
  ) throws {
    guard hosts.count > 1 else { return }
    let failures = known ?? run.executor.prepare(hosts)
    guard !failures.isEmpty else { return }
    let failed = hosts.filter { failures[$0.name] != nil }
    if failed.count == 1, var error = failures[failed[0].name] {
      if error.span == .unknown { error.span = span }
      throw error
    }
    // A host locked by another run stops the run (`try` does not catch it); the message says
    // which hosts were locked and which could not be reached.
    let locked = failed.filter { failures[$0.name]?.kind == .locked }
    var message =
      locked.isEmpty
      ? "cannot reach \(failed.count) of \(hosts.count) hosts; nothing ran"
      : "\(locked.count) of \(hosts.count) hosts are locked by another run; nothing ran"
    for host in failed { message += "\n  \(host.name): \(failures[host.name]?.message ?? "?")" }
    let hint = locked.first.flatMap { failures[$0.name]?.hint }
    throw RuntimeError(message, kind: locked.isEmpty ? .error : .locked, at: span, hint: hint)
  }

  /// Opens the sessions of `hosts` together (more than one); throws when a host is locked by
  /// another run, else returns the hosts that could not be reached, by name.
  static func lockedOrUnreachable(_ hosts: [Host], run: RunContext, span: Span) throws
    -> [String: RuntimeError]
  {
    guard hosts.count > 1 else { return [:] }
    let failures = run.executor.prepare(hosts)
    guard failures.values.contains(where: { $0.kind == .locked }) else { return failures }
    try connect(hosts, run: run, span: span, failures: failures)
    return failures
  }

  static func parallel(
    _ hosts: [Host], single: Bool, limit: Int, failFast: Bool, codes: @escaping StmtCode,
    frame: Frame,
    span: Span
  ) throws -> Value {
    let outcomes = OutcomeBox(count: hosts.count)
    let cancellation = frame.state.cancellation
    // The sessions open together first: a host locked by another run stops the `on` before its
    // body ran anywhere; a host that cannot be reached fails its own branch, and the others run.
    let unreachable = try lockedOrUnreachable(hosts, run: frame.state.run, span: span)
    let stop: @Sendable () -> Bool = {
      (failFast && outcomes.anyFailed) || cancellation.isCancelled
    }
    Workers.forEach(hosts.count, limit: limit, stackSize: 64 << 20, stop: stop) { index in
      let host = hosts[index]
      let state = frame.state.branch(host: host)
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        if let error = unreachable[host.name] { throw error }
        let branch = try state.copying(frame)
        outcomes.set(index, .success(value(of: try codes(branch))))
        finished(host, ok: true, since: start, message: nil, run: state.run)
      } catch var error as RuntimeError {
        if error.host == nil { error.host = host.name }
        outcomes.set(index, .failure(error))
        finished(host, ok: false, since: start, message: error.message, run: state.run)
      } catch {
        outcomes.set(index, .failure(RuntimeError("\(error)", at: span, host: host.name)))
        finished(host, ok: false, since: start, message: "\(error)", run: state.run)
      }
    }
    var results = OrderedDictionary<String, Value>()
    var failures: [RuntimeError] = []
    for (index, host) in hosts.enumerated() {
      switch outcomes.results[index] {
      case .success(let value): results[host.name] = value
      case .failure(let error): failures.append(error)
      case nil: break
      }
    }
    if cancellation.isCancelled { throw Cancellation.interrupted(at: span) }
    if failures.count == 1, hosts.count == 1, let only = failures.first { throw only }
    if !failures.isEmpty {
      let skipped = hosts.count - results.count - failures.count
      var message = "failed on \(failures.count) of \(hosts.count) hosts"
      if skipped > 0 { message += " (\(skipped) not started: fail_fast)" }
      for failure in failures {
        message += "\n  \(failure.host ?? "?"): \(failure.message)"
      }
      // The caret goes to the first failing host's statement, with that host; the note shows
      // the parallel `on` that ran it.
      let first = failures[0]
      let at = first.span == .unknown ? span : first.span
      var notes = first.diagnostic.notes
      if at != span {
        notes.append(.init("run in parallel on \(hosts.count) hosts here", at: span))
      }
      var combined = RuntimeError(
        message, kind: first.kind, at: at, hint: first.hint, notes: notes,
        result: failures.count == 1 ? first.result : nil, host: first.host)
      combined.stack = first.stack
      throw combined
    }
    if single { return results.values.first ?? .nil }
    return .map(results)
  }
}

/// Per-host outcomes of a parallel `on`, filled from several threads.
final class OutcomeBox: @unchecked Sendable {
  private let lock = NSLock()
  private var failed = false
  private(set) var results: [Result<Value, RuntimeError>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  /// Whether a branch has failed (for `fail_fast`).
  var anyFailed: Bool {
    lock.lock()
    defer { lock.unlock() }
    return failed
  }

  func set(_ index: Int, _ outcome: Result<Value, RuntimeError>) {
    lock.lock()
    defer { lock.unlock() }
    results[index] = outcome
    if case .failure = outcome { failed = true }
  }
}
