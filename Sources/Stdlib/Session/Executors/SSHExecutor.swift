import Foundation
import Interpreter
import Remote
import Synchronization

import struct Interpreter.Host

/// Runs a playbook's commands and transfers over SSH: one persistent session per host for the
/// whole run (opened on first use, or up front by `prepare` when an `on` block starts), each
/// command on a channel of its own. `local` hosts (and requests without a host) run here.
/// This adapter is where the transport meets the language: requests, results, events and
/// errors are translated by `TransportBridge`.
public final class SSHExecutor: CommandExecutor, HostFiles, AuthMethodReporting {
  /// The settings sessions are opened with.
  public let configuration: SSHConfiguration
  /// What reaches the hosts.
  public let transport: Transport
  /// Runs the local commands.
  public let local: LocalExecutor
  private let files: TransportFiles
  /// The sudo password for every sudo of the run that brings none (`--ask-become-pass`).
  public let becomePassword: Secret?
  /// How each host's session authenticated, by host name, once `connectAll` opened it.
  private let authMethods = Mutex<[String: String]>([:])

  /// Makes an executor; `sink` receives connection notes (a recorded host key, the SCP
  /// fallback); when `cancellation` is cancelled (Ctrl-C), connects and transfers in progress
  /// end with `interrupted`.
  public init(
    configuration: SSHConfiguration = SSHConfiguration(), local: LocalExecutor = LocalExecutor(),
    sink: (any OutputSink)? = nil, cancellation: Cancellation = Cancellation(),
    becomePassword: Secret? = nil
  ) {
    self.becomePassword = becomePassword
    let stop = StopCheck { cancellation.isCancelled }
    var configuration = configuration
    configuration.stop = stop
    self.configuration = configuration
    self.local = local
    let connections = SSHConnections(
      configuration: configuration, notes: sink.map { SinkOutput(sink: $0) })
    transport = Transport(ssh: connections, local: local.processes, stop: stop)
    files = TransportFiles(transport: transport, becomePassword: becomePassword)
  }

  /// Runs the request on its host; a sudo request without a password of its own gets the
  /// run's `becomePassword`, redacted from its output.
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    guard let becomePassword, request.sudo, request.sudoPassword == nil else {
      return try dispatch(request, sink: sink)
    }
    var request = request
    request.sudoPassword = becomePassword
    var result = try dispatch(
      request, sink: RedactingSink(base: sink, secrets: [becomePassword]))
    let matcher = Redaction.matcher(for: [becomePassword])
    result.stdout = matcher.redact(result.stdout)
    result.stderr = matcher.redact(result.stderr)
    return result
  }

  private func dispatch(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    guard let host = request.host, !host.isLocal else {
      return try local.run(request, sink: sink)
    }
    let shell = TransportBridge.shellCommand(request)
    let result = try TransportBridge.translating {
      try transport.run(shell, on: TransportBridge.remoteHost(host), output: SinkOutput(sink: sink))
    }
    return TransportBridge.commandResult(result, request: request, sink: sink)
  }

  /// The session for `host`, connecting on first use.
  public func session(for host: Host) throws -> SSHSession {
    try TransportBridge.translating {
      guard let ssh = transport.ssh else { throw RemoteError("no SSH connections") }
      return try ssh.session(for: TransportBridge.remoteHost(host))
    }
  }

  /// File transfers to and from `host` over its session, without the language's options
  /// (tests and tools that move bytes directly).
  public func transfers(on host: Host) throws -> SFTPClient {
    try TransportBridge.translating {
      guard let ssh = transport.ssh else { throw RemoteError("no SSH connections") }
      return try ssh.transfers(on: TransportBridge.remoteHost(host))
    }
  }

  /// Opens the sessions of `hosts`, at most `parallel` at once, on threads of their own;
  /// returns the failures by host name (empty when every host connected).
  public func connectAll(_ hosts: [Host], parallel: Int = 16) -> [String: RuntimeError] {
    let remote = hosts.filter { !$0.isLocal }
    let failures = Mutex<[String: RuntimeError]>([:])
    let methods = Mutex<[String: String]>([:])
    Workers.forEach(remote.count, limit: parallel, stackSize: 8 << 20) { [transport] index in
      let host = remote[index]
      do {
        if let method = try transport.connect(TransportBridge.remoteHost(host)) {
          methods.withLock { $0[host.name] = method }
        }
      } catch let error as RemoteError {
        failures.withLock { $0[host.name] = TransportBridge.runtimeError(error) }
      } catch {
        failures.withLock { $0[host.name] = RuntimeError("\(error)", host: host.name) }
      }
    }
    let found = methods.withLock { $0 }
    authMethods.withLock { $0.merge(found) { _, new in new } }
    return failures.withLock { $0 }
  }

  /// How `host`'s session authenticated (`agent`, `publickey (~/.ssh/id_ed25519)`,
  /// `password`, `keyboard-interactive`), once `connectAll` or `prepare` opened it; never a
  /// secret.
  public func authMethod(for host: Host) -> String? {
    authMethods.withLock { $0[host.name] }
  }

  /// Opens the sessions of `hosts` in parallel (`on` calls this before its body runs).
  public func prepare(_ hosts: [Host]) -> [String: RuntimeError] { connectAll(hosts) }

  /// Sends SIGTERM to every command running through this executor, remote and local (Ctrl-C);
  /// returns how many there were.
  @discardableResult
  public func terminateRunningCommands() -> Int { transport.terminateRunningCommands() }

  /// Disconnects every session. Call once the run is over.
  public func close() { transport.close() }

  /// Uploads over the host's session (a `local` host copies here).
  public func upload(
    _ local: String, to remote: String, on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try files.upload(local, to: remote, on: host, options: options)
  }

  /// Downloads over the host's session (a `local` host copies here).
  public func download(
    _ remote: String, from host: Host, to local: String, options: TransferOptions
  ) throws -> TransferResult {
    try files.download(remote, from: host, to: local, options: options)
  }

  /// Writes over the host's session (a `local` host writes here).
  public func writeFile(
    _ path: String, contents: [UInt8], on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try files.writeFile(path, contents: contents, on: host, options: options)
  }

  /// Reads over the host's session (a `local` host reads here).
  public func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    try files.readFile(path, on: host, options: options)
  }
}
