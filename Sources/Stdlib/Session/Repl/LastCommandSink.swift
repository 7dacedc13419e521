import Foundation
import Interpreter

/// Passes events on and remembers, per host, the last command with its output (already
/// redacted), for the debugger's `:out`.
public final class LastCommandSink: OutputSink, @unchecked Sendable {
  private let base: any OutputSink
  private let lock = NSLock()
  private var last: [String: RecordedCommand] = [:]
  private var order: [String] = []
  /// The innermost step running (steps nest; parallel hosts share their step).
  private var steps: [String] = []

  /// Wraps a sink.
  public init(base: any OutputSink) { self.base = base }

  /// Records the event, then passes it on.
  public func emit(_ event: OutputEvent) {
    lock.withLock {
      switch event {
      case .stepStarted(let name, _):
        steps.append(name)
      case .stepFinished(let name, _, _, _, _):
        if let index = steps.lastIndex(of: name) { steps.remove(at: index) }
      case .commandStarted(let host, let command):
        if last[host] == nil { order.append(host) }
        last[host] = RecordedCommand(host: host, command: command, step: steps.last)
      case .commandOutput(let host, let line, let isError):
        if isError {
          last[host]?.stderr += line + "\n"
        } else {
          last[host]?.stdout += line + "\n"
        }
      case .commandFinished(let host, let exitStatus, let duration):
        last[host]?.exitStatus = exitStatus
        last[host]?.duration = duration
      default: break
      }
    }
    base.emit(event)
  }

  /// The last command of each host, in the order hosts first ran one.
  public var commands: [RecordedCommand] {
    lock.withLock { order.compactMap { last[$0] } }
  }
}

/// One host's last command as the debugger shows it.
public struct RecordedCommand: Sendable {
  /// The host name.
  public var host: String
  /// The command text, secrets redacted.
  public var command: String
  /// The step it ran in; nil outside any step.
  public var step: String?
  /// Standard output lines.
  public var stdout = ""
  /// Standard error lines.
  public var stderr = ""
  /// The exit status; nil while it runs.
  public var exitStatus: Int?
  /// Nanoseconds.
  public var duration: Int64 = 0
}
