import CLibSSH2
import Foundation
import Synchronization

/// Passphrases of encrypted keys, asked for at most once per key for the whole run.
final class PassphraseCache: Sendable {
  private let answers = Mutex<[String: String?]>([:])
  private let ask: (@Sendable (String) -> String?)?

  /// Asks through `ask` (nil: encrypted keys are skipped).
  init(ask: (@Sendable (String) -> String?)?) { self.ask = ask }

  /// The passphrase for `path`, asking the first time only.
  func passphrase(for path: String) -> String? {
    if let known = answers.withLock({ $0[path] }) { return known }
    let answer = ask?(path)
    answers.withLock { $0[path] = answer }
    return answer
  }
}

/// Authentication on a freshly handshaken (blocking) session: every ssh-agent key first, then
/// each identity file, then the login password (`--ask-pass`) by `password` or
/// `keyboard-interactive`, as the server offers. On success it says which method worked (for
/// `-vv` and the `host_connect` event: never a secret, a key only by its path); on failure,
/// the error says who, where, and what was tried (never the password).
struct Authenticator {
  /// The login user.
  let user: String
  /// `user@host (address:port)` for messages.
  let label: String
  /// The inventory name.
  let hostName: String
  /// The agent socket, or nil.
  let agentSocket: String?
  /// Private key files, in order.
  let identities: [String]
  /// Passphrases for encrypted keys.
  let passphrases: PassphraseCache
  /// The login password (`--ask-pass`), nil when none was given.
  var password: String? = nil
  /// The home directory, written `~` in the method a key file authenticated by.
  var home: String? = nil

  /// Authenticates or throws; returns the method that worked: `agent`, `publickey (PATH)`
  /// (the home directory shown as `~`), `password`, `keyboard-interactive`, or `none` (the
  /// server asked for nothing).
  func authenticate(_ session: OpaquePointer) throws -> String {
    let userLength = UInt32(user.utf8.count)
    guard let methodsPointer = libssh2_userauth_list(session, user, userLength) else {
      if libssh2_userauth_authenticated(session) != 0 { return "none" }
      let (_, message) = LibSSH2.lastError(session)
      throw RemoteError("authentication with \(label) failed: \(message)", host: hostName)
    }
    let methods = String(cString: methodsPointer)
    let offered = methods.split(separator: ",").map(String.init)
    let passwordMethods = offered.filter { $0 == "password" || $0 == "keyboard-interactive" }
    guard offered.contains("publickey") || (password != nil && !passwordMethods.isEmpty) else {
      throw RemoteError(
        "\(label) does not accept public keys (it offers: \(methods))",
        hint: passwordMethods.isEmpty
          ? "haflow logs in with keys or a password: enable PubkeyAuthentication on the host"
          : "run with --ask-pass to log in with a password, or enable PubkeyAuthentication on the host",
        host: hostName)
    }
    var tried: [String] = []
    if offered.contains("publickey") {
      if let agentSocket, try authenticateWithAgent(session, socket: agentSocket, tried: &tried) {
        return "agent"
      }
      for path in identities where try authenticate(session, keyFile: path, tried: &tried) {
        return "publickey (\(Self.abbreviated(path, home: home)))"
      }
    }
    if let password {
      if offered.contains("password"),
        try authenticate(session, password: password, tried: &tried)
      {
        return "password"
      }
      if offered.contains("keyboard-interactive"),
        try authenticateInteractively(session, password: password, tried: &tried)
      {
        return "keyboard-interactive"
      }
    }
    let attempts = tried.isEmpty ? "no agent and no identity file" : tried.joined(separator: ", ")
    var hint = """
      put the public key in ~/.ssh/authorized_keys of \(user) on the host, or name the \
      right key with --identity FILE
      """
    if password == nil && !passwordMethods.isEmpty {
      hint += ", or run with --ask-pass to log in with a password"
    }
    if identities.contains(where: IdentityFile.isRSA)
      && !LibSSH2.supportsHostKeyAlgorithm("rsa-sha2-256", session)
    {
      hint += """
        ; note that this libssh2 signs with RSA keys using SHA-1 only, which current OpenSSH \
        servers refuse: prefer an Ed25519 or ECDSA key
        """
    }
    throw RemoteError(
      "authentication failed for \(label): tried \(attempts)", hint: hint, host: hostName)
  }

  /// `path` with the home directory written `~`.
  static func abbreviated(_ path: String, home: String?) -> String {
    guard let home, !home.isEmpty, home != "/", path.hasPrefix(home + "/") else { return path }
    return "~" + path.dropFirst(home.count)
  }

