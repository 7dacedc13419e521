import Foundation
import Synchronization

/// Writes a run's journal, `<runs>/<run id>/journal.jsonl`, as the run goes: a listener on the
/// run's event log that keeps the events that say where the run is (run and step starts and
/// ends, skipped steps, hosts' outcomes, the error) — not commands' output — and syncs the file
/// to disk at each step's end, so a run killed at any moment leaves a journal `--resume` reads.
///
/// A step's value is in its `step_end` (`value`, or `value_left_out`); a step replayed by
/// `--resume` has its `step_skip` line carry the value it was given, so a resumed run can
/// itself be resumed.
///
/// A run refused before it began (check errors, params, unknown step names) has no journal:
/// there is nothing to resume, and `--resume` must find the run before it.
public final class RunJournal: Sendable {
  private struct State {
    var fd: Int32 = -1
    var failed = false
    /// The `run_start` not written yet: the journal opens at the next event, unless that is
    /// the error of a run refused before it began (`RunEventLog.refusalKinds`).
    var pending: RunEvent?
    /// The run was refused before it began: nothing of it is written.
    var refused = false
  }

  /// The runs directory (`.haflow/runs`).
  public let root: String
  private let plan: ResumePlan?
  private let state = Mutex(State())

  /// A journal under `root`; `plan` is the resumed run's, whose replayed values it records.
  public init(root: String, plan: ResumePlan? = nil) {
    self.root = root
    self.plan = plan
  }

  /// The event kinds the journal keeps.
  static let kept: Set<RunEvent.Kind> = [
    .runStart, .runEnd, .stepStart, .stepEnd, .stepSkip, .hostEnd, .hostUnreachable, .error,
  ]

  /// The listener: give it to `RunEventLog.addListener`.
  public func record(_ event: RunEvent) {
    guard Self.kept.contains(event.kind) else { return }
    var event = event
    if event.kind == .stepSkip, event["reason"]?.text == ResumePlan.reason, let step = event.step,
      let json = plan?.takeReplayed(step: step)
    {
      event.fields.append(.init("value", .json(json)))
    }
    state.withLock { state in
      if event.kind == .runStart {
        (state.pending, state.refused) = (event, false)
        return
      }
      if state.refused {
        if event.kind == .runEnd { state.refused = false }
        return
      }
      if let pending = state.pending {
        state.pending = nil
        if event.kind == .error,
          RunEventLog.refusalKinds.contains(event["kind"]?.text ?? "")
        {
          state.refused = true
          return
        }
        guard let id = pending["run_id"]?.text else { return }
        open(id, state: &state)
        write(pending, state: &state)
      }
      write(event, state: &state)
    }
  }

  private func write(_ event: RunEvent, state: inout State) {
    guard state.fd >= 0 else { return }
    let line = Array((event.jsonLine + "\n").utf8)
    let written = line.withUnsafeBytes { Glibc.write(state.fd, $0.baseAddress, $0.count) }
    if written != line.count { state.failed = true }
    if [.stepEnd, .stepSkip, .runEnd].contains(event.kind) { fsync(state.fd) }
    if event.kind == .runEnd {
      close(state.fd)
      state.fd = -1
    }
  }

  /// Whether a write failed (the disk is full, …): the journal is incomplete.
  public var hadWriteError: Bool { state.withLock { $0.failed } }

  private func open(_ id: String, state: inout State) {
    let directory = root + "/" + id
    guard RunsDirectory.makeDirectories(directory) else {
      state.failed = true
      return
    }
    let fd = Glibc.open(
      directory + "/" + RunsDirectory.journalName, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
      0o600)
    if fd < 0 { state.failed = true }
    state.fd = fd
  }
}
