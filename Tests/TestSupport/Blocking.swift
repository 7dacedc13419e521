import Foundation

/// Runs blocking work on a thread of its own and awaits it, so Swift Testing's cooperative
/// threads (two on this machine) never block on SSH I/O.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try work() }) }
    thread.stackSize = 8 << 20
    thread.start()
  }
}

/// Nanoseconds in a duration, as the language counts them.
public func nanoseconds(_ duration: Duration) -> Int64 {
  let (seconds, attoseconds) = duration.components
  return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}
