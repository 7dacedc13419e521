import Foundation
import Interpreter
import Synchronization

import struct Interpreter.Host

/// Runs commands over SSH: one persistent session per host for the whole run (opened on first
/// use, or up front with `connectAll`), each command on a channel of its own. Hosts whose
/// connection is `local` (and requests without a host) go to `LocalExecutor`.
///
/// A session found dead when a command starts (the server dropped an idle connection) is
/// reopened once, transparently: nothing had run. A connection lost while a command runs fails
/// that command with an error naming the host; the next command reconnects.
public final class SSHExecutor: CommandExecutor {
  /// The settings sessions are opened with.
  public let configuration: SSHConfiguration
  /// Runs the local commands.
  public let local: LocalExecutor
  private let sink: (any OutputSink)?
  private let passphrases: PassphraseCache
  private let slots = Mutex<[String: SessionSlot]>([:])

  /// Makes an executor; `sink` receives connection notes (a recorded host key, SCP fallback).
  public init(
    configuration: SSHConfiguration = SSHConfiguration(), local: LocalExecutor = LocalExecutor(),
    sink: (any OutputSink)? = nil
  ) {
    self.configuration = configuration
    self.local = local
    self.sink = sink
    self.passphrases = PassphraseCache(ask: configuration.passphrase)
  }

  /// Whether `host` runs its commands on this machine.
  public static func isLocal(_ host: Host?) -> Bool {
    guard let host else { return true }
    return host.connection == "local"
  }

  /// Runs the request on its host.
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    guard let host = request.host, !SSHExecutor.isLocal(host) else {
      return try local.run(request, sink: sink)
    }
    let session = try self.session(for: host)
    do {
      return try RemoteCommandRunner(session: session, request: request, sink: sink).run()
    } catch is SessionUnavailable {
      let fresh = try reconnect(host, replacing: session)
      do {
        return try RemoteCommandRunner(session: fresh, request: request, sink: sink).run()
      } catch let error as SessionUnavailable {
        throw fresh.connectionLost(error)
      }
    }
  }

  /// The session for `host`, connecting on first use (one connection per host even when
  /// several threads ask at once) and again when the previous one died.
  public func session(for host: Host) throws -> SSHSession {
    let slot = slots.withLock { slots in
      if let slot = slots[host.name] { return slot }
      let slot = SessionSlot()
      slots[host.name] = slot
      return slot
    }
    return try slot.session {
      try SSHSession.connect(
        to: host, configuration: configuration, passphrases: passphrases, sink: sink)
    }
  }

  /// File transfers to and from `host`.
  public func transfers(on host: Host) throws -> SFTPClient {
    SFTPClient(session: try session(for: host))
  }

  /// Opens the sessions of `hosts`, at most `parallel` at once, on threads of their own;
  /// returns the failures by host name (empty when every host connected).
  public func connectAll(_ hosts: [Host], parallel: Int = 16) -> [String: RuntimeError] {
    let remote = hosts.filter { !SSHExecutor.isLocal($0) }
    let failures = Mutex<[String: RuntimeError]>([:])
    Workers.forEach(remote.count, limit: parallel, stackSize: 8 << 20) { [self] index in
      let host = remote[index]
      do {
        _ = try session(for: host)
      } catch let error as RuntimeError {
        failures.withLock { $0[host.name] = error }
      } catch {
        failures.withLock { $0[host.name] = RuntimeError("\(error)", host: host.name) }
      }
    }
    return failures.withLock { $0 }
  }

  /// Opens the sessions of `hosts` in parallel (`on` calls this before its body runs).
  public func prepare(_ hosts: [Host]) -> [String: RuntimeError] { connectAll(hosts) }

  /// Sends SIGTERM to every command running through this executor, remote and local (Ctrl-C);
  /// returns how many there were.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    let sessions = slots.withLock { Array($0.values) }.compactMap(\.current)
    return sessions.reduce(local.terminateRunningCommands()) {
      $0 + $1.terminateRunningCommands()
    }
  }

  /// Disconnects every session. Call once the run is over.
  public func close() {
    let all = slots.withLock { slots in
      defer { slots.removeAll() }
      return Array(slots.values)
    }
    for slot in all { slot.current?.close() }
  }

  private func reconnect(_ host: Host, replacing dead: SSHSession) throws -> SSHSession {
    let slot = slots.withLock { $0[host.name] }
    guard let slot else { return try session(for: host) }
    return try slot.replace(dead) {
      try SSHSession.connect(
        to: host, configuration: configuration, passphrases: passphrases, sink: sink)
    }
  }
}

/// One host's session, connected at most once at a time.
private final class SessionSlot: @unchecked Sendable {
  private let lock = NSLock()
  private var value: SSHSession?

  /// The open session, if any.
  var current: SSHSession? {
    lock.lock()
    defer { lock.unlock() }
    return value
  }

  /// The session, connecting when there is none or it died.
  func session(connect: () throws -> SSHSession) throws -> SSHSession {
    lock.lock()
    defer { lock.unlock() }
    if let value, value.brokenReason == nil { return value }
    value?.close()
    let fresh = try connect()
    value = fresh
    return fresh
  }

  /// Replaces `dead` (unless another thread already did) with a new session.
  func replace(_ dead: SSHSession, connect: () throws -> SSHSession) throws -> SSHSession {
    lock.lock()
    defer { lock.unlock() }
    if let value, value !== dead, value.brokenReason == nil { return value }
    value?.close()
    let fresh = try connect()
    value = fresh
    return fresh
  }
}
