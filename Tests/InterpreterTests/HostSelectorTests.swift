import Interpreter
import Testing

/// The host-pattern language `on "…"`, `haflow exec` and `--limit` share, on an inventory
/// shaped like the lab's: Ansible's semantics, with errors where Ansible only warns.
@Suite struct HostSelectorTests {
  static let inventory = Inventory(hosts: [
    Host(name: "lb", groups: ["lbs"]),
    Host(name: "cp1", groups: ["control_plane", "k8s"]),
    Host(name: "cp2", groups: ["control_plane", "k8s"]),
    Host(name: "cp3", groups: ["control_plane", "k8s"]),
    Host(name: "node1", groups: ["workers", "k8s"]),
    Host(name: "node2", groups: ["workers", "k8s"]),
    Host(name: "node3", groups: ["workers", "k8s", "canary"]),
    Host(name: "web1.example.com", groups: ["web"]),
    Host(name: "localhost", connection: .local, groups: ["local"], isImplicit: true),
  ])

  static func names(_ pattern: String) throws -> [String] {
    try HostSelector.select(pattern, in: inventory).map(\.name)
  }

  static func failure(_ pattern: String) -> RuntimeError? {
    #expect(throws: RuntimeError.self) { try names(pattern) }
  }

  @Test(arguments: [
    ("all", ["lb", "cp1", "cp2", "cp3", "node1", "node2", "node3", "web1.example.com"]),
    ("*", ["lb", "cp1", "cp2", "cp3", "node1", "node2", "node3", "web1.example.com"]),
    ("cp2", ["cp2"]),
    ("workers", ["node1", "node2", "node3"]),
    ("localhost", ["localhost"]),
    ("local", ["localhost"]),
    (" workers ", ["node1", "node2", "node3"]),
  ])
  func namesGroupsAndAll(pattern: String, expected: [String]) throws {
    #expect(try Self.names(pattern) == expected)
  }

  @Test(arguments: [
    // Union, in the order the terms name the hosts, each host once.
    ("lb,workers", ["lb", "node1", "node2", "node3"]),
    ("workers,lb", ["node1", "node2", "node3", "lb"]),
    ("lb:workers", ["lb", "node1", "node2", "node3"]),
    ("workers,node2,lb", ["node1", "node2", "node3", "lb"]),
    // Exclusion and intersection, applied after the union whatever their place.
    ("workers,!node3", ["node1", "node2"]),
    ("!node3,workers", ["node1", "node2"]),
    ("k8s:!control_plane", ["node1", "node2", "node3"]),
    ("k8s:&canary", ["node3"]),
    ("control_plane:workers:&k8s:!cp1:!node1", ["cp2", "cp3", "node2", "node3"]),
    // Only exclusions: start from all (never the implicit localhost).
    ("!k8s", ["lb", "web1.example.com"]),
    ("&workers", ["node1", "node2", "node3"]),
  ])
  func combinations(pattern: String, expected: [String]) throws {
    #expect(try Self.names(pattern) == expected)
  }

  @Test(arguments: [
    ("node*", ["node1", "node2", "node3"]),
    ("cp?", ["cp1", "cp2", "cp3"]),
    ("cp[!2]", ["cp1", "cp3"]),
    ("cp[1-2]", ["cp1", "cp2"]),
    ("*.example.com", ["web1.example.com"]),
    ("control*", ["cp1", "cp2", "cp3"]),
    ("all,!node*", ["lb", "cp1", "cp2", "cp3", "web1.example.com"]),
    ("~node[12]", ["node1", "node2"]),
    ("~(lb|cp1)", ["lb", "cp1"]),
    ("~web", ["web1.example.com"]),
  ])
  func wildcardsAndRegularExpressions(pattern: String, expected: [String]) throws {
    #expect(try Self.names(pattern) == expected)
  }

  @Test(arguments: [
    ("workers[0]", ["node1"]),
    ("workers[-1]", ["node3"]),
    ("workers[1:2]", ["node2", "node3"]),
    ("workers[0:1]", ["node1", "node2"]),
    ("workers[1:]", ["node2", "node3"]),
    ("workers[:1]", ["node1", "node2"]),
    ("workers[1:1]", ["node2"]),
    ("workers[2:9]", ["node3"]),
    ("workers[3:]", []),
    ("control_plane[0],workers[-1]", ["cp1", "node3"]),
    ("k8s:!workers[0]", ["cp1", "cp2", "cp3", "node2", "node3"]),
    ("node*[1]", ["node2"]),
  ])
  func subscripts(pattern: String, expected: [String]) throws {
    #expect(try Self.names(pattern) == expected)
  }

  @Test func unknownNamesSayWhatIsKnown() {
    let typo = Self.failure("workers,!nod3")
    #expect(typo?.message == "unknown host or group 'nod3' (in '!nod3')")
    #expect(typo?.hint == "did you mean 'node3'?")
    let group = Self.failure("worker")
    #expect(group?.message == "unknown host or group 'worker'")
    #expect(group?.hint == "did you mean 'workers'?")
    #expect(Self.failure("zzzzzz")?.hint?.hasPrefix("hosts and groups: lbs, control_plane") == true)
    let empty = #expect(throws: RuntimeError.self) {
      try HostSelector.select("x", in: Inventory())
    }
    #expect(empty?.hint == "the inventory has no hosts")
  }

  /// `node[1:2]` is a position in a group `node`, as in Ansible; without one, the hint
  /// says how to choose hosts by name.
  @Test func aSubscriptAfterAnUnknownGroupSaysHowToChooseByName() {
    let range = Self.failure("node[1:2]")
    #expect(range?.message == "unknown group 'node' (in 'node[1:2]')")
    #expect(
      range?.hint
        == "[…] picks hosts by position in a group; to choose hosts by name, use a wildcard: 'node*'"
    )
    #expect(Self.failure("worker[0]")?.hint == "did you mean 'workers'?")
  }

  @Test func malformedPatterns() {
    #expect(Self.failure("")?.message == "the host pattern is empty")
    #expect(
      Self.failure("workers,!")?.message == "'!' in the host pattern 'workers,!' names nothing")
    #expect(Self.failure("db*")?.message == "'db*' matches no host or group")
    #expect(Self.failure("~(")?.message.hasPrefix("invalid regular expression") == true)
    #expect(Self.failure("workers[:]")?.message == "'workers[:]': a slice needs a start or an end")
    let index = Self.failure("workers[3]")
    #expect(index?.message == "'workers[3]': index 3 is out of range: 'workers' has 3 hosts")
    #expect(index?.hint == "indexes run from 0 to 2, or -1 for the last")
  }

  @Test func oneHostNameGivesThatHost() {
    #expect(HostSelector.namesOneHost("cp1", in: Self.inventory))
    #expect(!HostSelector.namesOneHost("workers", in: Self.inventory))
    #expect(!HostSelector.namesOneHost("cp1,cp2", in: Self.inventory))
    #expect(!HostSelector.namesOneHost("workers[0]", in: Self.inventory))
  }
}
