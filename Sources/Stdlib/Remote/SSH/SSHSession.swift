import Foundation
import Synchronization

/// One persistent, authenticated SSH connection to a host, shared by every command and transfer
/// on it for the whole run, each on a channel of its own. Thread-safe: parallel branches may
/// use it at once (see `SessionIO` for how libssh2 calls are serialized).
public final class SSHSession: Sendable {
  /// The host.
  public let host: RemoteHost
  /// The login user.
  public let user: String
  /// `cp1 (10.0.0.1:22)` for messages.
  public let label: String
  /// How it authenticated: `agent`, `publickey (~/.ssh/id_ed25519)`, `password`,
  /// `keyboard-interactive` or `none` (never a secret).
  public let authMethod: String
  /// Settings it was opened with.
  let configuration: SSHConfiguration
  /// Serialized libssh2 access.
  let io: SessionIO
  /// Where transfer notes (SCP fallback) go.
  let notes: (any TransportOutput)?
  private let slots: ChannelSlots
  private let running = Mutex<RemoteCommandTable>(RemoteCommandTable())
  /// Whether the server lacks the SFTP subsystem (then transfers use SCP).
  let sftpUnavailable = Atomic<Bool>(false)
  /// Whether the SCP fallback has been logged.
  let scpNoted = Atomic<Bool>(false)

  private init(
    host: RemoteHost, user: String, label: String, authMethod: String,
    configuration: SSHConfiguration, io: SessionIO, notes: (any TransportOutput)?
  ) {
    self.host = host
    self.authMethod = authMethod
    self.user = user
    self.label = label
    self.configuration = configuration
    self.io = io
    self.notes = notes
    self.slots = ChannelSlots(configuration.maxChannelsPerSession)
  }

  /// Connects and authenticates (blocking the calling thread, within the connect timeout).
  /// Notes such as a newly recorded host key go to `notes`.
  public static func connect(
    to host: RemoteHost, configuration: SSHConfiguration, notes: (any TransportOutput)? = nil
  ) throws -> SSHSession {
    try connect(
      to: host, configuration: configuration,
      passphrases: PassphraseCache(ask: configuration.passphrase), notes: notes)
  }

  static func connect(
    to host: RemoteHost, configuration: SSHConfiguration, passphrases: PassphraseCache,
    notes: (any TransportOutput)?, tunnel: (() throws -> Int32)? = nil
  ) throws -> SSHSession {
    let user = host.user ?? configuration.defaultUser ?? "root"
    let connector = SessionConnector(
      host: host, user: user, configuration: configuration, passphrases: passphrases,
      tunnel: tunnel)
    let (io, authMethod) = try connector.connect { note in notes?.warning(note, host: host.name) }
    return SSHSession(
      host: host, user: user, label: connector.label, authMethod: authMethod,
      configuration: configuration, io: io, notes: notes)
  }

  /// Throws when the configuration's stop check says to stop (Ctrl-C): transfers ask between
  /// chunks.
  func checkStop() throws {
    if configuration.stop.isStopped { throw TransferFailure("interrupted") }
  }

  /// Why the connection no longer works, or nil while it does.
  public var brokenReason: String? { io.brokenReason }

  /// Runs a command on its own channel, streaming its lines to `output`; see `RemoteCommand`
  /// for how sudo, environment, directory and the process group are handled.
  public func run(_ command: ShellCommand, output: any TransportOutput) throws -> ShellResult {
    do {
      return try RemoteCommandRunner(session: self, command: command, output: output).run()
    } catch let error as SessionUnavailable {
      throw connectionLost(error)
    }
  }

  /// Runs a short script of haflow's own (the run lock) on a channel of its own, as the login
  /// user: not wrapped, not tracked, not stopped by Ctrl-C — a run that is stopping must still
  /// be able to release what it holds. Throws when the connection is gone or `timeout` passes.
  public func runHelper(_ command: String, timeout: Duration) throws -> HelperResult {
    do {
      let (status, stdout, stderr) = try capture(command, timeout: timeout)
      return HelperResult(status: status, stdout: stdout, stderr: stderr)
    } catch let error as SessionUnavailable {
      throw connectionLost(error)
    } catch TransportError.timedOut {
      throw RemoteError("\(label) did not answer within \(timeout)", host: host.name)
    } catch TransportError.connectionLost(let reason) {
      throw connectionLost(SessionUnavailable(reason: reason))
    }
  }

  /// The error for a command that could not start because the connection is gone.
  func connectionLost(_ error: SessionUnavailable) -> RemoteError {
    RemoteError(
      "the connection to \(label) is lost: \(error.reason)", host: host.name,
      isConnectionFailure: true)
  }

  /// File transfers over this session.
  public var sftp: SFTPClient { SFTPClient(session: self) }

  /// Disconnects (waiting at most a second for the server) and frees the session.
  public func close() {
    io.close(reason: "haflow is done", timeout: .seconds(1))
  }

