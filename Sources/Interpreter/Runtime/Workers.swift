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
    let job = WorkerJob(body)
    for _ in 0..<min(max(1, limit), count) {
      group.enter()
      let thread = Thread {
        defer { group.leave() }
        while !stop() {
          let index = next.add(1, ordering: .relaxed).oldValue
          guard index < count else { return }
          job.run(index)
        }
      }
      thread.stackSize = stackSize
      thread.start()
    }
    group.wait()
    // Each thread's block holds the job until the thread has exited, which may be after
    // `wait` returns: the job lets go of the body now, so what the body captured (a parallel
    // branch's frames and values) is freed when `forEach` returns, not at the scheduler's whim.
    job.release()
  }
}

/// The body of one `forEach`, dropped once every thread is done with it.
private final class WorkerJob: @unchecked Sendable {
  private var body: (@Sendable (Int) -> Void)?

  init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }

  /// Runs the body for `index` (threads only call this before they leave the group).
  func run(_ index: Int) { body?(index) }

  /// Forgets the body (after every thread has left the group).
  func release() { body = nil }
}
