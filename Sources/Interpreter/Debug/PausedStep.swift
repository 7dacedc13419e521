import Lexer

/// A step the debugger stopped at: its name and place, the hosts it targets, and the scope it
/// is written in (names can be read, and input compiled and run, there).
public final class PausedStep: @unchecked Sendable {
  /// The step's name as shown in progress lines.
  public let name: String
  /// The whole step expression.
  public let span: Span
  /// The hosts of its `on` clause (empty without one).
  public let hosts: [String]
  /// How many times it has been attempted so far (0 before the first run).
  public internal(set) var attempts = 0
  let frame: Frame
  let scope: StepScope

  init(name: String, span: Span, hosts: [String], frame: Frame, scope: StepScope) {
    self.name = name
    self.span = span
    self.hosts = hosts
    self.frame = frame
    self.scope = scope
  }

  /// The host of the enclosing `on` block, if any.
  public var host: Host? { frame.state.host }

  /// The run this step belongs to.
  public var run: RunContext { frame.state.run }

  /// The calls the step is inside, innermost first.
  public var stack: [RuntimeError.StackEntry] { frame.state.stack }

  /// The names visible at the step (for completion).
  public var names: [String] { scope.bindings.map(\.name) }

  /// The variables visible at the step with their current values (functions left out).
  public var variables: [(name: String, value: Value)] {
    scope.bindings.compactMap { name, binding in
      let value = read(binding)
      if case .function = value, binding.functionParameters != nil { return nil }
      return (name, value)
    }
  }

  /// The value of a visible binding in the paused frame; nil when it is not reachable.
  func read(_ binding: Binding) -> Value {
    switch binding.storage {
    case .global(let slot):
      return slot < frame.globals.count ? frame.globalSlots[slot] : .nil
    case .local(let slot):
      if binding.owner === scope.function {
        return slot < frame.slotCount ? frame.slots[slot] : .nil
      }
      guard let index = scope.function.captureIndex[ObjectIdentifier(binding)],
        index < frame.captures.count
      else { return .nil }
      return frame.captures[index]
    }
  }
}
