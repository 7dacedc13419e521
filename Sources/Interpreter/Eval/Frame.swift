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

/// The top-level variables of a run. Parallel branches get their own copy. Storage grows only
/// between runs (`ensure`), so frames may keep a raw pointer to it while a run is going.
final class Globals: @unchecked Sendable {
  private(set) var storage: UnsafeMutablePointer<Value>
  private(set) var count: Int

  init(count: Int) {
    self.count = count
    storage = .allocate(capacity: max(1, count))
    storage.initialize(repeating: .nil, count: count)
  }

  init(copying other: Globals) {
    count = other.count
    storage = .allocate(capacity: max(1, count))
    storage.initialize(from: other.storage, count: count)
  }

  /// Makes room for `newCount` slots, keeping the values (the REPL adds names between inputs).
  func ensure(_ newCount: Int) {
    guard newCount > count else { return }
    let grown = UnsafeMutablePointer<Value>.allocate(capacity: newCount)
    grown.moveInitialize(from: storage, count: count)
    (grown + count).initialize(repeating: .nil, count: newCount - count)
    storage.deallocate()
    storage = grown
    count = newCount
  }

  deinit {
    storage.deinitialize(count: count)
    storage.deallocate()
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

/// One activation: a function call, or the top level. Slots live in raw storage so reading and
/// writing them costs no exclusivity bookkeeping (the hottest path of the interpreter).
final class Frame: @unchecked Sendable {
  let slots: UnsafeMutablePointer<Value>
  let slotCount: Int
  let captures: [Value]
  let globals: Globals
  /// `globals.storage`, fixed for the duration of a run.
  let globalSlots: UnsafeMutablePointer<Value>
  let state: ExecState

  init(slotCount: Int, captures: [Value], globals: Globals, state: ExecState) {
    self.slotCount = slotCount
    slots = .allocate(capacity: max(1, slotCount))
    slots.initialize(repeating: .nil, count: slotCount)
    self.captures = captures
    self.globals = globals
    self.globalSlots = globals.storage
    self.state = state
  }

  /// A callee's frame: the caller's globals and state, fresh slots.
  init(calleeOf caller: Frame, slotCount: Int, captures: [Value]) {
    self.slotCount = slotCount
    slots = .allocate(capacity: max(1, slotCount))
    slots.initialize(repeating: .nil, count: slotCount)
    self.captures = captures
    globals = caller.globals
    globalSlots = caller.globalSlots
    state = caller.state
  }

  /// A copy for a parallel branch: its own slots, globals and state.
  init(branchOf frame: Frame, state: ExecState) {
    slotCount = frame.slotCount
    slots = .allocate(capacity: max(1, slotCount))
    slots.initialize(from: frame.slots, count: slotCount)
    captures = frame.captures
    globals = Globals(copying: frame.globals)
    globalSlots = globals.storage
    self.state = state
  }

  deinit {
    slots.deinitialize(count: slotCount)
    slots.deallocate()
  }
}

/// A compiled function body. A class, so a call copies one reference instead of five arrays.
final class CompiledFunction: Sendable {
  let name: String
  let parameterNames: [String]
  let parameterSlots: [Int]
  let defaults: [ExprCode?]
  let slotCount: Int
  /// The slot that holds the function itself (a local `fn` calling itself), if any.
  let selfSlot: Int?
  let body: [StmtCode]
  let span: Span

  init(
    name: String, parameterNames: [String], parameterSlots: [Int], defaults: [ExprCode?],
    slotCount: Int, selfSlot: Int?, body: [StmtCode], span: Span
  ) {
    self.name = name
    self.parameterNames = parameterNames
    self.parameterSlots = parameterSlots
    self.defaults = defaults
    self.slotCount = slotCount
    self.selfSlot = selfSlot
    self.body = body
    self.span = span
  }
}
