import Lexer

/// Running a command through the run's executor with progress events, shared by command
/// literals and the `run()` built-in.
public enum CommandExecution {
  /// Runs `request`; when `check` is true a non-zero exit becomes a `.command` runtime error
  /// whose message names the host, the command (redacted) and the exit status.
  public static func run(_ request: CommandRequest, in run: RunContext, check: Bool) throws
    -> CommandResult
  {
    try run.cancellation.check()
    let hostName = request.host?.name ?? "local"
    let sink = RedactingSink(base: run.sink, secrets: request.command.secrets)
    sink.emit(.commandStarted(host: hostName, command: request.command.displayText))
    var result = try run.executor.run(request, sink: sink)
    result.command = request.command.displayText
    result.stdout = Redaction.redact(result.stdout, secrets: request.command.secrets)
    result.stderr = Redaction.redact(result.stderr, secrets: request.command.secrets)
    sink.emit(
      .commandFinished(host: hostName, exitStatus: result.exitStatus, duration: result.duration))
    // Stopped by Ctrl-C: the run ends as interrupted, not with the stopped command's failure.
    try run.cancellation.check()
    if check && result.exitStatus != 0 {
      var message = "command failed with exit status \(result.exitStatus): \(result.command)"
      let tail = result.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
      if !tail.isEmpty { message += "\n" + tail }
      throw RuntimeError(
        message, kind: .command,
        hint:
          "wrap it in try { } catch e { }, or write run(`…`, check: false) to allow a non-zero exit",
        result: result, host: request.host?.name)
    }
    return result
  }
}

/// Replaces secret values with their redacted form.
public enum Redaction {
  /// `text` with each secret's value replaced by `<secret …>`.
  public static func redact(_ text: String, secrets: [Secret]) -> String {
    var out = text
    for secret in secrets where !secret.value.isEmpty {
      out = out.replacing(secret.value, with: secret.redacted)
    }
    return out
  }
}

/// A sink that redacts known secrets from command output before passing it on.
public struct RedactingSink: OutputSink {
  let base: any OutputSink
  let secrets: [Secret]
  /// Wraps a sink.
  public init(base: any OutputSink, secrets: [Secret]) {
    self.base = base
    self.secrets = secrets
  }
  public func emit(_ event: OutputEvent) {
    guard !secrets.isEmpty else { return base.emit(event) }
    switch event {
    case .commandOutput(let host, let line, let isError):
      base.emit(
        .commandOutput(host: host, line: Redaction.redact(line, secrets: secrets), isError: isError)
      )
    default: base.emit(event)
    }
  }
}
