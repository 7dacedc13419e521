import Lexer
import OrderedCollections

/// A value with the place in the file it was written.
struct Located<T> {
  /// The value.
  var value: T
  /// Where it was written.
  var span: Span
}

/// The groups, hosts and variables of an inventory as its file declares them, before
/// resolution: what Ansible's `InventoryData` holds while a plugin parses. Every format's
/// parser fills one of these; `InventoryResolver` turns it into an `Inventory`.
struct InventoryBuilder {
  /// A group: its own variables, its direct children, parents and hosts.
  struct Group {
    var name: String
    var vars: OrderedDictionary<String, Located<InventoryValue>> = [:]
    var children: OrderedSet<String> = []
    var parents: OrderedSet<String> = []
    var hosts: OrderedSet<String> = []
    /// `ansible_group_priority`: among groups of one depth, a higher priority wins.
    var priority = 1
  }

  /// A host: its own variables and the groups it was put in directly.
  struct HostEntry {
    var name: String
    var vars: OrderedDictionary<String, Located<InventoryValue>> = [:]
    var groups: OrderedSet<String> = []
    /// Where it was first declared.
    var span: Span
  }

  /// The file being read, for located errors.
  let source: InventorySource
  /// The group variable that sets a group's priority instead of being a variable.
  let priorityKey: String?
  /// Groups in the order they were first named; `all` and `ungrouped` come first.
  private(set) var groups: OrderedDictionary<String, Group> = [:]
  /// Hosts in the order they were first named.
  private(set) var hosts: OrderedDictionary<String, HostEntry> = [:]
  /// Hosts declared plus host variables set: what a few kilobytes of ranges and variables
  /// can multiply (`h[0:99999] a=1 b=2 …`).
  private(set) var size = 0

  /// The most hosts and host variables an inventory may hold, declared or resolved (a
  /// kubeadm fleet is far below it; reading this many takes about a second).
  static let sizeLimit = 200_000

  /// An empty inventory with the groups `all` and `ungrouped` (a child of `all`).
  init(source: InventorySource, priorityKey: String? = nil) {
    self.source = source
    self.priorityKey = priorityKey
    addGroup("all")
    addGroup("ungrouped")
    link(parent: "all", child: "ungrouped")
  }

  /// Whether a group of this name exists.
  func hasGroup(_ name: String) -> Bool { groups[name] != nil }

  /// Adds a group unless it exists.
  mutating func addGroup(_ name: String) {
    if groups[name] == nil { groups[name] = Group(name: name) }
  }

  /// Adds a host unless it exists (a new host gets `port` as the variable `portKey`), and
  /// puts it in `group` (which must exist) when one is given.
  mutating func addHost(
    _ name: String, group: String?, port: Located<Int>? = nil, portKey: String = "ansible_port",
    at span: Span
  ) {
    if hosts[name] == nil {
      size += 1
      var entry = HostEntry(name: name, span: span)
      if let port { entry.vars[portKey] = Located(value: .int(port.value), span: port.span) }
      hosts[name] = entry
    }
    if let group { addMember(host: name, group: group) }
  }

  /// Puts an existing host in an existing group.
  mutating func addMember(host: String, group: String) {
    guard hosts[host] != nil, groups[group] != nil else { return }
    groups[group]?.hosts.append(host)
    hosts[host]?.groups.append(group)
  }

  /// Takes a host out of a group.
  mutating func removeMember(host: String, group: String) {
    groups[group]?.hosts.remove(host)
    hosts[host]?.groups.remove(group)
  }

  /// Sets a host variable; a later value replaces an earlier one.
  mutating func setHostVar(_ host: String, _ key: String, _ value: Located<InventoryValue>) {
    size += 1
    hosts[host]?.vars[key] = value
  }

  /// Throws, at `span` (what was being added), once the inventory holds more than
  /// `sizeLimit` hosts and host variables.
  func checkSize(at span: Span) throws {
    guard size > Self.sizeLimit else { return }
    throw source.error(
      "the inventory holds more than \(Self.sizeLimit) hosts and host variables", at: span,
      hint: "split it, or give shared variables to a group")
  }

  /// Sets a group variable; `priorityKey` sets the group's priority instead.
  mutating func setGroupVar(_ group: String, _ key: String, _ value: Located<InventoryValue>) throws
  {
    guard key == priorityKey else {
      groups[group]?.vars[key] = value
      return
    }
    let priority: Int?
    switch value.value {
    case .null: return
    case .int(let number): priority = number
    case .bool(let flag): priority = flag ? 1 : 0
    case .float(let number) where number.isFinite && abs(number) < 1e18: priority = Int(number)
    case .string(let text): priority = PythonLiteral.int(text)
    default: priority = nil
    }
    guard let priority else {
      throw source.error(
        "\(key) must be a whole number, found \(InventoryValues.describe(value.value))",
        at: value.span)
    }
    groups[group]?.priority = priority
  }

  /// Makes `child` a child group of `parent` (both must exist). A group cannot contain
  /// itself, directly or through other groups.
  mutating func addChild(parent: String, child: String, at span: Span) throws {
    if parent == child {
      throw source.error("group '\(parent)' cannot be a child of itself", at: span)
    }
    if groups[parent]?.children.contains(child) == true { return }
    if reaches(from: child, to: parent) {
      throw source.error(
        "adding group '\(child)' as a child of '\(parent)' creates a loop",
        at: span, hint: "'\(parent)' is already inside '\(child)'")
    }
    link(parent: parent, child: child)
  }

  private mutating func link(parent: String, child: String) {
    groups[parent]?.children.append(child)
    groups[child]?.parents.append(parent)
  }

  /// Whether `target` is below `group`, through any number of children (searched downwards:
  /// groups are usually linked parent first, when the child has no children yet).
  private func reaches(from group: String, to target: String) -> Bool {
    var seen: Set<String> = []
    var pending = [group]
    while let next = pending.popLast() {
      if next == target { return true }
      guard seen.insert(next).inserted else { continue }
      pending += groups[next]?.children ?? []
    }
    return false
  }

  /// Every group above `group`, through any number of parents.
  func ancestors(of group: String) -> Set<String> {
    var seen: Set<String> = []
    var pending = Array(groups[group]?.parents ?? [])
    while let next = pending.popLast() {
      guard seen.insert(next).inserted else { continue }
      pending += groups[next]?.parents ?? []
    }
    return seen
  }

  /// What Ansible's `reconcile_inventory` does once a file is read: a group without parents
  /// becomes a child of `all`; a host in no group joins `ungrouped`, and a host in another
  /// group leaves it.
  mutating func reconcile() {
    for name in groups.keys where name != "all" && (groups[name]?.parents.isEmpty ?? false) {
      link(parent: "all", child: name)
    }
    var closures = ClosureCache()
    for name in hosts.keys {
      var all: Set<String> = []
      for group in hosts[name]?.groups ?? [] {
        all.formUnion(closures.closure(of: group, in: self))
      }
      if all.contains("ungrouped") {
        if !all.subtracting(["all", "ungrouped"]).isEmpty {
          removeMember(host: name, group: "ungrouped")
        }
      } else if all.isEmpty || all == ["all"] {
        addMember(host: name, group: "ungrouped")
      }
    }
  }

  /// Each group hosts are directly in, with every group above it, computed once.
  struct ClosureCache {
    private var cache: [String: Set<String>] = [:]

    /// `group` and every group above it.
    mutating func closure(of group: String, in builder: InventoryBuilder) -> Set<String> {
      if let known = cache[group] { return known }
      let closure = builder.ancestors(of: group).union([group])
      cache[group] = closure
      return closure
    }
  }
}
