import Dispatch
import Foundation
import Interpreter
import Synchronization

/// Ctrl-C and SIGTERM during a run. The first signal cancels the evaluation (a `sleep`, a
/// probe, a transfer, a loop with no command in it all end at once) and stops the running
/// commands — local ones run in process groups of their own, which the terminal's signal does
/// not reach, and remote ones are signalled over their sessions. The run then unwinds with
/// `interrupted`, its sessions are closed, and haflow exits 130 (SIGINT) or 143 (SIGTERM). If
/// the run has not unwound within `grace`, or a second signal comes, haflow exits at once.
enum Interrupts {
  /// Kept alive for the life of the process.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
  /// The exit status of the first signal (0 until one arrives).
  private static let status = Atomic<Int32>(0)
  /// How long the run has to unwind after a signal before haflow exits anyway.
  static let grace: Duration = .seconds(5)

  /// Installs the handlers: a signal cancels `cancellation` and calls `stop`, which stops the
  /// running commands and says how many there were. `leaving` runs before haflow exits
  /// without unwinding (a second signal, or the grace period over): `rehearse` takes its lab
  /// down there.
  static func install(
    cancellation: Cancellation, stop: @escaping @Sendable () -> Int,
    leaving: @escaping @Sendable () -> Void = {}
  ) {
    for (number, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        let (first, _) = status.compareExchange(
          expected: 0, desired: code, ordering: .acquiringAndReleasing)
        guard first else {
          Console.err("\nhaflow: interrupted again; leaving now\n")
          leaving()
          exit(status.load(ordering: .acquiring))
        }
        cancellation.cancel()
        let stopped = stop()
        let what = stopped == 1 ? "1 running command" : "\(stopped) running commands"
        Console.err("\nhaflow: interrupted; stopped \(what)\n")
        DispatchQueue.global().asyncAfter(
          deadline: .now() + .seconds(Int(grace.components.seconds))
        ) {
          Console.err("haflow: the run did not stop within \(grace); leaving\n")
          leaving()
          exit(code)
        }
      }
      source.resume()
      sources.append(source)
    }
    // No `SIG_IGN` first: a signal before Dispatch's handlers are in place ends haflow (nothing
    // has run), rather than being lost; once this returns, every signal reaches the handler.
    SignalHandlers.waitInstalled([SIGINT, SIGTERM])
  }

  /// The exit status to leave with when a signal stopped the run, else nil.
  static var interruptedStatus: Int32? {
    let code = status.load(ordering: .acquiring)
    return code == 0 ? nil : code
  }
}
