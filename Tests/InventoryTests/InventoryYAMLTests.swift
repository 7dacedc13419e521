import Interpreter
import Testing

/// Ansible YAML inventories: nesting, the string shorthand, typed vars, and errors.
@Suite struct InventoryYAMLTests {
  func load(_ text: String) throws -> Inventory { try InventoryTest.load(text, name: "hosts.yml") }

  func error(_ text: String) -> String? {
    InventoryTest.summary(InventoryTest.error(text, name: "hosts.yml"))
  }

  @Test func nestingAtAnyDepth() throws {
    let inventory = try load(
      """
      all:
        children:
          dc1:
            children:
              k8s:
                children:
                  control_plane:
                    hosts:
                      cp[1:2]:
                    vars: {level: cp}
                vars: {level: k8s, only_k8s: 1}
            vars: {level: dc1}
        vars: {level: all}
      """)
    #expect(InventoryTest.members(inventory, "dc1") == ["cp1", "cp2"])
    let cp1 = try #require(inventory.host(named: "cp1"))
    #expect(cp1.groups == ["all", "dc1", "k8s", "control_plane"])
    #expect(cp1.vars["level"] == .string("cp"))
    #expect(cp1.vars["only_k8s"] == .int(1))
  }

  @Test func stringShorthandForOneEntry() throws {
    let inventory = try load("web:\n  hosts: web1\n  children: api\napi:\n  hosts: api1\n")
    #expect(InventoryTest.members(inventory, "web") == ["web1", "api1"])
  }

  @Test func hostsDirectlyInAllAreUngrouped() throws {
    let inventory = try load("all:\n  hosts:\n    solo:\n      ansible_port: 2022\n")
    #expect(InventoryTest.members(inventory, "ungrouped") == ["solo"])
    #expect(inventory.host(named: "solo")?.port == 2022)
  }

  @Test func typedValuesAsYAMLReadsThem() throws {
    let host = try #require(
      try load(
        """
        g:
          hosts:
            h:
              enabled: yes
              disabled: no
              port_text: "22"
              list: [a, 1]
              map: {k: v}
              nothing:
              ansible_port: "2022"
        """
      ).host(named: "h"))
    #expect(host.vars["enabled"] == .bool(true))
    #expect(host.vars["disabled"] == .bool(false))
    #expect(host.vars["port_text"] == .string("22"))
    #expect(host.vars["list"] == .list([.string("a"), .int(1)]))
    #expect(host.vars["map"] == .map(["k": .string("v")]))
    #expect(host.vars["nothing"] == .nil)
    #expect(host.port == 2022)
  }

  @Test func hostPortKeyAndRanges() throws {
    let inventory = try load("g:\n  hosts:\n    node-[a:c]:2200:\n")
    #expect(inventory.hosts.map(\.name) == ["node-a", "node-b", "node-c"])
    #expect(inventory.hosts.map(\.port) == [2200, 2200, 2200])
  }

  @Test func sameGroupUnderTwoParentsMerges() throws {
    let inventory = try load(
      """
      east:
        children:
          etcd:
            hosts: {e1: null}
      west:
        children:
          etcd:
            hosts: {e2: null}
      """)
    #expect(InventoryTest.members(inventory, "etcd") == ["e1", "e2"])
    #expect(InventoryTest.members(inventory, "east") == ["e1", "e2"])
  }

  /// As ansible-core resolves them: explicit keys win, then earlier merged mappings.
  @Test func mergeKeys() throws {
    let inventory = try load(
      """
      all:
        vars: &common {ntp: pool.ntp.org, dns: 1.1.1.1}
      defaults:
        vars:
          a: &a {x: 1, y: 1}
          b: &b {x: 2, z: 2}
      web:
        hosts:
          w1:
            <<: *common
            dns: 8.8.8.8
          w2:
            <<: [*a, *b]
            y: 3
      """)
    let w1 = try #require(inventory.host(named: "w1"))
    #expect(w1.vars == ["ntp": .string("pool.ntp.org"), "dns": .string("8.8.8.8")])
    let w2 = try #require(inventory.host(named: "w2"))
    #expect(w2.vars["x"] == .int(1))
    #expect(w2.vars["y"] == .int(3))
    #expect(w2.vars["z"] == .int(2))
  }

  @Test func notAMapping() {
    #expect(
      error("- web1\n- web2\n")
        == "hosts.yml:1:1: a YAML inventory must be a mapping of group names, found a list")
    #expect(
      error("just text\n")
        == "hosts.yml:1:1: a YAML inventory must be a mapping of group names, found the text"
        + " 'just text'")
  }

  @Test func emptyFile() {
    #expect(error("# nothing\n") == "hosts.yml:0:0: the YAML inventory is empty")
  }

  @Test func hostsAsAList() {
    #expect(
      error("web:\n  hosts:\n    - web1\n")
        == "hosts.yml:3:5: the 'hosts' entry of group 'web' must be a mapping, found a list")
  }

  @Test func hostWithTextInsteadOfVars() {
    #expect(
      error("web:\n  hosts:\n    web1: 10.0.0.1\n")
        == "hosts.yml:3:11: host 'web1' must map to its variables or to nothing, found the"
        + " text '10.0.0.1'")
  }

  @Test func pluginConfiguration() {
    #expect(
      error("plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n")
        == "hosts.yml:1:1: this is an inventory plugin configuration, not a YAML inventory")
  }

  @Test func invalidYAMLIsLocated() {
    #expect(
      error("web:\n  hosts: {a: 1\n")
        == "hosts.yml:3:1: invalid YAML: did not find expected ',' or '}'")
  }

  @Test func badRangeInAKey() {
    #expect(
      error("web:\n  hosts:\n    web[01:9]:\n")
        == "hosts.yml:3:5: zero-padded host range '[01:9]' needs a begin and end of the same"
        + " length")
  }

  /// The innermost link is made first, as Ansible makes it: the loop closes at `b`.
  @Test func childLoop() {
    #expect(
      error("a:\n  children:\n    b:\n      children:\n        a:\n")
        == "hosts.yml:3:5: adding group 'b' as a child of 'a' creates a loop")
  }
}
