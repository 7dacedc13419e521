import Interpreter
import Lexer
import Synchronization

/// Which steps `haflow run` runs: `--start-at STEP` leaves out every step before the first
/// one named STEP, `--only STEP` (repeatable) runs only the steps named, `--skip STEP`
/// (repeatable) leaves the named ones out. A step left out is reported (`step_skip`) and its
/// value is nil, so a later step that uses it fails with a clear error.
public final class StepFilter: StepSelection {
  /// `--start-at`.
  public let startAt: String?
  /// `--only`, empty: every step.
  public let only: [String]
  /// `--skip`.
  public let skip: [String]
  /// `--limit`: the hosts `on` may run on; nil: all of them.
  public let limit: Set<String>?
  /// Leaves out every step, for this reason (`--list-hosts`).
  public let skipEvery: String?
  /// Whether the `--start-at` step has been reached.
  private let reached: Atomic<Bool>

  /// Makes a filter.
  public init(
    startAt: String? = nil, only: [String] = [], skip: [String] = [], limit: Set<String>? = nil,
    skipEvery: String? = nil
  ) {
    self.skipEvery = skipEvery
    self.limit = limit
    self.startAt = startAt
    self.only = only
    self.skip = skip
    reached = Atomic(startAt == nil)
  }

  /// Whether the filter leaves anything out.
  public var isEmpty: Bool {
    startAt == nil && only.isEmpty && skip.isEmpty && limit == nil && skipEvery == nil
  }

  /// Whether `on` runs on `host`.
  public func includes(host: String) -> Bool { limit?.contains(host) ?? true }

  /// Why `step` is left out, or nil to run it.
  public func skipReason(step: String) -> String? {
    if let skipEvery { return skipEvery }
    if let startAt, !reached.load(ordering: .acquiring) {
      guard step == startAt else { return "--start-at" }
      reached.store(true, ordering: .releasing)
    }
    if !only.isEmpty && !only.contains(step) { return "--only" }
    if skip.contains(step) { return "--skip" }
    return nil
  }

  /// The names given that match no step of the playbook, each with "did you mean" when one is
  /// close (usage errors: nothing runs).
  public func problems(stepNames: [String]) -> [String] {
    let given =
      (startAt.map { [("--start-at", $0)] } ?? []) + only.map { ("--only", $0) }
      + skip.map { ("--skip", $0) }
    return given.filter { !stepNames.contains($0.1) }.map { flag, name in
      var message = "\(flag): no step is named \"\(name)\""
      if let close = Suggest.closest(to: name, among: stepNames) {
        message += "; did you mean \"\(close)\"?"
      }
      return message
    }
  }
}
