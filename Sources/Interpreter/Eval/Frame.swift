import Lexer

/// Compiled code for an expression: evaluates in a frame.
typealias ExprCode = @Sendable (Frame) throws -> Value
/// Compiled code for a statement: runs in a frame and says how control leaves it.
typealias StmtCode = @Sendable (Frame) throws -> Flow

/// How control leaves a statement: `break`, `continue` and `return` are values, not errors.
enum Flow {
  case normal
  case breakLoop
  case continueLoop
  case returnValue(Value)
}

/// The top-level variables of a run. Parallel branches get their own copy.
final class Globals: @unchecked Sendable {
  var slots: [Value]
  init(count: Int) { slots = Array(repeating: .nil, count: count) }
  init(copying other: Globals) { slots = other.slots }
  func ensure(_ count: Int) {
    if slots.count < count { slots.append(contentsOf: repeatElement(.nil, count: count - slots.count)) }
  }
}

/// Per-thread execution state: the current host, the call depth and stack, the run.
final class ExecState: @unchecked Sendable {
  let run: RunContext
  var host: Host?
  var depth = 0
  var stack: [RuntimeError.StackEntry] = []

  init(run: RunContext, host: Host?) {
    self.run = run
    self.host = host
  }

  /// A copy for a parallel branch on `host`.
  func branch(host: Host) -> ExecState {
    let copy = ExecState(run: run, host: host)
    copy.depth = depth
    copy.stack = stack
    return copy
  }
}

/// One activation: a function call, or the top level.
final class Frame: @unchecked Sendable {
  var slots: [Value]
  let captures: [Value]
  let globals: Globals
  let state: ExecState

  init(slotCount: Int, captures: [Value], globals: Globals, state: ExecState) {
    self.slots = Array(repeating: .nil, count: slotCount)
    self.captures = captures
    self.globals = globals
    self.state = state
  }

  /// A copy for a parallel branch: its own slots, globals and state.
  init(branchOf frame: Frame, state: ExecState) {
    self.slots = frame.slots
    self.captures = frame.captures
    self.globals = Globals(copying: frame.globals)
    self.state = state
  }

  /// The top-level frame uses the globals as its slots; see `Compiler`.
  var isTopLevel: Bool { false }
}

/// A compiled function body.
struct CompiledFunction: Sendable {
  let name: String
  let parameterNames: [String]
  let parameterSlots: [Int]
  let defaults: [ExprCode?]
  let slotCount: Int
  /// The slot that holds the function itself (a local `fn` calling itself), if any.
  let selfSlot: Int?
  let body: [StmtCode]
  let span: Span
}
