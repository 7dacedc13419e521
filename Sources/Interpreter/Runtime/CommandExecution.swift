import Lexer

/// Running a command through the run's executor with progress events, shared by command
/// literals and the `run()` built-in.
public enum CommandExecution {
  /// Runs `request`; when `check` is true a non-zero exit becomes a `.command` runtime error
  /// whose message names the host, the command (redacted) and the exit status. The secrets
  /// the command carries join the run's, which redact its streamed lines, result and error.
  public static func run(_ request: CommandRequest, in run: RunContext, check: Bool) throws
    -> CommandResult
  {
    try run.cancellation.check()
    let hostName = request.host?.name ?? "local"
    let carried = request.command.secrets + (request.sudoPassword.map { [$0] } ?? [])
    for secret in carried { run.secrets.register(secret) }
    // A value too short for the run to look for everywhere is still redacted from the output
    // of the command it was given to.
    let short = carried.filter { !$0.value.isEmpty && $0.value.count < run.secrets.minimumLength }
    let own = Redaction.matcher(for: short)
    var sink = run.sink
    if !short.isEmpty { sink = RedactingSink(base: sink, secrets: short) }
    // Secrets of known formats in this command's output (a token kubeadm generated) join the
    // run's before their line is shown; the result keeps them, so a parser can read them.
    let scanners = run.builtins.outputScanners.filter { $0.applies(to: request.command) }
    let scanning =
      scanners.isEmpty
      ? nil : ScanningSink(base: sink, registry: run.secrets, scanners: scanners)
    if let scanning { sink = scanning }
    sink.emit(.commandStarted(host: hostName, command: request.command.displayText))
    var result = try run.executor.run(request, sink: sink)
    let matcher = run.secrets.matcher
    let revealed = scanning.map { run.secrets.matcher(excluding: $0.found) } ?? matcher
    result.command = own.redact(matcher.redact(request.command.displayText))
    result.stdout = own.redact(revealed.redact(result.stdout))
    result.stderr = own.redact(matcher.redact(result.stderr))
    sink.emit(
      .commandFinished(host: hostName, exitStatus: result.exitStatus, duration: result.duration))
    // Stopped by Ctrl-C: the run ends as interrupted, not with the stopped command's failure.
    try run.cancellation.check()
    if check && result.exitStatus != 0 {
      var message = "command failed with exit status \(result.exitStatus): \(result.command)"
      let tail = result.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
      if !tail.isEmpty { message += "\n" + tail }
      // A known failure of the tool (kubeadm's expired certificates) says what to do.
      let explanation = run.builtins.failureExplainers.lazy
        .filter { $0.applies(to: request.command) }
        .compactMap { $0.explain(result) }.first
      if let explanation { message += "\n" + explanation }
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
  /// `text` with each secret's value replaced by `<secret …>` (one pass, however many).
  public static func redact(_ text: String, secrets: [Secret]) -> String {
    guard !secrets.isEmpty else { return text }
    return matcher(for: secrets).redact(text)
  }

  /// A matcher for `secrets`, their lines registered as the run's registry does, but short
  /// values too: these are secrets one command was given, redacted from its output alone.
  public static func matcher(for secrets: [Secret]) -> SecretMatcher {
    let registry = SecretRegistry(minimumLength: 1)
    for secret in secrets { registry.register(secret) }
    return registry.matcher
  }
}

/// A sink that redacts secrets from every event's text before passing it on: the run's
/// secrets (read at each event, so a secret registered mid-run is redacted from then on), or
/// a fixed set.
public struct RedactingSink: OutputSink {
  private enum Source: Sendable {
    case fixed(SecretMatcher)
    case registry(SecretRegistry)
  }

  let base: any OutputSink
  private let source: Source

  /// Wraps a sink, redacting a fixed set of secrets.
  public init(base: any OutputSink, secrets: [Secret]) {
    self.base = base
    self.source = .fixed(Redaction.matcher(for: secrets))
  }

  /// Wraps a sink, redacting every secret `registry` knows when the event is emitted.
  public init(base: any OutputSink, registry: SecretRegistry) {
    self.base = base
    self.source = .registry(registry)
  }

  public func emit(_ event: OutputEvent) {
    let matcher: SecretMatcher
    switch source {
    case .fixed(let fixed): matcher = fixed
    case .registry(let registry): matcher = registry.matcher
    }
    guard !matcher.isEmpty else { return base.emit(event) }
    base.emit(Self.redact(event, matcher))
  }

  /// The event with its text redacted.
  static func redact(_ event: OutputEvent, _ matcher: SecretMatcher) -> OutputEvent {
    switch event {
    case .print(let text): .print(matcher.redact(text))
    case .log(let text, let host): .log(matcher.redact(text), host: host)
    case .warning(let text, let host): .warning(matcher.redact(text), host: host)
    case .stepStarted(let name, let hosts): .stepStarted(name: matcher.redact(name), hosts: hosts)
    case .stepFinished(let name, let ok, let duration, let message, let value):
      // The value is kept as it is: the event log checks it against the run's secrets and
      // leaves it out of the events and the journal when it holds one.
      .stepFinished(
        name: matcher.redact(name), ok: ok, duration: duration,
        message: message.map(matcher.redact), value: value)
    case .commandStarted(let host, let command):
      .commandStarted(host: host, command: matcher.redact(command))
    case .commandOutput(let host, let line, let isError):
      .commandOutput(host: host, line: matcher.redact(line), isError: isError)
    case .commandFinished: event
    case .hostFinished(let host, let ok, let duration, let message):
      .hostFinished(host: host, ok: ok, duration: duration, message: message.map(matcher.redact))
    case .stepSkipped(let name, let hosts, let reason):
      .stepSkipped(name: matcher.redact(name), hosts: hosts, reason: reason)
    }
  }
}
