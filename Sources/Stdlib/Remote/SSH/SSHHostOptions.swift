/// What the ssh client configuration (`~/.ssh/config`) says for one host beyond its address,
/// port and user: which known_hosts files, how strictly keys are checked, timeouts, keys and
/// jump hosts. `SSHConfiguration.hostOptions` holds one per inventory host name; a field left
/// nil falls back to the run-wide setting.
public struct SSHHostOptions: Sendable, Equatable {
  /// `UserKnownHostsFile`: every file is searched; a new key is recorded in the first.
  public var knownHostsFiles: [String]?
  /// `StrictHostKeyChecking`.
  public var hostKeyPolicy: HostKeyPolicy?
  /// `HashKnownHosts`: a new key is recorded under a hashed name (`|1|salt|hash`).
  public var hashKnownHosts: Bool
  /// `ConnectTimeout`.
  public var connectTimeout: Duration?
  /// `ServerAliveInterval` (zero: no keepalives).
  public var keepaliveInterval: Duration?
  /// `IdentityFile` lines, in order: tried after the host's own key files.
  public var identityFiles: [String]
  /// `IdentitiesOnly`: the ssh-agent's keys are not offered.
  public var identitiesOnly: Bool
  /// `ProxyJump`, as written; haflow cannot go through a jump host yet and refuses the host.
  public var proxyJump: String?
  /// `ProxyCommand`, as written; refused (haflow runs no proxy programs).
  public var proxyCommand: String?

  /// Options; every one unset by default.
  public init(
    knownHostsFiles: [String]? = nil, hostKeyPolicy: HostKeyPolicy? = nil,
    hashKnownHosts: Bool = false, connectTimeout: Duration? = nil,
    keepaliveInterval: Duration? = nil, identityFiles: [String] = [], identitiesOnly: Bool = false,
    proxyJump: String? = nil, proxyCommand: String? = nil
  ) {
    self.knownHostsFiles = knownHostsFiles
    self.hostKeyPolicy = hostKeyPolicy
    self.hashKnownHosts = hashKnownHosts
    self.connectTimeout = connectTimeout
    self.keepaliveInterval = keepaliveInterval
    self.identityFiles = identityFiles
    self.identitiesOnly = identitiesOnly
    self.proxyJump = proxyJump
    self.proxyCommand = proxyCommand
  }
}

/// What to do with a host key known_hosts does not list, or lists differently.
public enum HostKeyPolicy: Sendable, Equatable {
  /// An unknown key stops the connection (the default; `StrictHostKeyChecking yes`/`ask`).
  case strict
  /// An unknown key is recorded, a changed one stops the connection
  /// (`--accept-new-host-keys`, `StrictHostKeyChecking accept-new`).
  case acceptNew
  /// An unknown key is recorded and a CHANGED one is let through with a loud warning
  /// (`StrictHostKeyChecking no`): only for throwaway hosts.
  case insecure
}
