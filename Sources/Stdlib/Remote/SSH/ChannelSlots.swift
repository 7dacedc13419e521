import Foundation

/// Caps how many channels of a session are open at once (OpenSSH refuses more than
/// `MaxSessions`, 10 by default); callers beyond the cap wait their turn.
final class ChannelSlots: @unchecked Sendable {
  private let condition = NSCondition()
  private var free: Int

  /// `count` slots.
  init(_ count: Int) { free = max(1, count) }

  /// Takes a slot, waiting (on the calling thread) for one to be released.
  func acquire() {
    condition.lock()
    while free == 0 { condition.wait() }
    free -= 1
    condition.unlock()
  }

  /// Gives a slot back.
  func release() {
    condition.lock()
    free += 1
    condition.signal()
    condition.unlock()
  }
}
