import Foundation
import Synchronization

/// Blocking work spread over threads of their own (never the cooperative pool): parallel `on`
/// branches, `haflow exec`'s hosts, opening sessions.
public enum Workers {
  /// Calls `body(i)` for every `i` in `0..<count`, on at most `limit` threads at once, and
  /// returns when all calls have returned. Once `stop()` says so, no further index starts.
  public static func forEach(
    _ count: Int, limit: Int, stackSize: Int = 1 << 20,
    stop: @escaping @Sendable () -> Bool = { false }, _ body: @escaping @Sendable (Int) -> Void
  ) {
    guard count > 0 else { return }
    let next = Atomic<Int>(0)
    let group = DispatchGroup()
    for _ in 0..<min(max(1, limit), count) {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        while !stop() {
          let index = next.add(1, ordering: .relaxed).oldValue
          guard index < count else { return }
          body(index)
        }
      }
      thread.stackSize = stackSize
      thread.start()
    }
    group.wait()
  }
}
