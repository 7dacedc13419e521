/// How to reach one host over SSH: what `~/.ssh/config` says for it, with the inventory's
/// own settings taking precedence (see `SSHConfig.settings(for:)`). An option the
/// configuration does not set is nil, so that the caller's own default (or a command-line
/// flag) applies.
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
  /// `IdentitiesOnly`: offer only the identity files, not every key of the ssh-agent.
  public var identitiesOnly: Bool?
  /// `UserKnownHostsFile`: the known_hosts files, `~` and `%` tokens expanded; the first is
  /// the one a new key is recorded in. Nil when not set.
  public var knownHostsFiles: [String]?
  /// `StrictHostKeyChecking`.
  public var strictHostKeyChecking: StrictHostKeyChecking?
  /// `HashKnownHosts`: record new host keys under a hashed name (`|1|salt|hash`).
  public var hashKnownHosts: Bool?
  /// `ConnectTimeout`, in seconds.
  public var connectTimeout: Int?
  /// `ServerAliveInterval`, in seconds (0: none).
  public var serverAliveInterval: Int?
  /// `ProxyJump`: the jump hosts as written (`a,user@b:2222`); nil when unset or `none`.
  public var proxyJump: String?
  /// `ProxyCommand`, as written; nil when unset or `none`. haflow refuses hosts with one.
  public var proxyCommand: String?

  /// Makes settings.
  public init(
    hostName: String, user: String? = nil, port: Int? = nil, identityFiles: [String] = [],
    identitiesOnly: Bool? = nil, knownHostsFiles: [String]? = nil,
    strictHostKeyChecking: StrictHostKeyChecking? = nil, hashKnownHosts: Bool? = nil,
    connectTimeout: Int? = nil, serverAliveInterval: Int? = nil, proxyJump: String? = nil,
    proxyCommand: String? = nil
  ) {
    self.hostName = hostName
    self.user = user
    self.port = port
    self.identityFiles = identityFiles
    self.identitiesOnly = identitiesOnly
    self.knownHostsFiles = knownHostsFiles
    self.strictHostKeyChecking = strictHostKeyChecking
    self.hashKnownHosts = hashKnownHosts
    self.connectTimeout = connectTimeout
    self.serverAliveInterval = serverAliveInterval
    self.proxyJump = proxyJump
    self.proxyCommand = proxyCommand
  }
}

/// `StrictHostKeyChecking`: what to do with a host key known_hosts does not list, or lists
/// differently.
public enum StrictHostKeyChecking: String, Sendable, Equatable {
  /// `yes`: an unknown key stops the connection.
  case yes
  /// `ask` (OpenSSH's default): haflow cannot ask in the middle of a run, so as `yes`.
  case ask
  /// `accept-new`: an unknown key is recorded; a changed one stops the connection.
  case acceptNew = "accept-new"
  /// `no` / `off`: an unknown key is recorded and a CHANGED one is accepted with a loud
  /// warning, as OpenSSH does.
  case no

  /// The value of a configuration line (`yes`, `true`, `ask`, `accept-new`, `no`, `off`,
  /// `false`), nil when it is none of these.
  public init?(configValue: String) {
    switch configValue.lowercased() {
    case "yes", "true": self = .yes
    case "ask": self = .ask
    case "accept-new": self = .acceptNew
    case "no", "off", "false": self = .no
    default: return nil
    }
  }
}