  private func authenticateWithAgent(
    _ session: OpaquePointer, socket: String, tried: inout [String]
  ) throws -> Bool {
    guard let agent = libssh2_agent_init(session) else { return false }
    defer {
      libssh2_agent_disconnect(agent)
      libssh2_agent_free(agent)
    }
    libssh2_agent_set_identity_path(agent, socket)
    guard libssh2_agent_connect(agent) == 0, libssh2_agent_list_identities(agent) == 0 else {
      tried.append("agent (not reachable at \(socket))")
      return false
    }
    var identity: UnsafeMutablePointer<libssh2_agent_publickey>?
    var previous: UnsafeMutablePointer<libssh2_agent_publickey>?
    var offered = 0
    while libssh2_agent_get_identity(agent, &identity, previous) == 0, let current = identity {
      offered += 1
      if libssh2_agent_userauth(agent, user, current) == 0 { return true }
      try failIfDisconnected(session)
      previous = current
    }
    tried.append("agent (\(offered) key\(offered == 1 ? "" : "s"))")
    return false
  }

  private func authenticate(_ session: OpaquePointer, keyFile path: String, tried: inout [String])
    throws -> Bool
  {
    guard FileManager.default.isReadableFile(atPath: path) else {
      tried.append("\(path) (not readable)")
      return false
    }
    var passphrase: String?
    if IdentityFile.isEncrypted(path) {
      passphrase = passphrases.passphrase(for: path)
      if passphrase == nil {
        tried.append("\(path) (encrypted, no passphrase)")
        return false
      }
    }
    let status = libssh2_userauth_publickey_fromfile_ex(
      session, user, UInt32(user.utf8.count), nil, path, passphrase)
    if status == 0 { return true }
    try failIfDisconnected(session)
    switch status {
    case LIBSSH2_ERROR_FILE, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED:
      let reason = passphrase == nil ? "unreadable key" : "wrong passphrase or unreadable key"
      tried.append("\(path) (\(reason))")
    default:
      tried.append(path)
    }
    return false
  }

  /// `password` authentication; a refused password is noted, never shown.
  private func authenticate(_ session: OpaquePointer, password: String, tried: inout [String])
    throws -> Bool
  {
    let status = libssh2_userauth_password_ex(
      session, user, UInt32(user.utf8.count), password, UInt32(password.utf8.count), nil)
    if status == 0 { return true }
    try failIfDisconnected(session)
    tried.append(
      status == LIBSSH2_ERROR_PASSWORD_EXPIRED
        ? "password (expired: change it on the host first)" : "password (refused)")
    return false
  }

  /// `keyboard-interactive` authentication, answering every prompt with the password.
  private func authenticateInteractively(
    _ session: OpaquePointer, password: String, tried: inout [String]
  ) throws -> Bool {
    guard let abstract = libssh2_session_abstract(session)?.pointee else { return false }
    let counters = Unmanaged<TransportCounters>.fromOpaque(abstract).takeUnretainedValue()
    counters.interactiveAnswer = password
    defer { counters.interactiveAnswer = nil }
    let status = libssh2_userauth_keyboard_interactive_ex(
      session, user, UInt32(user.utf8.count), answerPrompts)
    if status == 0 { return true }
    try failIfDisconnected(session)
    tried.append("keyboard-interactive (refused)")
    return false
  }

  private func failIfDisconnected(_ session: OpaquePointer) throws {
    let (code, message) = LibSSH2.lastError(session)
    if LibSSH2.isTransportFailure(code) {
      throw RemoteError(
        "\(label) closed the connection during authentication: \(message)", host: hostName)
    }
  }
}

/// Answers every keyboard-interactive prompt with the login password held by the session's
/// context (libssh2 frees the answers with `free`).
private func answerPrompts(
  _ name: UnsafePointer<CChar>?, _ nameLength: Int32, _ instruction: UnsafePointer<CChar>?,
  _ instructionLength: Int32, _ count: Int32,
  _ prompts: UnsafePointer<LIBSSH2_USERAUTH_KBDINT_PROMPT>?,
  _ responses: UnsafeMutablePointer<LIBSSH2_USERAUTH_KBDINT_RESPONSE>?,
  _ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) {
  guard let responses, let context = abstract?.pointee, count > 0 else { return }
  let counters = Unmanaged<TransportCounters>.fromOpaque(context).takeUnretainedValue()
  guard let answer = counters.interactiveAnswer else { return }
  for index in 0..<Int(min(count, 16)) {
    responses[index].text = strdup(answer)
    responses[index].length = UInt32(answer.utf8.count)
  }
}
