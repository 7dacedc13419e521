import Interpreter
import Inventory
import OrderedCollections

import struct Interpreter.Host

/// Inventory hosts as the language sees them: the same names, addresses, users, groups and
/// variables, each variable a language value.
public enum InventoryBridge {
  /// The run's inventory from a loaded inventory file.
  public static func inventory(_ loaded: HostInventory) -> Inventory {
    Inventory(hosts: loaded.hosts.map(host))
  }

  /// One host.
  public static func host(_ host: InventoryHost) -> Host {
    Host(
      name: host.name, address: host.address, port: host.port, user: host.user,
      connection: host.connection == .local ? .local : .ssh, groups: host.groups,
      vars: host.vars.mapValues(value))
  }

  /// One variable's value.
  public static func value(_ value: InventoryValue) -> Value {
    switch value {
    case .null: .nil
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .float(let f): .float(f)
    case .string(let s): .string(s)
    case .list(let items): .list(items.map(self.value))
    case .map(let entries): .map(entries.mapValues(self.value))
    }
  }
}
