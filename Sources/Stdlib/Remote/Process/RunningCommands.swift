import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process groups of the commands an executor is running, so that an interrupted run can
/// stop them (each command runs in its own process group, which Ctrl-C at the terminal does
/// not reach).
///
/// An interrupt sets the stop check first, then signals every registered group. A command
/// that registers after the signalling would be missed: so a command looks at the stop
/// check once it is registered and stops itself (SIGTERM to its group) when it is set. Either
/// `signalAll` sees the group, or the group sees the stop.
final class RunningCommands: Sendable {
  private let groups = Mutex<Set<Int32>>([])
  private let stop: StopCheck

  /// Tracks commands; `stop` says the run was interrupted.
  init(stop: StopCheck = .never) { self.stop = stop }

  /// Runs `body` with `processGroup` registered.
  func tracking<T>(_ processGroup: Int32, _ body: () async throws -> T) async rethrows -> T {
    groups.withLock { _ = $0.insert(processGroup) }
    if stop.isStopped { _ = kill(-processGroup, SIGTERM) }
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
