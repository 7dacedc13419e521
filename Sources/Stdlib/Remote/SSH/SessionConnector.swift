import CLibSSH2
import Foundation

/// Opens one authenticated session: TCP connect under the connect timeout, the SSH handshake
/// (host key algorithms ordered by what known_hosts records), host-key verification,
/// authentication, keepalive; then hands the session over in non-blocking mode.
struct SessionConnector {
  /// The host.
  let host: RemoteHost
  /// The login user.
  let user: String
  /// Settings.
  let configuration: SSHConfiguration
  /// Passphrases, asked once per run.
  let passphrases: PassphraseCache
  /// Opens the connection through a jump host instead of TCP (`ProxyJump`): returns the
  /// socket to use. Nil: connect directly.
  var tunnel: (() throws -> Int32)? = nil

  /// The port to use.
  var port: Int { host.port ?? 22 }

  /// `cp1 (10.0.0.1:22)`, or just the name when it is the address and the port is 22.
  var label: String {
    host.name == host.address && port == 22 ? host.name : "\(host.name) (\(host.address):\(port))"
  }

  /// What the ssh client configuration says for this host.
  var options: SSHHostOptions { configuration.hostOptions[host.name] ?? SSHHostOptions() }

  /// The connect (and handshake) timeout: `ConnectTimeout`, else the configured one.
  var connectTimeout: Duration { options.connectTimeout ?? configuration.connectTimeout }

  /// The known_hosts files for this host, the first being where a new key is recorded: its
  /// `haflow_known_hosts` var when set (the inventories of `haflow lab up` set it), else
  /// `--known-hosts`, else `UserKnownHostsFile`, else `~/.ssh/known_hosts`.
  var knownHostsPaths: [String] {
    if let path = host.knownHostsFile, !path.isEmpty { return [configuration.expandTilde(path)] }
    if let files = options.knownHostsFiles, !files.isEmpty {
      return files.map(configuration.expandTilde)
    }
    return [configuration.knownHostsPath]
  }

  /// Refuses a host the ssh client configuration sends through a proxy haflow cannot use.
  func checkProxy() throws {
    if let command = options.proxyCommand {
      throw RemoteError(
        "\(label) has a ProxyCommand (\(command)) in the ssh client configuration or the inventory, which haflow does not run",
        hint: """
          haflow speaks SSH itself (libssh2) and starts no proxy programs; for a bastion, write \
          ProxyJump instead (haflow opens the connection through the bastion's SSH session)
          """,
        host: host.name)
    }
  }

  /// Connects, or throws a `RemoteError` naming the host and what failed.
  func connect(log: (String) -> Void) throws -> (io: SessionIO, authMethod: String) {
    guard LibSSH2.initResult == 0 else {
      throw RemoteError("libssh2 could not be initialised", host: host.name)
    }
    try checkProxy()
    let socket = try tunnel?() ?? openSocket()
    let counters = TransportCounters()
    let context = Unmanaged.passUnretained(counters).toOpaque()
    guard let raw = libssh2_session_init_ex(nil, nil, nil, context) else {
      Platform.closeDescriptor(socket)
      throw RemoteError("could not allocate an SSH session for \(label)", host: host.name)
    }
    var handedOver = false
    defer {
      if !handedOver {
        _ = libssh2_session_free(raw)
        Platform.closeDescriptor(socket)
      }
    }
    _ = libssh2_session_callback_set(
      raw, LIBSSH2_CALLBACK_RECV, unsafeBitCast(countingReceive, to: UnsafeMutableRawPointer.self))
    _ = libssh2_session_callback_set(
      raw, LIBSSH2_CALLBACK_SEND, unsafeBitCast(countingSend, to: UnsafeMutableRawPointer.self))
    libssh2_session_set_blocking(raw, 1)
    libssh2_session_set_timeout(raw, Int(TCPConnector.milliseconds(connectTimeout)))

    let knownHosts = try KnownHosts(
      session: raw, paths: knownHostsPaths, hashNewEntries: options.hashKnownHosts)
    let entryName = KnownHosts.entryName(address: host.address, port: port)
    knownHosts.preferRecordedTypes(for: entryName, session: raw)
    if libssh2_session_handshake(raw, socket) != 0 {
      let (_, message) = LibSSH2.lastError(raw)
      throw RemoteError("SSH handshake with \(label) failed: \(message)", host: host.name)
    }
    let verifier = HostKeyVerifier(
      knownHosts: knownHosts, entryName: entryName, label: label, hostName: host.name,
      policy: configuration.hostKeyPolicy(for: host.name))
    switch try verifier.verify(session: raw) {
    case .known: break
    case .recorded(let note), .acceptedChanged(let note): log(note)
    }

    let authenticator = Authenticator(
      user: user, label: "\(user)@\(label)", hostName: host.name,
      agentSocket: options.identitiesOnly ? nil : configuration.agentSocket,
      identities: configuration.identities(
        forHostVars: host.identityFiles + options.identityFiles),
      passphrases: passphrases, password: configuration.loginPassword,
      home: configuration.homeDirectory)
    // Unlocking an encrypted key (bcrypt KDF) counts against libssh2's blocking timeout, so
    // authentication gets more time than the connect and the handshake.
    let authTimeout = max(connectTimeout * 3, .seconds(30))
    libssh2_session_set_timeout(raw, Int(TCPConnector.milliseconds(authTimeout)))
    let authMethod = try authenticator.authenticate(raw)

    let keepalive =
      TCPConnector.milliseconds(options.keepaliveInterval ?? configuration.keepaliveInterval)
      / 1000
    if keepalive > 0 { libssh2_keepalive_config(raw, 0, UInt32(clamping: keepalive)) }
    libssh2_session_set_timeout(raw, 0)
    handedOver = true
    let io = SessionIO(
      raw: raw, socket: socket, counters: counters,
      stallLimit: max(connectTimeout * 6, .seconds(60)))
    return (io, authMethod)
  }

  private func openSocket() throws -> Int32 {
    do {
      return try TCPConnector.connect(
        address: host.address, port: port, timeout: connectTimeout,
        stop: configuration.stop)
    } catch .refused {
      throw RemoteError(
        "connection refused by \(label): nothing listens on port \(port)",
        hint: "is sshd running on the host, and is the port right?", host: host.name)
    } catch .timedOut {
      throw RemoteError(
        "could not connect to \(label) within \(connectTimeout.shortText)",
        hint: "the host is down, or a firewall drops the traffic", host: host.name)
    } catch .resolve(let reason) {
      throw RemoteError("cannot resolve \(host.address): \(reason)", host: host.name)
    } catch .other(let reason) {
      throw RemoteError("cannot connect to \(label): \(reason)", host: host.name)
    } catch .stopped {
      throw RemoteError("interrupted while connecting to \(label)", host: host.name)
    }
  }
}
