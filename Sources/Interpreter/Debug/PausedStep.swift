import Lexer

/// A step the debugger stopped at: its name and place, the hosts it targets, and the scope it
/// is written in (names can be read, and input compiled and run, there).
///
/// It is valid while the debugger's call about the step lasts: the step's frame is a window
/// into its thread's value stack. Kept longer, it reads no values and evaluates nothing.
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
  /// The frame's thread state, held strongly (the frame holds it unowned).
  let state: ExecState
  let scope: StepScope
  /// False once the step's frame is gone (the debugger's call about it returned).
  var isLive = true

  init(name: String, span: Span, hosts: [String], frame: Frame, scope: StepScope) {
    self.name = name
    self.span = span
    self.hosts = hosts
    self.frame = frame
    self.state = frame.state
    self.scope = scope
  }

  /// The host of the enclosing `on` block, if any.
  public var host: Host? { state.host }

  /// The run this step belongs to.
  public var run: RunContext { state.run }

  /// The calls the step is inside, innermost first.
  public var stack: [RuntimeError.StackEntry] { state.stack }

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
    guard isLive else { return .nil }
    switch binding.storage {
    case .global(let slot):
      return slot < state.globals.count ? frame.globalSlots[slot] : .nil
    case .local(let slot):
      if binding.owner === scope.function {
        return slot < frame.registers.pointee.top - frame.slots ? frame.slots[slot] : .nil
      }
      // The closure captured exactly the bindings its scope lists.
      guard let index = scope.function.captureIndex[ObjectIdentifier(binding)],
        index < scope.function.captures.count
      else { return .nil }
      return frame.captures[index]
    }
  }
}
