import Dispatch
import Synchronization

/// Runs async work to completion from synchronous code (the interpreter is synchronous;
/// swift-subprocess is async).
///
/// The caller's thread blocks while the work runs on the global concurrent executor, so call
/// it from an ordinary thread (the interpreter runs programs on its own threads), not from a
/// Swift concurrency task: blocking every thread of the cooperative pool would leave the work
/// nowhere to run.
enum BlockingBridge {
  /// Starts `work` in a detached task and blocks until it finishes.
  static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = OutcomeSlot<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
      do {
        outcome.set(.success(try await work()))
      } catch {
        outcome.set(.failure(error))
      }
      done.signal()
    }
    done.wait()
    return try outcome.get()
  }
}

/// A result handed from the bridge's task to the waiting thread.
private final class OutcomeSlot<T: Sendable>: Sendable {
  private let value = Mutex<Result<T, any Error>?>(nil)

  func set(_ result: Result<T, any Error>) { value.withLock { $0 = result } }

  func get() throws -> T {
    guard let result = value.withLock({ $0 }) else {
      throw BridgeError.noResult
    }
    return try result.get()
  }
}

/// The bridge finished without a result (cannot happen; reported rather than trapped).
enum BridgeError: Error {
  case noResult
}
