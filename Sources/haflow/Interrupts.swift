import Dispatch
import Foundation
import Session
import Synchronization

/// Ctrl-C and SIGTERM during a run: local commands run in their own process groups (so a
/// timeout can kill a whole tree), which the terminal's signal does not reach; this stops them
/// before haflow exits with 130 (or 143), so nothing keeps running behind the operator's back.
enum Interrupts {
  /// Kept alive for the life of the process.
  nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
  /// Set as soon as a signal arrives.
  private static let interrupted = Atomic<Bool>(false)

  /// Called when the run returns: after an interrupt, leave the exit to the handler (130/143),
  /// not to the failure the stopped command caused.
  static func yieldIfInterrupted() {
    guard interrupted.load(ordering: .acquiring) else { return }
    while true { sleep(60) }
  }

  /// Installs the handlers for a run that uses `executor`.
  static func install(stopping executor: LocalExecutor) {
    install { executor.terminateRunningCommands() }
  }

  /// Installs the handlers for a run over SSH: remote commands are signalled too.
  static func install(stopping executor: SSHExecutor) {
    install { executor.terminateRunningCommands() }
  }

  /// Installs the handlers; `stop` signals the running commands and says how many there were.
  static func install(stop: @escaping @Sendable () -> Int) {
    for (number, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        interrupted.store(true, ordering: .releasing)
        let stopped = stop()
        let what = stopped == 1 ? "1 running command" : "\(stopped) running commands"
        Console.err("\nhaflow: interrupted; stopped \(what)\n")
        exit(status)
      }
      source.resume()
      sources.append(source)
    }
  }
}
