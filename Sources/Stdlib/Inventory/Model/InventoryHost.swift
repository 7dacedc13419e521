import OrderedCollections

/// One host of a loaded inventory: how to reach it, its groups and its resolved variables.
public struct InventoryHost: Sendable, Hashable {
  /// How a host is reached.
  public enum Connection: String, Sendable, Hashable {
    /// Over SSH.
    case ssh
    /// On this machine.
    case local
  }

  /// The inventory name, `cp1`.
  public var name: String
  /// The address to connect to (the name unless the inventory says otherwise).
  public var address: String
  /// The SSH port, nil for the default.
  public var port: Int?
  /// The login user, nil for the default.
  public var user: String?
  /// How it is reached.
  public var connection: Connection
  /// The groups it belongs to, `all` first.
  public var groups: [String]
  /// Its variables after group and host precedence.
  public var vars: OrderedDictionary<String, InventoryValue>

  /// Makes a host.
  public init(
    name: String, address: String? = nil, port: Int? = nil, user: String? = nil,
    connection: Connection = .ssh, groups: [String] = [],
    vars: OrderedDictionary<String, InventoryValue> = [:]
  ) {
    self.name = name
    self.address = address ?? name
    self.port = port
    self.user = user
    self.connection = connection
    self.groups = groups
    self.vars = vars
  }
}

/// The hosts of an inventory file, in the order they were declared.
public struct HostInventory: Sendable {
  /// The hosts.
  public var hosts: [InventoryHost]
  /// Makes an inventory.
  public init(hosts: [InventoryHost] = []) { self.hosts = hosts }
  /// A host by name.
  public func host(named name: String) -> InventoryHost? { hosts.first { $0.name == name } }
  /// The hosts of a group, in declaration order.
  public func group(named name: String) -> [InventoryHost] {
    hosts.filter { $0.groups.contains(name) }
  }
}
