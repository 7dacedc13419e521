import Foundation
import Lexer
import Synchronization

/// Stops a run from outside: Ctrl-C or SIGTERM calls `cancel()` from a signal-handling thread,
/// and the evaluation notices at the next loop iteration or function call (also in code that
/// runs no command) and throws `interrupted`. Waits that go through `sleep(nanoseconds:)` end
/// at once. One token belongs to a `RunContext`; `reset()` readies it for the next
/// evaluation (the REPL cancels one input and keeps its session).
///
/// `cancel()` takes a lock: call it from a thread (a dispatch signal source), never from a
/// raw signal handler.
public final class Cancellation: @unchecked Sendable {
  /// The flag, in memory of its own so that the interpreter's frames can read it without
  /// reference counting.
  let flag: UnsafeMutablePointer<Atomic<Bool>>
  private let condition = NSCondition()

  /// A token that is not cancelled.
  public init() {
    flag = .allocate(capacity: 1)
    flag.initialize(to: Atomic(false))
  }

  deinit {
    flag.deinitialize(count: 1)
    flag.deallocate()
  }

  /// Whether `cancel()` was called since the token was made or last reset. Cheap: one relaxed
  /// atomic load, checked at every loop back-edge and function entry.
  @inline(__always)
  public var isCancelled: Bool { flag.pointee.load(ordering: .relaxed) }

  /// Asks the evaluation to stop and wakes every `sleep(nanoseconds:)`.
  public func cancel() {
    condition.lock()
    flag.pointee.store(true, ordering: .releasing)
    condition.broadcast()
    condition.unlock()
  }

  /// Clears a cancellation, for the next evaluation. Call it when nothing is being evaluated
  /// with this token.
  public func reset() {
    condition.lock()
    flag.pointee.store(false, ordering: .releasing)
    condition.unlock()
  }

  /// Throws the `interrupted` error when the token is cancelled.
  @inline(__always)
  public func check() throws {
    if isCancelled { throw Cancellation.interrupted() }
  }

  /// The error an interrupted evaluation ends with: kind `.interrupted`, message
  /// `interrupted`.
  public static func interrupted(at span: Span = .unknown) -> RuntimeError {
    RuntimeError("interrupted", kind: .interrupted, at: span)
  }

  /// Waits `nanoseconds` (measured on the monotonic clock) or until the token is cancelled,
  /// whichever comes first; throws the `interrupted` error in the second case (also when it
  /// is cancelled already).
  public func sleep(nanoseconds: Int64) throws {
    if !wait(nanoseconds: nanoseconds) { return }
    throw Cancellation.interrupted()
  }

  /// Waits like `sleep(nanoseconds:)` but returns whether the token was cancelled instead of
  /// throwing: true when it was (the wait ended early), false when the time ran out.
  public func wait(nanoseconds: Int64) -> Bool {
    let start = DispatchTime.now().uptimeNanoseconds
    let total = UInt64(max(0, nanoseconds))
    condition.lock()
    defer { condition.unlock() }
    while !flag.pointee.load(ordering: .acquiring) {
      let elapsed = DispatchTime.now().uptimeNanoseconds &- start
      if elapsed >= total { return false }
      // Wait in slices of at most a second: the condition's deadline is on the wall clock,
      // which may jump; the monotonic clock above decides when the time is up.
      let slice = min(total - elapsed, 1_000_000_000)
      _ = condition.wait(until: Date(timeIntervalSinceNow: Double(slice) / 1e9))
    }
    return true
  }
}
