import Interpreter
import Testing

@testable import Session

/// haflow's own inventory syntax.
@Suite struct InventoryHaflowTests {
  func load(_ text: String) throws -> Inventory { try InventoryTest.load(text, name: "lab.hf") }

  func error(_ text: String) -> String? {
    InventoryTest.summary(InventoryTest.error(text, name: "lab.hf"))
  }

  @Test func clusterResolves() throws {
    let inventory = try load(try InventoryFixtures.cluster.text())
    #expect(InventoryRendering.json(inventory) == (try InventoryFixtures.cluster.expected()))
    #expect(inventory.hosts.map(\.name) == ["lb", "cp1", "cp2", "cp3", "w1", "w2", "controller"])
    #expect(inventory.host(named: "cp2")?.groups == ["all", "control_plane", "etcd", "k8s"])
  }

  @Test func settingsAreFieldsNotVars() throws {
    let host = try #require(
      try load("host cp1 address=127.0.0.2 port=22 user=root node_ip=10.0.0.1").hosts.first)
    #expect(host.address == "127.0.0.2")
    #expect(host.port == 22)
    #expect(host.user == "root")
    #expect(host.connection == .ssh)
    #expect(host.vars == ["node_ip": .string("10.0.0.1")])
  }

  @Test func valuesAreTyped() throws {
    let host = try #require(
      try load(#"host h a=3 b=-4 c=true d=false e=007 f="42" g=1.5 h="say \"hi\"\n""#).hosts.first)
    #expect(host.vars["a"] == .int(3))
    #expect(host.vars["b"] == .int(-4))
    #expect(host.vars["c"] == .bool(true))
    #expect(host.vars["d"] == .bool(false))
    #expect(host.vars["e"] == .string("007"))
    #expect(host.vars["f"] == .string("42"))
    #expect(host.vars["g"] == .string("1.5"))
    #expect(host.vars["h"] == .string("say \"hi\"\n"))
  }

  @Test func membersMayBeDeclaredLaterAndGroupsNest() throws {
    let inventory = try load(
      """
      group k8s: control_plane workers
      group workers: w[1:2]
      host cp1 groups=control_plane
      host w[1:2]
      """)
    #expect(InventoryTest.members(inventory, "k8s") == ["cp1", "w1", "w2"])
    #expect(inventory.host(named: "w1")?.groups == ["all", "k8s", "workers"])
  }

  @Test func groupLinesMerge() throws {
    let inventory = try load(
      "host a\nhost b\ngroup g x=1: a\ngroup g y=2\ngroup g: b\n")
    #expect(InventoryTest.members(inventory, "g") == ["a", "b"])
    #expect(inventory.host(named: "b")?.vars == ["x": .int(1), "y": .int(2)])
  }

  @Test func precedence() throws {
    let inventory = try load(
      """
      host h1 groups=child level=host
      host h2 groups=child
      host h3 groups=parent
      group parent level=parent: child
      group child level=child
      group all level=all user=nobody
      """)
    #expect(inventory.host(named: "h1")?.vars["level"] == .string("host"))
    #expect(inventory.host(named: "h2")?.vars["level"] == .string("child"))
    #expect(inventory.host(named: "h3")?.vars["level"] == .string("parent"))
    #expect(inventory.host(named: "h3")?.user == "nobody")
  }

  @Test func commentsAndBlankLines() throws {
    let inventory = try load("# hosts\n\nhost a note=x#y  # a comment\n   \n")
    #expect(inventory.hosts.first?.vars == ["note": .string("x#y")])
  }

  @Test func contentWithoutExtensionIsDetected() throws {
    let inventory = try InventoryTest.load("# lab\nhost cp1 address=127.0.0.2\n", name: "inventory")
    #expect(inventory.hosts.first?.address == "127.0.0.2")
  }

  @Test func unknownMemberSuggests() throws {
    let error = try #require(
      InventoryTest.error("host worker1\ngroup workers: workr1\n", name: "lab.hf"))
    #expect(
      InventoryTest.summary(error)
        == "lab.hf:2:16: unknown host or group 'workr1' in group 'workers'")
    #expect(error.hint == "did you mean 'worker1'?")
  }

  @Test func duplicateHost() {
    #expect(error("host cp[1:3]\nhost cp2 port=22\n") == "lab.hf:2:6: host 'cp2' is declared twice")
  }

  @Test func unknownKeyword() {
    #expect(
      error("hosts cp1\n") == "lab.hf:1:1: expected 'host' or 'group' at the start of the line")
  }

  @Test func missingName() {
    #expect(error("host\n") == "lab.hf:1:1: expected a host name after 'host'")
    #expect(error("group x=1\n") == "lab.hf:1:7: expected a group name after 'group'")
  }

  @Test func bareWordInAHostLine() {
    #expect(
      error("host cp1 root\n")
        == "lab.hf:1:10: expected key=value after the host name, found 'root'")
  }

  @Test func colonInAHostLine() {
    #expect(error("host cp1: w1\n") == "lab.hf:1:9: unexpected ':' in a host line")
  }

  @Test func groupsSettingOnAGroup() {
    #expect(error("group a groups=b\n") == "lab.hf:1:9: groups= is a host setting, not a group's")
  }

  @Test func missingValue() {
    #expect(error("host a user=\n") == "lab.hf:1:8: missing value after 'user='")
  }

  @Test func unterminatedString() {
    #expect(error(#"host a motd="hi"# + "\n") == "lab.hf:1:13: unterminated string")
  }

  @Test func invalidNames() {
    #expect(error("host web/1\n") == "lab.hf:1:6: invalid host name 'web/1'")
    #expect(error("host a groups=ok,bad/name\n") == "lab.hf:1:8: invalid group name 'bad/name'")
    #expect(error("host a 9x=1\n") == "lab.hf:1:8: invalid variable name '9x'")
  }

  @Test func badPortAndConnection() {
    #expect(
      error("host a port=http\n")
        == "lab.hf:1:8: port of host 'a' must be a port number from 1 to 65535, found 'http'")
    #expect(
      error("host a connection=winrm\n")
        == "lab.hf:1:8: connection of host 'a' is 'winrm', which haflow cannot use")
  }

  @Test func badRangeIsLocated() {
    #expect(
      error("host w[1:x]\n")
        == "lab.hf:1:6: host range '[1:x]' must have numbers or single letters as bounds")
  }
}
