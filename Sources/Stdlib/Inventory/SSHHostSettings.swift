/// How to reach one host over SSH: what `~/.ssh/config` says for it, with the inventory's
/// own settings taking precedence (see `SSHConfig.settings(for:)`).
public struct SSHHostSettings: Sendable, Equatable {
  /// The name or address to connect to (`HostName`, else the host as given).
  public var hostName: String
  /// The login user (`User`), nil when nothing sets one (the SSH layer picks its default).
  public var user: String?
  /// The port (`Port`), nil for the default, 22.
  public var port: Int?
  /// Private key files to try, in order, `~` and `%` tokens expanded (`IdentityFile`
  /// accumulates across matching blocks); empty when none is configured.
  public var identityFiles: [String]

  /// Makes settings.
  public init(hostName: String, user: String? = nil, port: Int? = nil, identityFiles: [String] = [])
  {
    self.hostName = hostName
    self.user = user
    self.port = port
    self.identityFiles = identityFiles
  }
}
