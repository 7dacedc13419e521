import Interpreter
import Synchronization

/// `haflow run --resume`: the steps a past run completed, and the values they returned. A
/// step the plan knows (by name, and by how many times a step of that name has come before)
/// is not run again: its stored value is given back. A step whose value was left out (it held
/// a secret, or a function) is run again, as is every step the past run did not complete.
public final class ResumePlan: Sendable {
  /// The `step_skip` reason of a replayed step.
  public static let reason = "--resume"

  /// The run resumed.
  public let runID: String
  private let inventory: Inventory
  private struct State {
    var remaining: [String: [JournalSummary.CompletedStep]] = [:]
    var replayed: [String: [String]] = [:]
  }
  private let state: Mutex<State>

  /// A plan from a past run's journal; `inventory` gives hosts back by name.
  public init(_ summary: JournalSummary, inventory: Inventory) {
    runID = summary.runID ?? "?"
    self.inventory = inventory
    var remaining: [String: [JournalSummary.CompletedStep]] = [:]
    for step in summary.completed { remaining[step.name, default: []].append(step) }
    state = Mutex(State(remaining: remaining))
  }

  /// The stored value of the next step named `step`, or nil to run it.
  func replay(step: String) -> Value? {
    state.withLock { state in
      guard var queue = state.remaining[step], !queue.isEmpty else { return nil }
      let done = queue.removeFirst()
      state.remaining[step] = queue
      guard let json = done.json,
        let value = try? StoredValue.decode(json, inventory: inventory)
      else { return nil }
      state.replayed[step, default: []].append(json)
      return value
    }
  }

  /// The stored JSON of the step just replayed under `step` (for the new run's journal).
  func takeReplayed(step: String) -> String? {
    state.withLock { state in
      guard var queue = state.replayed[step], !queue.isEmpty else { return nil }
      let json = queue.removeFirst()
      state.replayed[step] = queue
      return json
    }
  }

  /// The run's step selection: `base`'s choices, with this plan's steps replayed.
  public func selection(over base: StepFilter?) -> any StepSelection {
    ResumingSelection(plan: self, base: base)
  }
}

/// A `StepFilter` (or none) with a resume plan's completed steps replayed.
struct ResumingSelection: StepSelection {
  let plan: ResumePlan
  let base: StepFilter?

  func skipReason(step: String) -> String? { base?.skipReason(step: step) }
  func includes(host: String) -> Bool { base?.includes(host: host) ?? true }
  func replay(step: String) -> Value? { plan.replay(step: step) }
}
