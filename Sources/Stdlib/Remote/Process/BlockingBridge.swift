import Dispatch
import Synchronization

/// Runs async work to completion from synchronous code (the interpreter is synchronous;
/// swift-subprocess is async).
///
/// The caller's thread blocks while the work runs. The work runs on `DispatchTaskExecutor`,
/// threads of Dispatch's own pool, not on Swift's cooperative pool: that pool has one thread
/// per core, and code that blocks its threads (an embedding app, a test runner, a caller who
/// is itself a task) would otherwise leave a command's output nowhere to be read — a
/// 100 ms command then took as long as the blocker did.
enum BlockingBridge {
  /// Starts `work` in a detached task and blocks until it finishes.
  static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = OutcomeSlot<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached(executorPreference: DispatchTaskExecutor.shared) {
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

/// Runs tasks (and their child tasks, which inherit the preference) on Dispatch's global
/// concurrent queue, whose threads are not the cooperative pool's.
final class DispatchTaskExecutor: TaskExecutor {
  /// The one executor of the process.
  static let shared = DispatchTaskExecutor()

  private let queue = DispatchQueue(
    label: "haflow.process-io", qos: .userInitiated, attributes: .concurrent)

  func enqueue(_ job: consuming ExecutorJob) {
    let unowned = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    queue.async { unowned.runSynchronously(on: executor) }
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
