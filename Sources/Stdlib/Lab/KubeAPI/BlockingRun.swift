import Foundation

/// Runs async work from a synchronous entry point (the stand-ins' `main`, started by argv[0]
/// before any async context exists) and waits for its result.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
  let box = ResultBox<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    box.set(await work())
    done.signal()
  }
  done.wait()
  return box.value!
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: T?
  func set(_ value: T) { lock.withLock { stored = value } }
  var value: T? { lock.withLock { stored } }
}
