import Foundation
import Interpreter
import Synchronization

/// Where a run's events are made: it turns the interpreter's output events and the session's
/// own observations (unreachable hosts, transfers, probes, the run's start and end) into
/// `RunEvent` values — stamped with the time and the innermost running step, secrets redacted
/// — and hands each to its listeners, one event at a time, in order.
///
/// Listeners are called under the log's lock, so they see one event at a time and need no
/// locking of their own; they must not record events themselves.
public final class RunEventLog: Sendable {
  /// Receives each event.
  public typealias Listener = @Sendable (RunEvent) -> Void

  private struct State {
    var listeners: [Listener] = []
    /// Steps running, innermost last (steps nest; parallel hosts share their step).
    var steps: [String] = []
    /// The run's id and start (from `run_start`), for the run lock.
    var run: (id: String, playbook: String, started: Date)?
  }

  private let state = Mutex(State())
  /// The run's secrets: the run registers them here, and every event is redacted with those
  /// registered so far (a secret registered mid-run is redacted from then on).
  public let secrets: SecretRegistry
  /// A clock for tests; `Date()` otherwise.
  private let clock: @Sendable () -> Date

  /// Makes a log with `listeners`.
  public init(
    listeners: [Listener] = [], secrets: SecretRegistry = SecretRegistry(),
    clock: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.clock = clock
    self.secrets = secrets
    state.withLock { $0.listeners = listeners }
  }

  /// The innermost step running now, if any (a dry run names it in its placeholders).
  public var currentStep: String? { state.withLock { $0.steps.last } }

  /// The id, playbook and start time of the run, once `run_start` is recorded.
  public var run: (id: String, playbook: String, started: Date)? { state.withLock { $0.run } }

  /// Remembers the run `run_start` names.
  func started(id: String, playbook: String, at time: Date) {
    state.withLock { $0.run = (id, playbook, time) }
  }

  /// Adds a listener; it receives the events recorded from now on.
  public func addListener(_ listener: @escaping Listener) {
    state.withLock { $0.listeners.append(listener) }
  }

  /// Forgets the running steps: the run is over (a step that ended without its `step_end`,
  /// by an error that is not a runtime error, must not claim the last events).
  func endSteps() {
    state.withLock { $0.steps.removeAll() }
  }

  /// Records an event of the session's own (run start and end, transfers, probes, …), in the
  /// innermost running step unless `step` is given.
  public func record(
    _ kind: RunEvent.Kind, step: String? = nil, host: String? = nil, fields: [RunEvent.Field] = []
  ) {
    state.withLock { state in
      let event = RunEvent(
        kind, time: clock(), step: step ?? state.steps.last, host: host, fields: fields)
      deliver(event, state: &state)
    }
  }

  /// Records an output event of the interpreter's.
  ///
  /// The event's fields are made and redacted before the lock is taken: with hundreds of hosts
  /// reporting at once, the lock is held only for the step bookkeeping and the listeners.
  public func record(_ output: OutputEvent) {
    var host: String?
    var step: String?
    let kind: RunEvent.Kind
    var fields: [RunEvent.Field] = []
    switch output {
    case .print(let text):
      kind = .print
      fields = [.init("text", .string(text))]
    case .log(let text, let on):
      (kind, host) = (.log, on)
      fields = [.init("message", .string(text))]
    case .warning(let text, let on):
      (kind, host) = (.warning, on)
      fields = [.init("message", .string(text))]
    case .stepStarted(let name, let hosts):
      (kind, step) = (.stepStart, name)
      fields = [.init("hosts", .strings(hosts))]
    case .stepFinished(let name, let ok, let duration, let message, let value):
      (kind, step) = (.stepEnd, name)
      fields = [
        .init("status", .string(ok ? "ok" : "failed")),
        .init("duration_ms", .milliseconds(duration)),
      ]
      if let message { fields.append(.init("message", .string(message))) }
      if let value { fields.append(Self.valueField(value, secrets: secrets)) }
    case .stepSkipped(let name, let hosts, let reason):
      (kind, step) = (.stepSkip, name)
      fields = [.init("hosts", .strings(hosts)), .init("reason", .string(reason))]
    case .commandStarted(let on, let command):
      (kind, host) = (.commandStart, on)
      fields = [.init("command", .string(command))]
    case .commandOutput(let on, let line, let isError):
      (kind, host) = (.output, on)
      fields = [
        .init("stream", .string(isError ? "stderr" : "stdout")), .init("line", .string(line)),
      ]
    case .commandFinished(let on, let exitStatus, let duration):
      (kind, host) = (.commandEnd, on)
      fields = [
        .init("exit_status", .int(Int64(exitStatus))),
        .init("duration_ms", .milliseconds(duration)),
      ]
    case .hostFinished(let on, let ok, let duration, let message):
      (kind, host) = (.hostEnd, on)
      fields = [
        .init("status", .string(ok ? "ok" : "failed")),
        .init("duration_ms", .milliseconds(duration)),
      ]
      if let message { fields.append(.init("message", .string(message))) }
    }
    let matcher = secrets.matcher
    Self.redact(&fields, with: matcher)
    state.withLock { state in
      switch output {
      case .stepStarted(let name, _): state.steps.append(name)
      case .stepFinished(let name, _, _, _, _):
        if let index = state.steps.lastIndex(of: name) { state.steps.remove(at: index) }
      default: break
      }
      var event = RunEvent(
        kind, time: clock(), step: step ?? state.steps.last, host: host, fields: fields)
      if !matcher.isEmpty { event.step = event.step.map(matcher.redact) }
      for listener in state.listeners { listener(event) }
    }
  }

  /// Redacts every text of `fields`.
  private static func redact(_ fields: inout [RunEvent.Field], with matcher: SecretMatcher) {
    guard !matcher.isEmpty else { return }
    for index in fields.indices {
      switch fields[index].value {
      case .string(let text): fields[index].value = .string(matcher.redact(text))
      case .strings(let list): fields[index].value = .strings(list.map(matcher.redact))
      default: break
      }
    }
  }

  /// `value`, or `value_left_out` when it holds a secret or cannot be stored.
  private static func valueField(_ value: Value, secrets: SecretRegistry) -> RunEvent.Field {
    let matcher = secrets.matcher
    let encoded = StoredValue.encode(value) { text in
      guard !matcher.isEmpty else { return false }
      return matcher.redact(text) != text
    }
    switch encoded {
    case .success(let json): return .init("value", .json(json))
    case .failure(let reason): return .init("value_left_out", .string(reason.rawValue))
    }
  }

  private func deliver(_ event: RunEvent, state: inout State) {
    var event = event
    let matcher = secrets.matcher
    if !matcher.isEmpty {
      event.step = event.step.map(matcher.redact)
      Self.redact(&event.fields, with: matcher)
    }
    for listener in state.listeners { listener(event) }
  }
}

/// Passes the interpreter's output events on to `base` and records them in `log`.
public struct EventSink: OutputSink {
  /// Where the events are shown.
  public let base: any OutputSink
  /// Where they are recorded.
  public let log: RunEventLog

  /// Makes a sink.
  public init(base: any OutputSink, log: RunEventLog) {
    self.base = base
    self.log = log
  }

  /// Records, then shows.
  public func emit(_ event: OutputEvent) {
    log.record(event)
    base.emit(event)
  }
}
