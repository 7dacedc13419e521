import Lexer
import Synchronization

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

/// Per-thread execution state: the run, its globals, the current host, the call stack, and
/// the value stack that every frame of the thread is a window into.
///
/// The value stack is clox's: a call pushes a window of nil slots for the callee and pops it
/// when the callee returns, so a call allocates nothing. Its memory is reserved once per
/// thread and touched only as deep as calls go. What every call touches (the stack's top,
/// the depth, the cancellation flag) lives in `registers`, raw memory that frames reach
/// without reference counting.
final class ExecState: @unchecked Sendable {
  let run: RunContext
  let cancellation: Cancellation
  /// The top-level variables this thread sees (a parallel branch has its own copy).
  let globals: Globals
  /// `globals.storage`, fixed for the duration of a run.
  let globalSlots: UnsafeMutablePointer<Value>
  var host: Host?
  var stack: [RuntimeError.StackEntry] = []
  /// The value stack's first slot; `base..<registers.top` is in use (initialized).
  let base: UnsafeMutablePointer<Value>
  let registers: UnsafeMutablePointer<ThreadRegisters>

  /// Slots in one thread's value stack. Calls nest at most `Calls.depthLimit` deep, so this
  /// allows some 260 variables per function on average before a clean error.
  static let valueStackCapacity = 1 << 18

  init(run: RunContext, host: Host?, globals: Globals) {
    self.run = run
    self.cancellation = run.cancellation
    self.host = host
    self.globals = globals
    self.globalSlots = globals.storage
    base = .allocate(capacity: ExecState.valueStackCapacity)
    registers = .allocate(capacity: 1)
    registers.initialize(
      to: ThreadRegisters(
        top: base, end: base + ExecState.valueStackCapacity, depth: 0,
        cancelled: cancellation.flag, state: self))
  }

  deinit {
    base.deinitialize(count: registers.pointee.top - base)
    base.deallocate()
    registers.deinitialize(count: 1)
    registers.deallocate()
  }

  /// Calls in progress on this thread.
  var depth: Int {
    get { registers.pointee.depth }
    set { registers.pointee.depth = newValue }
  }

  /// A state for a parallel branch on `host`: same run, depth and call stack; its own copy of
  /// the globals and its own value stack.
  func branch(host: Host) -> ExecState {
    let copy = ExecState(run: run, host: host, globals: Globals(copying: globals))
    copy.depth = depth
    copy.stack = stack
    return copy
  }

  /// A frame with no slots of its own and no captures: top-level code, and the caller of
  /// functions that built-ins call back.
  var topLevelFrame: Frame {
    let top = registers.pointee.top
    return Frame(slots: top, captures: top, globalSlots: globalSlots, registers: registers)
  }

  /// A frame in this state whose slots are a copy of `frame`'s window (a parallel branch's
  /// view of the frame that runs `on`). The window is everything from `frame.slots` up to the
  /// top of its thread's stack: the frame is the innermost one there.
  func copying(_ frame: Frame) throws -> Frame {
    let count = frame.registers.pointee.top - frame.slots
    let window = try topLevelFrame.push(count, span: .unknown)
    for index in 0..<count { window[index] = frame.slots[index] }
    return Frame(
      slots: window, captures: frame.captures, globalSlots: globalSlots, registers: registers)
  }

  static func full(_ span: Span) -> RuntimeError {
    RuntimeError(
      "too many variables in nested calls (limit \(valueStackCapacity) slots)", at: span,
      hint: "is a function recursing without end?")
  }
}

/// What every call and loop iteration of a thread touches, in raw memory owned by its
/// `ExecState`, so that reaching it costs no reference counting.
struct ThreadRegisters {
  /// The first free slot of the value stack.
  var top: UnsafeMutablePointer<Value>
  /// One past the value stack's last slot.
  let end: UnsafeMutablePointer<Value>
  /// Calls in progress.
  var depth: Int
  /// The run's cancellation flag (owned by its `Cancellation`, which the state holds).
  let cancelled: UnsafeMutablePointer<Atomic<Bool>>
  /// The state these belong to (which owns them).
  unowned(unsafe) let state: ExecState
}

