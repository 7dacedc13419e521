import Interpreter
import OrderedCollections
import Stdlib

/// What `haflow inventory` prints: a JSON document or a readable listing.
public enum InventoryRendering {
  /// `{"groups": {NAME: [hosts, sorted]}, "hosts": {NAME: {"address", "connection", "port",
  /// "user", "vars"}}}`: every group a host is in (children included; `all` always), port and
  /// user null when not set, keys sorted at every level, indented by two spaces.
  public static func json(_ inventory: Inventory) -> String {
    var hosts = OrderedDictionary<String, Value>()
    for host in inventory.hosts.sorted(by: { precedes($0.name, $1.name) }) {
      hosts[host.name] = .map([
        "address": .string(host.address),
        "connection": .string(host.connection.rawValue),
        "port": host.port.map { .int($0) } ?? .nil,
        "user": host.user.map { .string($0) } ?? .nil,
        "vars": jsonSafe(.map(host.vars), depth: 0),
      ])
    }
    var groups = OrderedDictionary<String, Value>()
    for (name, members) in groupMembers(inventory) {
      groups[name] = .list(members.map { .string($0) })
    }
    let document = Value.map(["groups": .map(groups), "hosts": .map(hosts)])
    guard case .string(let text)? = try? JSONWriter.encode(document, indent: 2) else {
      return "{}"
    }
    return text + "\n"
  }

  /// Hosts (in inventory order) with address, port, user and groups, then groups (sorted)
  /// with their hosts (sorted).
  public static func text(_ inventory: Inventory) -> String {
    var rows = [["NAME", "ADDRESS", "PORT", "USER", "GROUPS"]]
    for host in inventory.hosts {
      let groups = host.groups.filter { $0 != "all" }
      rows.append([
        host.name,
        host.isLocal ? "(local)" : host.address,
        host.port.map(String.init) ?? "-",
        host.user ?? "-",
        groups.isEmpty ? "-" : groups.joined(separator: ", "),
      ])
    }
    var out = "hosts (\(inventory.hosts.count)):\n" + table(rows)
    let groups = groupMembers(inventory)
    out += "groups (\(groups.count)):\n"
    out += table(
      groups.map { [$0.name, $0.hosts.isEmpty ? "-" : $0.hosts.joined(separator: ", ")] })
    return out
  }

  /// Every group with at least one host, and `all`: name and sorted host names, by name.
  static func groupMembers(_ inventory: Inventory) -> [(name: String, hosts: [String])] {
    var members: [String: [String]] = ["all": []]
    for host in inventory.hosts {
      for group in Set(host.groups + ["all"]) { members[group, default: []].append(host.name) }
    }
    return members.keys.sorted(by: precedes).map { name in
      (name, (members[name] ?? []).sorted(by: precedes))
    }
  }

  /// Rows as columns padded to the widest cell, indented by two spaces.
  private static func table(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = Array(repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    var out = ""
    for row in rows {
      var line = "  "
      for (index, cell) in row.enumerated() {
        line += index == row.count - 1 ? cell : cell.padding(to: widths[index] + 2)
      }
      out += line + "\n"
    }
    return out
  }

  /// Code point order, as Python's `sorted` (and so `ansible-inventory`) orders names.
  static func precedes(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }

  /// A value JSON can hold: maps sorted by key, non-finite floats as text.
  private static func jsonSafe(_ value: Value, depth: Int) -> Value {
    guard depth < 200 else { return .string("…") }
    switch value {
    case .nil, .bool, .int, .string: return value
    case .float(let f): return f.isFinite ? value : .string(Value.formatFloat(f))
    case .list(let items): return .list(items.map { jsonSafe($0, depth: depth + 1) })
    case .map(let entries):
      var sorted = OrderedDictionary<String, Value>()
      for key in entries.keys.sorted(by: precedes) {
        sorted[key] = entries[key].map { jsonSafe($0, depth: depth + 1) }
      }
      return .map(sorted)
    default: return .string(value.repr)
    }
  }
}

extension String {
  /// The text followed by spaces up to `width` characters.
  fileprivate func padding(to width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }
}
