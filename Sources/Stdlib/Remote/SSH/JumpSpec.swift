/// One `ProxyJump` hop as OpenSSH writes it: `[user@]host[:port]` or
/// `ssh://[user@]host[:port]`; `[v6]:port` brackets an IPv6 address.
public struct JumpSpec: Equatable, Sendable {
  /// The login user on the jump host; nil for the default.
  public var user: String?
  /// The jump host's name or address.
  public var host: String
  /// Its SSH port; nil for 22.
  public var port: Int?

  /// Makes a hop.
  public init(user: String? = nil, host: String, port: Int? = nil) {
    self.user = user
    self.host = host
    self.port = port
  }

  /// `user@host:port` as written back in messages.
  public var text: String {
    (user.map { $0 + "@" } ?? "") + host + (port.map { ":\($0)" } ?? "")
  }

  /// Reads one hop of a `ProxyJump` value (a chain `a,b` is split by the caller).
  public static func parse(_ value: String) throws(JumpSpecError) -> JumpSpec {
    var rest = Substring(value.trimmingPrefix("ssh://"))
    var user: String?
    if let at = rest.lastIndex(of: "@") {
      user = String(rest[..<at])
      rest = rest[rest.index(after: at)...]
    }
    var port: Int?
    if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
      let host = String(rest[rest.index(after: rest.startIndex)..<close])
      let tail = rest[rest.index(after: close)...]
      if tail.hasPrefix(":") { port = Int(tail.dropFirst()) }
      guard !host.isEmpty, tail.isEmpty || port != nil else {
        throw JumpSpecError("bad jump host '\(value)'")
      }
      return JumpSpec(user: user, host: host, port: port)
    }
    if let colon = rest.lastIndex(of: ":") {
      guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number)
      else { throw JumpSpecError("bad port in jump host '\(value)'") }
      port = number
      rest = rest[..<colon]
    }
    guard !rest.isEmpty, user?.isEmpty != true else {
      throw JumpSpecError("bad jump host '\(value)'")
    }
    return JumpSpec(user: user, host: String(rest), port: port)
  }
}

/// Why a `ProxyJump` value cannot be used.
public struct JumpSpecError: Error {
  /// What is wrong, for the operator.
  public let message: String
  init(_ message: String) { self.message = message }
}

extension JumpSpec {
  /// The name the jump host's session goes by in messages and in
  /// `SSHConfiguration.hostOptions`: `jump host admin@bastion:2222`.
  public var sessionName: String { "jump host " + text }
}