/// One activation: a function call, or the top level. A window into its thread's value stack
/// plus the pointers its code reads; trivial to copy (no reference counting), passed by value
/// to every piece of compiled code.
struct Frame: @unchecked Sendable {
  /// The function's slots: parameters first, then every local of its body.
  let slots: UnsafeMutablePointer<Value>
  /// The values the closure captured (owned by the `Closure`, alive while it runs).
  let captures: UnsafeMutablePointer<Value>
  /// The thread state's `globalSlots`, one load closer.
  let globalSlots: UnsafeMutablePointer<Value>
  /// The thread's registers.
  let registers: UnsafeMutablePointer<ThreadRegisters>

  /// The thread's state (a strong reference: keep it off the hottest paths).
  var state: ExecState { registers.pointee.state }

  /// Whether the run was cancelled: one relaxed load.
  @inline(__always)
  var isCancelled: Bool { registers.pointee.cancelled.pointee.load(ordering: .relaxed) }

  /// Pushes a window of `count` nil slots onto the thread's value stack, or throws when it is
  /// full.
  @inline(__always)
  func push(_ count: Int, span: Span) throws -> UnsafeMutablePointer<Value> {
    let window = registers.pointee.top
    // Compared as addresses: a pointer difference would divide by the stride.
    guard count <= ExecState.valueStackCapacity,
      UnsafeRawPointer(window + count) <= UnsafeRawPointer(registers.pointee.end)
    else { throw ExecState.full(span) }
    window.initialize(repeating: .nil, count: count)
    registers.pointee.top = window + count
    return window
  }

  /// Pops the window `push` returned (and everything above it).
  @inline(__always)
  func pop(_ window: UnsafeMutablePointer<Value>) {
    var slot = registers.pointee.top
    while slot > window {
      slot -= 1
      slot.deinitialize(count: 1)
    }
    registers.pointee.top = window
  }
}

/// A compiled function body. A class, so a call copies one reference instead of five arrays.
final class CompiledFunction: Sendable {
  let name: String
  let parameters: ParameterList
  let parameterSlots: [Int]
  let defaults: [ExprBox?]
  let slotCount: Int
  /// The slot that holds the function itself (a local `fn` calling itself), if any.
  let selfSlot: Int?
  let body: StmtCode
  let span: Span
  /// The first parameter's slot when the parameters' slots follow one another (they do
  /// unless a default value declared a name of its own): arguments can then be evaluated
  /// straight into place.
  let firstParameterSlot: Int?

  init(
    name: String, parameters: ParameterList, parameterSlots: [Int], defaults: [ExprBox?],
    slotCount: Int, selfSlot: Int?, body: @escaping StmtCode, span: Span
  ) {
    self.name = name
    self.parameters = parameters
    self.parameterSlots = parameterSlots
    self.defaults = defaults
    self.slotCount = slotCount
    self.selfSlot = selfSlot
    self.body = body
    self.span = span
    let first = parameterSlots.first ?? 0
    let isContiguous = parameterSlots.elementsEqual(first..<first + parameterSlots.count)
    firstParameterSlot = isContiguous ? first : nil
  }

  var parameterCount: Int { parameterSlots.count }
}

/// Statement code kept in an array. An array element of function type is stored reabstracted
/// (each call goes through a thunk); a struct field keeps the closure's own calling convention.
struct StmtBox {
  let run: StmtCode
  init(_ run: @escaping StmtCode) { self.run = run }
}

/// Expression code kept in an array (see `StmtBox`).
struct ExprBox {
  let run: ExprCode
  init(_ run: @escaping ExprCode) { self.run = run }
}
