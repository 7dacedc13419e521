import Interpreter
import Synchronization

/// Records every event, from any thread.
public final class RecordingSink: OutputSink {
  private let storage = Mutex<[OutputEvent]>([])

  /// Starts empty.
  public init() {}

  /// Every event so far, in order.
  public var events: [OutputEvent] { storage.withLock { $0 } }

  /// Records the event.
  public func emit(_ event: OutputEvent) { storage.withLock { $0.append(event) } }

  /// The text of `.print` events.
  public var printed: [String] {
    events.compactMap { if case .print(let text) = $0 { text } else { nil } }
  }

  /// `(line, isError)` of `.commandOutput` events.
  public var outputLines: [(String, Bool)] {
    events.compactMap {
      if case .commandOutput(_, let line, let isError) = $0 { (line, isError) } else { nil }
    }
  }
}

/// An executor that records requests and answers with a canned result.
public final class FakeExecutor: CommandExecutor {
  private let storage = Mutex<[CommandRequest]>([])
  public let exitStatus: Int
  public let stdout: String
  public let stderr: String

  public init(exitStatus: Int = 0, stdout: String = "", stderr: String = "") {
    self.exitStatus = exitStatus
    self.stdout = stdout
    self.stderr = stderr
  }

  public var requests: [CommandRequest] { storage.withLock { $0 } }

  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    storage.withLock { $0.append(request) }
    let host = request.host?.name ?? "local"
    for line in stdout.split(separator: "\n") {
      sink.emit(.commandOutput(host: host, line: String(line), isError: false))
    }
    return CommandResult(
      host: host, command: request.command.shellText, stdout: stdout, stderr: stderr,
      exitStatus: exitStatus, duration: 1_000)
  }
}
