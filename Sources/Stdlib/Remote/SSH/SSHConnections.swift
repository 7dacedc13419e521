import Foundation
import Synchronization

/// One persistent SSH session per host for the whole run (opened on first use, or up front
/// with `connect`), each command and transfer on a channel of its own.
///
/// A session found dead when a command starts (the server dropped an idle connection) is
/// reopened once, transparently: nothing had run. A connection lost while a command runs fails
/// that command with an error naming the host; the next command reconnects.
public final class SSHConnections: Sendable {
  /// The settings sessions are opened with.
  public let configuration: SSHConfiguration
  private let notes: (any TransportOutput)?
  private let passphrases: PassphraseCache
  private let slots = Mutex<[String: SessionSlot]>([:])

  /// Makes an empty pool; `notes` receives connection notes (a recorded host key, the SCP
  /// fallback).
  public init(configuration: SSHConfiguration, notes: (any TransportOutput)? = nil) {
    self.configuration = configuration
    self.notes = notes
    self.passphrases = PassphraseCache(ask: configuration.passphrase)
  }

  /// Runs a command on `host`, reconnecting once when the session was found dead before the
  /// command started.
  public func run(_ command: ShellCommand, on host: RemoteHost, output: any TransportOutput)
    throws -> ShellResult
  {
    let session = try self.session(for: host)
    do {
      return try RemoteCommandRunner(session: session, command: command, output: output).run()
    } catch is SessionUnavailable {
      let fresh = try reconnect(host, replacing: session)
      do {
        return try RemoteCommandRunner(session: fresh, command: command, output: output).run()
      } catch let error as SessionUnavailable {
        throw fresh.connectionLost(error)
      }
    }
  }

  /// The session for `host`, connecting on first use (one connection per host even when
  /// several threads ask at once) and again when the previous one died.
  public func session(for host: RemoteHost) throws -> SSHSession {
    try Self.connecting {
      try session(
        for: host, through: configuration.hostOptions[host.name]?.proxyJump, key: host.name)
    }
  }

  /// Runs `body`, which opens a session: whatever stops it means the host cannot be reached.
  private static func connecting<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch var error as RemoteError {
      error.isConnectionFailure = true
      throw error
    }
  }

  /// The session for `host` reached through `jump` (nil: directly), kept under `key`.
  private func session(for host: RemoteHost, through jump: String?, key: String) throws
    -> SSHSession
  {
    let slot = slots.withLock { slots in
      if let slot = slots[key] { return slot }
      let slot = SessionSlot()
      slots[key] = slot
      return slot
    }
    return try slot.session { try connect(host, through: jump) }
  }

  /// Connects to `host`, directly or through its jump hosts (`ProxyJump a` or a chain
  /// `a,b`): each jump host's session is opened once and shared by every host behind it, and
  /// the last hop of a chain is reached through the ones before it.
  private func connect(_ host: RemoteHost, through value: String?) throws -> SSHSession {
    guard let value else {
      return try SSHSession.connect(
        to: host, configuration: configuration, passphrases: passphrases, notes: notes)
    }
    let hops = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let last = hops[hops.count - 1]
    let before = hops.count > 1 ? hops.dropLast().joined(separator: ",") : nil
    let spec: JumpSpec
    do {
      spec = try JumpSpec.parse(last)
    } catch {
      throw RemoteError(
        "\(host.name) (ProxyJump \(value)): \(error.message)",
        hint: "write ProxyJump [user@]host[:port], or several separated by commas",
        host: host.name)
    }
    let jumpHost =
      configuration.jumpHosts[last]
      ?? RemoteHost(name: spec.sessionName, address: spec.host, port: spec.port, user: spec.user)
    let jump: SSHSession
    do {
      jump = try session(
        for: jumpHost, through: before,
        key: jumpHost.name + (before.map { " via " + $0 } ?? ""))
    } catch let error as RemoteError {
      throw RemoteError(
        "cannot reach \(host.name) through the jump host \(spec.text): \(error.message)",
        hint: error.hint, host: host.name)
    }
    let timeout =
      configuration.hostOptions[host.name]?.connectTimeout
      ?? configuration.connectTimeout
    return try SSHSession.connect(
      to: host, configuration: configuration, passphrases: passphrases, notes: notes,
      tunnel: {
        try JumpTunnel.open(
          through: jump, to: host.address, port: host.port ?? 22, for: host.name,
          timeout: timeout)
      })
  }

  /// File transfers to and from `host`.
  public func transfers(on host: RemoteHost) throws -> SFTPClient {
    SFTPClient(session: try session(for: host))
  }

  /// Sends SIGTERM to every command running on these sessions (Ctrl-C); returns how many
  /// there were.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    let sessions = slots.withLock { Array($0.values) }.compactMap(\.current)
    return sessions.reduce(0) { $0 + $1.terminateRunningCommands() }
  }

  /// Disconnects every session. Call once the run is over.
  public func close() {
    let all = slots.withLock { slots in
      defer { slots.removeAll() }
      return Array(slots.values)
    }
    for slot in all { slot.current?.close() }
  }

  private func reconnect(_ host: RemoteHost, replacing dead: SSHSession) throws -> SSHSession {
    let slot = slots.withLock { $0[host.name] }
    guard let slot else { return try session(for: host) }
    return try Self.connecting {
      try slot.replace(dead) {
        try SSHSession.connect(
          to: host, configuration: configuration, passphrases: passphrases, notes: notes)
      }
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
