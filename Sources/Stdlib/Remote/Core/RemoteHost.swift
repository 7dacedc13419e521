/// A host as the transport sees it: where to connect and as whom, with no variables or groups.
/// The session layer builds one from an inventory host.
public struct RemoteHost: Sendable, Hashable {
  /// The inventory name, for messages and output prefixes: `cp1`.
  public var name: String
  /// The address to connect to.
  public var address: String
  /// The SSH port; nil for 22.
  public var port: Int?
  /// The login user; nil for the configured default.
  public var user: String?
  /// Commands run on this machine, files are read and written here: no SSH.
  public var isLocal: Bool
  /// A known_hosts file for this host alone (the lab's inventories set one), or nil for the
  /// configured one.
  public var knownHostsFile: String?
  /// Private keys named for this host, tried before the configured ones.
  public var identityFiles: [String]

  /// Makes a host.
  public init(
    name: String, address: String? = nil, port: Int? = nil, user: String? = nil,
    isLocal: Bool = false, knownHostsFile: String? = nil, identityFiles: [String] = []
  ) {
    self.name = name
    self.address = address ?? name
    self.port = port
    self.user = user
    self.isLocal = isLocal
    self.knownHostsFile = knownHostsFile
    self.identityFiles = identityFiles
  }

  /// This machine, for commands and transfers that need no connection.
  public static let controller = RemoteHost(name: "local", address: "127.0.0.1", isLocal: true)
}
