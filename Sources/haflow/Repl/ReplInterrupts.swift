import Dispatch
import Foundation
import Interpreter
import Synchronization

/// Ctrl-C in the REPL and the debugger. While a line is being edited Ctrl-C is a key (it drops
/// the line, see `LineEditor`); at any other time the terminal sends SIGINT. While an input is
/// being evaluated, SIGINT cancels it — a `sleep`, a probe, a transfer or a loop with no
/// command in it ends at once with `interrupted` — and stops the commands running then (local
/// process groups and remote processes), so the prompt comes back with the session's
/// variables intact. A second Ctrl-C when nothing was being evaluated leaves with 130.
/// SIGTERM cancels, stops the running commands and leaves with 143.
enum ReplInterrupts {
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
  private static let idlePresses = Atomic<Int>(0)
  /// How many times (0.1 s apart) Ctrl-C looks for a running command to stop.
  private static let retries = 10

  /// Installs the handlers. `isEvaluating` says whether an input (or a debugged run) is being
  /// evaluated; `stop` signals the running commands and says how many there were.
  static func install(
    cancellation: Cancellation, isEvaluating: @escaping @Sendable () -> Bool,
    stop: @escaping @Sendable () -> Int
  ) {
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler {
      if isEvaluating() {
        idlePresses.store(0, ordering: .relaxed)
        cancellation.cancel()
        // A command that is just starting may not be known yet (a remote command's process
        // group arrives with its first output): ask again while the input still runs.
        for _ in 0..<retries where isEvaluating() {
          if stop() > 0 { return }
          usleep(100_000)
        }
        return
      }
      let presses = idlePresses.add(1, ordering: .relaxed).newValue
      if presses >= 2 {
        Console.err("\nhaflow: interrupted\n")
        exit(130)
      }
      Console.err("\n(nothing to stop; press Ctrl-C again to quit)\n")
    }
    let terminate = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
    terminate.setEventHandler {
      cancellation.cancel()
      _ = stop()
      exit(143)
    }
    interrupt.resume()
    terminate.resume()
    sources = [interrupt, terminate]
    // See `SignalHandlers`: no `SIG_IGN` first, which would lose a signal sent meanwhile.
    SignalHandlers.waitInstalled([SIGINT, SIGTERM])
  }

  /// Called at each prompt: a later Ctrl-C starts counting again.
  static func resetPresses() { idlePresses.store(0, ordering: .relaxed) }
}
