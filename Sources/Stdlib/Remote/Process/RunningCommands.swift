import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process groups of the commands an executor is running, so that an interrupted run can
/// stop them (each command runs in its own process group, which Ctrl-C at the terminal does
/// not reach).
final class RunningCommands: Sendable {
  private let groups = Mutex<Set<Int32>>([])

  /// Runs `body` with `processGroup` registered.
  func tracking<T>(_ processGroup: Int32, _ body: () async throws -> T) async rethrows -> T {
    groups.withLock { _ = $0.insert(processGroup) }
    defer { groups.withLock { _ = $0.remove(processGroup) } }
    return try await body()
  }

  /// Sends `signal` to every registered process group; returns how many there were.
  @discardableResult
  func signalAll(_ signal: Int32) -> Int {
    groups.withLock { groups in
      for group in groups { _ = kill(-group, signal) }
      return groups.count
    }
  }
}
