import Dispatch
import Foundation
import Synchronization

/// Ctrl-C in the REPL and the debugger. While a line is being edited Ctrl-C is a key (it drops
/// the line, see `LineEditor`); at any other time the terminal sends SIGINT, which stops the
/// commands running then (local process groups and remote processes) so that the input fails
/// and the prompt comes back. A second Ctrl-C when nothing was running leaves with 130.
/// SIGTERM stops the running commands and leaves with 143.
enum ReplInterrupts {
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
  private static let idlePresses = Atomic<Int>(0)
  /// How many times (0.1 s apart) Ctrl-C looks for a running command to stop.
  private static let retries = 10

  /// Installs the handlers; `stop` signals the running commands and says how many there were.
  static func install(stop: @escaping @Sendable () -> Int) {
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler {
      // A command that is just starting may not be known yet (a remote command's process
      // group arrives with its first output): ask again for up to a second.
      for _ in 0..<retries {
        if stop() > 0 {
          idlePresses.store(0, ordering: .relaxed)
          return
        }
        usleep(100_000)
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
      _ = stop()
      exit(143)
    }
    interrupt.resume()
    terminate.resume()
    sources = [interrupt, terminate]
  }

  /// Called at each prompt: a later Ctrl-C starts counting again.
  static func resetPresses() { idlePresses.store(0, ordering: .relaxed) }
}
