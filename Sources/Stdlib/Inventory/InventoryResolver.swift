import Lexer
import OrderedCollections

/// Turns a reconciled `InventoryBuilder` into an `Inventory`, resolving each host's
/// variables as `ansible-inventory --list` does: `all`'s variables, then every other group
/// the host is in (directly or through children), shallower groups first (ties: lower
/// `ansible_group_priority` first, then by name), then the host's own; a later value replaces
/// an earlier one. Connection settings are read from the resolved variables.
struct InventoryResolver {
  let builder: InventoryBuilder
  let keys: ConnectionKeys
  /// Each group with every group above it.
  private var closures = InventoryBuilder.ClosureCache()
  /// Each group's depth below `all`.
  private let depths: [String: Int]

  /// Resolves every host, in the order they were declared.
  static func resolve(_ builder: InventoryBuilder, keys: ConnectionKeys) throws -> HostInventory {
    var resolver = InventoryResolver(builder: builder, keys: keys)
    var hosts: [InventoryHost] = []
    hosts.reserveCapacity(builder.hosts.count)
    // Group variables are copied to every host below the group: count what that makes.
    var size = 0
    for entry in builder.hosts.values {
      let host = try resolver.host(entry)
      size += 1 + host.vars.count
      guard size <= InventoryBuilder.sizeLimit else {
        throw builder.source.error(
          "the inventory resolves to more than \(InventoryBuilder.sizeLimit) hosts and host "
            + "variables", at: entry.span,
          hint: "every host gets a copy of its groups' variables; split the inventory")
      }
      hosts.append(host)
    }
    return HostInventory(hosts: hosts)
  }

  private init(builder: InventoryBuilder, keys: ConnectionKeys) {
    self.builder = builder
    self.keys = keys
    depths = Self.depths(builder)
  }

  /// For each group, the length of the longest chain of parents from `all` down to it
  /// (`all`: 0), visiting groups once all their parents are done.
  private static func depths(_ builder: InventoryBuilder) -> [String: Int] {
    var depths: [String: Int] = [:]
    var waiting: [String: Int] = [:]
    var ready: [String] = []
    for (name, group) in builder.groups {
      waiting[name] = group.parents.count
      if group.parents.isEmpty {
        ready.append(name)
        depths[name] = 0
      }
    }
    while let name = ready.popLast() {
      let depth = depths[name] ?? 0
      for child in builder.groups[name]?.children ?? [] {
        depths[child] = max(depths[child] ?? 0, depth + 1)
        waiting[child, default: 1] -= 1
        if waiting[child] == 0 { ready.append(child) }
      }
    }
    return depths
  }

  /// Whether group `a`'s variables come before (are overridden by) group `b`'s.
  private func precedes(_ a: String, _ b: String) -> Bool {
    let (depthA, depthB) = (depths[a] ?? 0, depths[b] ?? 0)
    if depthA != depthB { return depthA < depthB }
    let (priorityA, priorityB) = (
      builder.groups[a]?.priority ?? 1, builder.groups[b]?.priority ?? 1
    )
    if priorityA != priorityB { return priorityA < priorityB }
    return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }

  private mutating func host(_ entry: InventoryBuilder.HostEntry) throws -> InventoryHost {
    var member: Set<String> = ["all"]
    for group in entry.groups { member.formUnion(closures.closure(of: group, in: builder)) }
    let ordered = member.subtracting(["all"]).sorted(by: precedes)
    var vars = builder.groups["all"]?.vars ?? [:]
    for group in ordered {
      for (key, value) in builder.groups[group]?.vars ?? [:] { vars[key] = value }
    }
    for (key, value) in entry.vars { vars[key] = value }
    let groups = member.sorted {
      (builder.groups.index(forKey: $0) ?? 0) < (builder.groups.index(forKey: $1) ?? 0)
    }
    return try makeHost(entry.name, vars: vars, groups: groups)
  }

  /// The last of `names` set to something other than null.
  private func setting(
    _ names: [String], in vars: OrderedDictionary<String, Located<InventoryValue>>
  )
    -> (name: String, value: Located<InventoryValue>)?
  {
    for name in names.reversed() {
      if let value = vars[name], value.value != .null { return (name, value) }
    }
    return nil
  }

  private func makeHost(
    _ name: String, vars: OrderedDictionary<String, Located<InventoryValue>>, groups: [String]
  ) throws -> InventoryHost {
    var host = InventoryHost(name: name, groups: groups)
    if let (key, value) = setting(keys.address, in: vars) {
      host.address = try text(value, key: key, host: name)
    }
    if let (key, value) = setting(keys.port, in: vars) {
      host.port = try port(value, key: key, host: name)
    }
    if let (key, value) = setting(keys.user, in: vars) {
      host.user = try text(value, key: key, host: name)
    }
    if let (key, value) = setting(keys.connection, in: vars) {
      host.connection = try connection(value, key: key, host: name)
    }
    for (key, value) in vars where !keys.settingsOnly.contains(key) {
      host.vars[key] = value.value
    }
    if let (key, value) = setting(keys.identity, in: vars) {
      host.vars["identity_file"] = .string(try text(value, key: key, host: name))
    }
    return host
  }

  private func text(_ value: Located<InventoryValue>, key: String, host: String) throws -> String {
    switch value.value {
    case .string(let s) where !s.isEmpty: return s
    case .int(let i): return String(i)
    default:
      throw builder.source.error(
        "\(key) of host '\(host)' must be non-empty text, found "
          + InventoryValues.describe(value.value), at: value.span)
    }
  }

  private func port(_ value: Located<InventoryValue>, key: String, host: String) throws -> Int {
    var number: Int?
    switch value.value {
    case .int(let i): number = i
    case .string(let s): number = PythonLiteral.int(s)
    default: break
    }
    guard let number, (1...65_535).contains(number) else {
      throw builder.source.error(
        "\(key) of host '\(host)' must be a port number from 1 to 65535, found "
          + InventoryValues.describe(value.value), at: value.span)
    }
    return number
  }

  private func connection(_ value: Located<InventoryValue>, key: String, host: String) throws
    -> InventoryHost.Connection
  {
    if case .string(let s) = value.value {
      if keys.local.contains(s) { return .local }
      if keys.ssh.contains(s) { return .ssh }
    }
    throw builder.source.error(
      "\(key) of host '\(host)' is \(InventoryValues.describe(value.value)), which haflow "
        + "cannot use", at: value.span, hint: "haflow connects with ssh or local")
  }
}
