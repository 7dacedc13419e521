import Interpreter
import Remote

import struct Interpreter.Host

/// The one place where the transport's values become the language's and back: requests become
/// shell commands, transport errors become runtime errors, results and output lines become
/// the run's events.
enum TransportBridge {
  /// The transport's view of an inventory host: its address and login, the known_hosts file
  /// (`haflow_known_hosts`) and identity files named in its variables.
  static func remoteHost(_ host: Host) -> RemoteHost {
    RemoteHost(
      name: host.name, address: host.address, port: host.port, user: host.user,
      isLocal: host.isLocal, knownHostsFile: text(host.vars["haflow_known_hosts"]),
      identityFiles: identityKeys.compactMap { text(host.vars[$0]) })
  }

  /// The variables that name a host's private key, in the order they are tried.
  static let identityKeys = [
    "identity_file", "ansible_ssh_private_key_file", "ansible_private_key_file",
  ]

  private static func text(_ value: Value?) -> String? {
    if case .string(let text)? = value { return text }
    return nil
  }

  /// A request as the transport runs it.
  static func shellCommand(_ request: CommandRequest) -> ShellCommand {
    ShellCommand(
      script: request.command.shellText, display: request.command.displayText,
      sudo: request.sudo, sudoPassword: request.sudoPassword?.value,
      environment: request.environment, directory: request.directory, stdin: request.stdin,
      timeout: request.timeout.map { .nanoseconds($0) })
  }

  /// A transport result as the language sees it; a timed-out command gets the line
  /// `timed out after 2s` on stderr (and in the output, after the command's own lines).
  static func commandResult(
    _ result: ShellResult, request: CommandRequest, sink: any OutputSink
  ) -> CommandResult {
    var stderr = result.stderr
    if result.timedOut, let timeout = request.timeout {
      let note = "timed out after \(Value.formatDuration(timeout))"
      if let last = stderr.utf8.last, last != 0x0A { stderr += "\n" }
      stderr += note + "\n"
      sink.emit(.commandOutput(host: result.host, line: note, isError: true))
    }
    return CommandResult(
      host: result.host, command: request.command.displayText, stdout: result.stdout,
      stderr: stderr, exitStatus: result.exitStatus, duration: result.duration.nanosecondCount)
  }

  /// A transport error as a runtime error naming the same host.
  static func runtimeError(_ error: RemoteError) -> RuntimeError {
    RuntimeError(
      error.message, kind: error.isConnectionFailure ? .unreachable : .error, hint: error.hint,
      host: error.host)
  }

  /// Runs `body`, turning transport errors into runtime errors.
  static func translating<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as RemoteError {
      throw runtimeError(error)
    }
  }

  /// Transfer options for the transport.
  static func fileOptions(_ options: TransferOptions) -> FileTransferOptions {
    FileTransferOptions(
      mode: options.mode, createParents: options.createParents, verify: options.verify,
      sudo: options.sudo, sudoPassword: options.sudoPassword?.value)
  }

  /// A transport transfer result for the language.
  static func transferResult(_ result: FileTransferResult) -> TransferResult {
    TransferResult(
      path: result.path, bytes: result.bytes, sha256: result.sha256, mode: result.mode,
      method: result.method, duration: result.duration, changed: result.changed)
  }
}

/// The transport's output as run events: lines become `commandOutput`, notes `log`, warnings
/// `warning`.
struct SinkOutput: TransportOutput {
  /// Where events go.
  let sink: any OutputSink

  func line(_ text: String, isError: Bool, host: String) {
    sink.emit(.commandOutput(host: host, line: text, isError: isError))
  }

  func note(_ text: String, host: String) { sink.emit(.log(text, host: host)) }

  func warning(_ text: String, host: String) { sink.emit(.warning(text, host: host)) }
}