  /// Sends SIGTERM to the process group of every command running on this session (Ctrl-C);
  /// returns how many there were.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    let targets = running.withLock { $0.groups }
    for target in targets { signal(target.group, "TERM", sudo: target.sudo) }
    return targets.count
  }

  // MARK: - Channels

  /// The time allowed for a channel to open or a request to be answered.
  var requestTimeout: Duration { max(configuration.connectTimeout * 2, .seconds(10)) }

  /// Opens a channel for a command or transfer, holding one of the session's channel slots
  /// until `release` is called. Throws `SessionUnavailable` when the connection is (found)
  /// dead: nothing has run, so the caller may reconnect and retry.
  func openChannel() throws -> SSHChannel {
    if let reason = io.brokenReason { throw SessionUnavailable(reason: reason) }
    slots.acquire()
    do {
      return try SSHChannel.open(on: io, until: .now + requestTimeout)
    } catch TransportError.connectionLost(let reason) {
      slots.release()
      throw SessionUnavailable(reason: reason)
    } catch TransportError.timedOut {
      slots.release()
      let reason = "the server did not open a channel within \(requestTimeout)"
      io.markBroken(reason)
      throw SessionUnavailable(reason: reason)
    } catch let error as LibSSH2Error {
      slots.release()
      throw RemoteError(
        "\(label) refused to open a channel: \(error.message)",
        hint: "the server may limit sessions per connection (MaxSessions)", host: host.name)
    }
  }

  /// Runs `body` holding one of the session's channel slots (a transfer's SFTP channel).
  func withChannelSlot<T>(_ body: () throws -> T) throws -> T {
    if let reason = io.brokenReason { throw SessionUnavailable(reason: reason) }
    slots.acquire()
    defer { slots.release() }
    return try body()
  }

  /// Frees a channel from `openChannel` and gives its slot back.
  func release(_ channel: SSHChannel) {
    channel.free()
    slots.release()
  }

  /// Runs a helper command (not through the sink) and returns its status and output; used for
  /// checksums and renames. It holds a channel slot unless `urgent` (kill signals, which must
  /// get through even when every slot is taken by the commands they stop).
  func capture(_ command: String, stdin: [UInt8] = [], timeout: Duration, urgent: Bool = false)
    throws -> (status: Int, stdout: String, stderr: String)
  {
    let (status, stdout, stderr) =
      urgent
      ? try captureNow(command, stdin: stdin, timeout: timeout)
      : try withChannelSlot { try captureNow(command, stdin: stdin, timeout: timeout) }
    return (status, String(decoding: stdout, as: UTF8.self), stderr)
  }

  /// Like `capture`, with standard output as bytes (a file's content, binary-safe).
  func captureBytes(_ command: String, timeout: Duration) throws -> (
    status: Int, stdout: [UInt8], stderr: String
  ) {
    try withChannelSlot { try captureNow(command, stdin: [], timeout: timeout) }
  }

  private func captureNow(_ command: String, stdin: [UInt8], timeout: Duration) throws -> (
    status: Int, stdout: [UInt8], stderr: String
  ) {
    let deadline = ContinuousClock.now + timeout
    let channel: SSHChannel
    do {
      channel = try SSHChannel.open(on: io, until: deadline)
    } catch let error as LibSSH2Error {
      throw RemoteError("\(label) refused to open a channel: \(error.message)", host: host.name)
    }
    defer { channel.free() }
    try channel.exec(command, until: deadline)
    var pump = ChannelPump(input: stdin)
    var output = ChannelOutput()
    try pump.drain(channel, until: deadline) { chunk in
      output.stdout += chunk.stdout
      output.stderr += chunk.stderr
    }
    try channel.close(until: deadline)
    return (
      channel.exitStatus() ?? -1, output.stdout,
      String(decoding: output.stderr, as: UTF8.self)
    )
  }

  /// Sends `name` to a remote process group (through sudo when the command used it); errors
  /// are ignored: the group may already be gone.
  func signal(_ group: Int, _ name: String, sudo: RemoteSudo) {
    let command = RemoteCommand.kill(signal: name, group: group, sudo: sudo)
    _ = try? capture(command.text, stdin: command.stdin, timeout: .seconds(5), urgent: true)
  }

  /// Registers a running command (for `terminateRunningCommands`); returns its ticket.
  func track(sudo: RemoteSudo) -> Int { running.withLock { $0.add(sudo: sudo) } }

  /// Records the process group of a tracked command. An interrupt that came while the group
  /// was not yet known (its `terminateRunningCommands` skipped this command) is carried out
  /// now, on a thread of its own: the caller is reading the command's output.
  func setGroup(_ group: Int, for ticket: Int) {
    let sudo = running.withLock { running in
      running.set(group, for: ticket)
      return running.sudo(of: ticket)
    }
    guard configuration.stop.isStopped, let sudo else { return }
    Thread.detachNewThread { self.signal(group, "TERM", sudo: sudo) }
  }

  /// Forgets a tracked command.
  func untrack(_ ticket: Int) { running.withLock { $0.remove(ticket) } }
}

/// The connection was dead before the command started; the command did not run.
struct SessionUnavailable: Error {
  /// Why.
  var reason: String
}

/// The remote commands of a session that are running, by ticket.
struct RemoteCommandTable: Sendable {
  private var entries: [Int: (group: Int?, sudo: RemoteSudo)] = [:]
  private var next = 0

  /// Adds one; returns its ticket.
  mutating func add(sudo: RemoteSudo) -> Int {
    next += 1
    entries[next] = (nil, sudo)
    return next
  }

  /// Sets the process group of a ticket.
  mutating func set(_ group: Int, for ticket: Int) { entries[ticket]?.group = group }

  /// How the command of a ticket runs as root (to signal it the same way).
  func sudo(of ticket: Int) -> RemoteSudo? { entries[ticket]?.sudo }

  /// Removes a ticket.
  mutating func remove(_ ticket: Int) { entries[ticket] = nil }

  /// The process groups known so far.
  var groups: [(group: Int, sudo: RemoteSudo)] {
    entries.values.compactMap { entry in entry.group.map { ($0, entry.sudo) } }
  }
}
