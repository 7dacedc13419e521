import Foundation
import Interpreter
import Remote

import struct Interpreter.Host

/// Runs commands and file transfers on this machine only: the executor of a run without an
/// inventory of SSH hosts (every command runs here; files only for `local` hosts). Commands run by `/bin/sh -c` in a process group of their own (see
/// `LocalProcesses`); `local` hosts' files are read and written here.
public struct LocalExecutor: CommandExecutor, HostFiles {
  /// The processes it runs.
  public let processes: LocalProcesses
  private let transport: Transport
  private var files: TransportFiles { TransportFiles(transport: transport) }

  /// Makes an executor; `killGrace` is the time between SIGTERM and SIGKILL after a timeout;
  /// when `cancellation` is cancelled (Ctrl-C), a copy in progress ends with `interrupted`.
  public init(killGrace: Duration = .seconds(2), cancellation: Cancellation = Cancellation()) {
    let stop = StopCheck { cancellation.isCancelled }
    processes = LocalProcesses(killGrace: killGrace, stop: stop)
    transport = Transport(ssh: nil, local: processes, stop: stop)
  }

  /// Sends SIGTERM to the process group of every command this executor is running (Ctrl-C);
  /// returns how many there were. Their results report 143.
  @discardableResult
  public func terminateRunningCommands() -> Int { processes.terminateRunningCommands() }

  /// Runs the request here, whatever its host (whose name labels the output lines).
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    let shell = TransportBridge.shellCommand(request)
    let result = try TransportBridge.translating {
      try processes.run(shell, host: request.host?.name ?? "local", output: SinkOutput(sink: sink))
    }
    return TransportBridge.commandResult(result, request: request, sink: sink)
  }

  /// Copies a file on this machine.
  public func upload(
    _ local: String, to remote: String, on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try files.upload(local, to: remote, on: host, options: options)
  }

  /// Copies a file on this machine.
  public func download(
    _ remote: String, from host: Host, to local: String, options: TransferOptions
  ) throws -> TransferResult {
    try files.download(remote, from: host, to: local, options: options)
  }

  /// Writes a file on this machine.
  public func writeFile(
    _ path: String, contents: [UInt8], on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try files.writeFile(path, contents: contents, on: host, options: options)
  }

  /// Reads a file on this machine.
  public func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    try files.readFile(path, on: host, options: options)
  }
}
