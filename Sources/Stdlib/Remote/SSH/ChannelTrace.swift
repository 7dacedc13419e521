/// A command's channel opened or closed on a session: what `haflow run -vv` shows under the
/// commands (SSH-level detail, beside the connect and its auth method). Told to
/// `SSHConfiguration.channelTrace`, from the thread running the command.
public struct ChannelTrace: Sendable, Equatable {
  /// Opened or closed.
  public enum Phase: String, Sendable {
    /// The server opened the channel; the command is about to start on it.
    case opened
    /// The channel was closed (the command ended, failed or was stopped).
    case closed
  }

  /// The inventory name of the host.
  public var host: String
  /// Opened or closed.
  public var phase: Phase
  /// Opened: how long opening took. Closed: how long the channel was open.
  public var duration: Duration
  /// Closed: the command's exit status, nil when it has none (killed, connection lost).
  public var exitStatus: Int?

  /// Makes a trace.
  public init(host: String, phase: Phase, duration: Duration, exitStatus: Int? = nil) {
    self.host = host
    self.phase = phase
    self.duration = duration
    self.exitStatus = exitStatus
  }
}
