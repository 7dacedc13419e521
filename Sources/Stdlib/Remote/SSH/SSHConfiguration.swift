import Foundation

/// How `SSHExecutor` connects: host-key policy, credentials, timeouts.
public struct SSHConfiguration: Sendable {
  /// The known_hosts file; default `$HOME/.ssh/known_hosts`.
  public var knownHostsPath: String
  /// Record unknown host keys instead of refusing them (`--accept-new-host-keys`). A changed
  /// key is refused regardless.
  public var acceptNewHostKeys: Bool
  /// Private keys to try after the agent; empty: `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`
  /// (those that exist).
  public var identityFiles: [String]
  /// The ssh-agent socket (`SSH_AUTH_SOCK`); nil: no agent.
  public var agentSocket: String?
  /// Time allowed for the TCP connect and for the SSH handshake (authentication gets three
  /// times as much, at least 30 s; opening a channel twice as much, at least 10 s).
  public var connectTimeout: Duration
  /// How often a keepalive goes out while waiting on a quiet connection; zero disables them.
  public var keepaliveInterval: Duration
  /// The login user for hosts that name none; nil: the local user (`$USER`).
  public var defaultUser: String?
  /// At most this many channels (commands, transfers) at once per session; more wait. OpenSSH
  /// allows 10 per connection (`MaxSessions`); one stays free for a timeout's kill command.
  public var maxChannelsPerSession: Int
  /// After a timeout's SIGTERM, how long before SIGKILL.
  public var killGrace: Duration
  /// Asked once per encrypted private key for its passphrase; nil: encrypted keys are skipped.
  public var passphrase: (@Sendable (_ keyPath: String) -> String?)?
  /// The login password (`--ask-pass`), tried by `password` or `keyboard-interactive`
  /// authentication after the keys; nil: keys only. Never logged.
  public var loginPassword: String?
  /// The home directory defaults are relative to.
  public var homeDirectory: String
  /// Per-host settings from the ssh client configuration, by inventory host name (a jump
  /// host's under `JumpSpec.sessionName`).
  public var hostOptions: [String: SSHHostOptions] = [:]
  /// How to reach each jump host, by its text in `ProxyJump` (`admin@bastion:2222`), as the ssh
  /// client configuration resolves it; one not listed is reached as written.
  public var jumpHosts: [String: RemoteHost] = [:]
  /// Asked while connecting and between transfer chunks: when it says stop (Ctrl-C), the
  /// connect or transfer ends with an `interrupted` error instead of running on.
  public var stop: StopCheck
  /// Told each time a command's channel opens and closes (`haflow run -vv`); nil: nobody.
  public var channelTrace: (@Sendable (ChannelTrace) -> Void)?
  /// Told how far each file transfer has got, at most every `TransferProgress.interval`
  /// while it runs (the live line's bytes and rate); nil: nobody.
  public var transferProgress: (@Sendable (TransferProgress) -> Void)?
  /// At most one `transferProgress` report per transfer this often.
  public var transferProgressInterval: Duration = TransferProgress.interval

  /// Defaults from the environment (`HOME`, `USER`, `SSH_AUTH_SOCK`).
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    let home = environment["HOME"] ?? NSHomeDirectory()
    homeDirectory = home
    knownHostsPath = home + "/.ssh/known_hosts"
    acceptNewHostKeys = false
    identityFiles = []
    agentSocket = environment["SSH_AUTH_SOCK"].flatMap { $0.isEmpty ? nil : $0 }
    connectTimeout = .seconds(10)
    keepaliveInterval = .seconds(30)
    defaultUser = environment["USER"].flatMap { $0.isEmpty ? nil : $0 }
    maxChannelsPerSession = 8
    killGrace = .seconds(2)
    passphrase = nil
    stop = .never
  }

  /// Uses `path` for every host's host keys (`--known-hosts`): the command line wins over
  /// `UserKnownHostsFile` lines.
  public mutating func useKnownHosts(_ path: String) {
    knownHostsPath = path
    for name in hostOptions.keys { hostOptions[name]?.knownHostsFiles = nil }
  }

  /// Allows `timeout` to connect to every host (`--connect-timeout`): the command line wins
  /// over `ConnectTimeout` lines.
  public mutating func useConnectTimeout(_ timeout: Duration) {
    connectTimeout = timeout
    for name in hostOptions.keys { hostOptions[name]?.connectTimeout = nil }
  }

  /// How strictly `host`'s key is checked: its `StrictHostKeyChecking`, where
  /// `--accept-new-host-keys` lifts `yes` to `accept-new`.
  func hostKeyPolicy(for host: String) -> HostKeyPolicy {
    switch hostOptions[host]?.hostKeyPolicy {
    case .insecure?: .insecure
    case .acceptNew?: .acceptNew
    case .strict?, nil: acceptNewHostKeys ? .acceptNew : .strict
    }
  }

  /// The identity files to try for `host`: its own (`identity_file` or
  /// `ansible_ssh_private_key_file` in its vars), then the configured ones or the defaults.
  func identities(forHostVars vars: [String]) -> [String] {
    let configured =
      identityFiles.isEmpty
      ? ["id_ed25519", "id_ecdsa", "id_rsa"].map { homeDirectory + "/.ssh/" + $0 }
        .filter { FileManager.default.fileExists(atPath: $0) }
      : identityFiles.map(expandTilde)
    var seen: Set<String> = []
    return (vars.map(expandTilde) + configured).filter { seen.insert($0).inserted }
  }

  /// `~/x` relative to the home directory.
  func expandTilde(_ path: String) -> String {
    path.hasPrefix("~/") ? homeDirectory + String(path.dropFirst(1)) : path
  }
}
