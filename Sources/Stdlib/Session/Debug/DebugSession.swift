import Foundation
import Interpreter
import Lexer

import struct Interpreter.Host

/// The step debugger behind `haflow debug` and `haflow run --debug-on-failure`: decides where
/// to pause, and while paused reads `:` commands and haflow input through a `DebugConsole`.
public final class DebugSession: StepDebugger, @unchecked Sendable {
  /// When the debugger pauses.
  public enum Mode: Sendable {
    /// Before every step (`:next`; where `haflow debug` starts).
    case stepping
    /// Only at breakpoints and failures (`:continue`; `run --debug-on-failure`).
    case running
  }

  /// The status of a step, as `:steps` shows it.
  public enum StepStatus: String, Sendable {
    case pending, paused, running, ok, failed, skipped
  }

  /// One step's record for `:steps`.
  public struct StepRecord: Sendable {
    /// The step name.
    public var name: String
    /// Its status.
    public var status: StepStatus
    /// Nanoseconds of the last attempt.
    public var duration: Int64?
    /// How many times it ran.
    public var attempts: Int
  }

  let console: any DebugConsole
  let table: BuiltinTable
  /// Remembers each host's last command, for `:out`; wrap the run's sink with it.
  public let recorder: LastCommandSink
  private let state = NSLock()
  /// Recursive: input typed at the prompt may run a step, which pauses at a nested prompt.
  private let interaction = NSRecursiveLock()
  var mode: Mode
  var breakpoints: [DebugBreakpoint] = []
  var records: [StepRecord] = []
  var sources = SourceMap()
  var mainFile = 0
  var inventory = Inventory()
  /// The steps written in the playbook and its imports, for checking breakpoints.
  var sites: [StepSite] = []
  var target: Host?
  /// Failures the operator let through (`:continue`), so enclosing steps do not pause again.
  private var declined: [(message: String, span: Span)] = []

  /// Makes a debugger; `sink` is where the run's output goes (wrapped by `recorder`).
  public init(console: any DebugConsole, mode: Mode, sink: any OutputSink, table: BuiltinTable) {
    self.console = console
    self.mode = mode
    self.table = table
    self.recorder = LastCommandSink(base: sink)
  }

  /// Called once the playbook is compiled, before it runs: its sources, the step names
  /// written in it (pending until they run), every step as written, and the hosts.
  public func attach(
    sources: SourceMap, mainFile: Int, stepNames: [String], steps: [StepSite] = [],
    inventory: Inventory
  ) {
    state.withLock {
      self.sources = sources
      self.mainFile = mainFile
      self.inventory = inventory
      self.sites = steps
      records = stepNames.map { StepRecord(name: $0, status: .pending, attempts: 0) }
    }
  }

  /// What is wrong with the breakpoints set before the run (`--break`), one message each:
  /// a step name the playbook does not have, a line with no step.
  public func breakpointProblems() -> [String] {
    withState {
      breakpoints.compactMap { breakpoint in
        problem(with: breakpoint).map { problem in
          "--break \(breakpoint): \(problem.message)" + (problem.hint.map { "; \($0)" } ?? "")
        }
      }
    }
  }

  /// Why `breakpoint` can never pause this run. Call with `state` held.
  func problem(with breakpoint: DebugBreakpoint) -> (message: String, hint: String?)? {
    breakpoint.problem(
      steps: sites, seen: records.map(\.name), sources: sources, mainFile: mainFile)
  }

  // MARK: - StepDebugger

  /// Pauses before the step when stepping or at a breakpoint.
  public func willRunStep(_ step: PausedStep) -> StepAction {
    let pause = state.withLock {
      update(step.name) { $0.status = .running }
      return mode == .stepping
        || breakpoints.contains { $0.matches(step, sources: sources, mainFile: mainFile) }
    }
    guard pause else { return .run }
    setStatus(step.name, .paused)
    let action = prompt(at: step, failure: nil)
    setStatus(step.name, action == .skip ? .skipped : .running)
    return action
  }

  /// Records the step as done.
  public func didFinishStep(_ step: PausedStep, value: Value, duration: Int64) {
    state.withLock {
      update(step.name) { record in
        record.status = .ok
        record.duration = duration
        record.attempts += 1
      }
    }
  }

  /// Records the failure and pauses, unless the operator already let this error through.
  public func stepFailed(_ step: PausedStep, error: RuntimeError, duration: Int64) -> StepAction {
    let alreadyDeclined = state.withLock {
      update(step.name) { record in
        record.status = .failed
        record.duration = duration
        record.attempts += 1
      }
      return declined.contains { $0.message == error.message && $0.span == error.span }
    }
    if alreadyDeclined { return .fail }
    let action = prompt(at: step, failure: error)
    switch action {
    case .fail: state.withLock { declined.append((error.message, error.span)) }
    case .skip: setStatus(step.name, .skipped)
    case .run: setStatus(step.name, .running)
    case .stop: break
    }
    return action
  }

  // MARK: - State

  /// The steps seen or written so far, in order.
  public var steps: [StepRecord] { state.withLock { records } }

  func setStatus(_ name: String, _ status: StepStatus) {
    state.withLock { update(name) { $0.status = status } }
  }

  /// Updates the record of `name`, adding one when the step was not known (an interpolated
  /// name). Call with `state` held.
  private func update(_ name: String, _ change: (inout StepRecord) -> Void) {
    if let index = records.lastIndex(where: { $0.name == name }) {
      change(&records[index])
    } else {
      var record = StepRecord(name: name, status: .pending, attempts: 0)
      change(&record)
      records.append(record)
    }
  }

  /// Runs `body` while holding the prompt: one paused step talks to the operator at a time.
  func interacting<T>(_ body: () -> T) -> T {
    interaction.lock()
    defer { interaction.unlock() }
    return body()
  }

  func withState<T>(_ body: () -> T) -> T { state.withLock(body) }
}

extension DebugSession {
  /// Adds a breakpoint before the run starts (`haflow debug --break`).
  public func add(_ breakpoint: DebugBreakpoint) {
    withState { breakpoints.append(breakpoint) }
  }
}
