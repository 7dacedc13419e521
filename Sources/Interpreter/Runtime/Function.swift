import Lexer

/// A callable value: a built-in from the table, or a closure made by `fn`.
public final class Function: Sendable {
  /// What is behind the function.
  public enum Kind: Sendable {
    case builtin(Builtin)
    case closure(Closure)
  }

  /// What is behind it.
  public let kind: Kind
  /// The closure, when it is one: what every call reads, without copying `kind`.
  let closure: Closure?

  /// Makes a function value.
  public init(_ kind: Kind) {
    self.kind = kind
    if case .closure(let closure) = kind { self.closure = closure } else { closure = nil }
  }

  /// The name shown in errors and stack traces.
  public var name: String {
    switch kind {
    case .builtin(let builtin): builtin.name
    case .closure(let closure): closure.name
    }
  }
}

/// A compiled closure: its code and the values it captured when it was made.
///
/// Closures capture values, not variables, so a closure never keeps a scope alive. The
/// captured values live in storage of the closure's own, which its frames read directly.
public final class Closure: @unchecked Sendable {
  /// The name (`fn name`) or `<closure>`.
  public let name: String
  /// Parameter names, in order.
  public let parameterNames: [String]
  let code: CompiledFunction
  /// The captured values (immutable once made); nil when there are none.
  let captureStorage: UnsafeMutablePointer<Value>?
  let captureCount: Int

  init(name: String, parameterNames: [String], code: CompiledFunction, captures: [Value]) {
    self.name = name
    self.parameterNames = parameterNames
    self.code = code
    captureCount = captures.count
    if captures.isEmpty {
      captureStorage = nil
    } else {
      let storage = UnsafeMutablePointer<Value>.allocate(capacity: captures.count)
      storage.initialize(from: captures, count: captures.count)
      captureStorage = storage
    }
  }

  deinit {
    captureStorage?.deinitialize(count: captureCount)
    captureStorage?.deallocate()
  }

  /// The frame a call of this closure runs in: `slots` from the caller's value stack.
  func frame(slots: UnsafeMutablePointer<Value>, caller: Frame) -> Frame {
    Frame(
      slots: slots, captures: captureStorage ?? slots, globalSlots: caller.globalSlots,
      registers: caller.registers)
  }
}
