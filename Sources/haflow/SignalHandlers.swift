import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Waiting for Dispatch's signal handlers. On Linux a `DispatchSourceSignal` installs its own
/// `sigaction` handler (and a signalfd) when the source is registered — on Dispatch's manager
/// thread, a moment after `resume()`. Until then a signal keeps the disposition haflow started
/// with: the default ends the process (fine: nothing has run yet), where setting `SIG_IGN`
/// first, as on macOS, would lose a Ctrl-C or SIGTERM sent in that instant.
enum SignalHandlers {
  /// Waits (at most `limit`) until each of `signals` has a handler function installed (not
  /// the default action, not ignore); returns whether all have.
  @discardableResult
  static func waitInstalled(_ signals: [Int32], limit: Duration = .seconds(2)) -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
      if signals.allSatisfy(hasHandler) { return true }
      if ContinuousClock.now >= deadline { return false }
      usleep(1_000)
    }
  }

  /// Whether `signal` has a handler function (its disposition is neither `SIG_DFL` nor
  /// `SIG_IGN`).
  static func hasHandler(_ signal: Int32) -> Bool {
    var action = sigaction()
    guard sigaction(signal, nil, &action) == 0 else { return false }
    let raw = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    return raw != 0 && raw != 1
  }
}
