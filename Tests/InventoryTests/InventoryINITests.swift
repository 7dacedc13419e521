import Interpreter
import Testing

/// Ansible INI inventories: one rule per test, with the exact resolved result.
@Suite struct InventoryINITests {
  func load(_ text: String) throws -> Inventory { try InventoryTest.load(text, name: "hosts.ini") }

  func error(_ text: String) -> String? {
    InventoryTest.summary(InventoryTest.error(text, name: "hosts.ini"))
  }

  @Test func hostsBeforeAnySectionAreUngrouped() throws {
    let inventory = try load("a\nb\n[web]\nw1\n")
    #expect(InventoryTest.members(inventory, "ungrouped") == ["a", "b"])
    #expect(InventoryTest.members(inventory, "all") == ["a", "b", "w1"])
    #expect(inventory.host(named: "w1")?.groups == ["all", "web"])
  }

  @Test func addressPortUserFromAnsibleVariables() throws {
    let inventory = try load(
      """
      web1 ansible_host=10.0.0.1 ansible_port=2222 ansible_user=admin
      web2:2200 ansible_ssh_host=10.0.0.2 ansible_ssh_user=ops
      web3
      """)
    let web1 = try #require(inventory.host(named: "web1"))
    #expect(web1.address == "10.0.0.1")
    #expect(web1.port == 2222)
    #expect(web1.user == "admin")
    let web2 = try #require(inventory.host(named: "web2"))
    #expect(web2.address == "10.0.0.2")
    #expect(web2.port == 2200)
    #expect(web2.user == "ops")
    #expect(web2.vars["ansible_port"] == .int(2200))
    let web3 = try #require(inventory.host(named: "web3"))
    #expect(web3.address == "web3")
    #expect(web3.port == nil)
    #expect(web3.user == nil)
    #expect(web3.connection == .ssh)
  }

  @Test func sshVariantsWinOverPlainOnes() throws {
    let host = try #require(
      try load(
        "h ansible_host=a ansible_ssh_host=b ansible_port=1 ansible_ssh_port=2"
          + " ansible_user=u ansible_ssh_user=v"
      ).host(named: "h"))
    #expect(host.address == "b")
    #expect(host.port == 2)
    #expect(host.user == "v")
  }

  @Test func portFromHostPortOnlyWhenTheHostIsNew() throws {
    let inventory = try load("db1:5432\n[g]\ndb1:6543\n")
    #expect(inventory.host(named: "db1")?.port == 5432)
  }

  @Test func inlinePortOverridesHostPort() throws {
    #expect(try load("db1:5432 ansible_port=6000").host(named: "db1")?.port == 6000)
  }

  @Test func localConnectionAndIdentityFile() throws {
    let inventory = try load(
      """
      localhost ansible_connection=local
      bastion ansible_ssh_private_key_file=~/.ssh/bastion
      other ansible_private_key_file=/keys/other
      """)
    #expect(inventory.host(named: "localhost")?.connection == .local)
    let bastion = try #require(inventory.host(named: "bastion"))
    #expect(bastion.vars["identity_file"] == .string("~/.ssh/bastion"))
    #expect(bastion.vars["ansible_ssh_private_key_file"] == .string("~/.ssh/bastion"))
    #expect(inventory.host(named: "other")?.vars["identity_file"] == .string("/keys/other"))
  }

  @Test func inlineValuesAreTypedLikeLiteralEval() throws {
    let host = try #require(
      try load(
        #"h a=1 b=1.5 c=True d=None e="two words" f='[1, "x"]' g=010 h=0x10 i=-3 j=yes"#
      ).host(named: "h"))
    #expect(host.vars["a"] == .int(1))
    #expect(host.vars["b"] == .float(1.5))
    #expect(host.vars["c"] == .bool(true))
    #expect(host.vars["d"] == .nil)
    #expect(host.vars["e"] == .string("two words"))
    #expect(host.vars["f"] == .list([.int(1), .string("x")]))
    #expect(host.vars["g"] == .string("010"))
    #expect(host.vars["h"] == .int(16))
    #expect(host.vars["i"] == .int(-3))
    #expect(host.vars["j"] == .string("yes"))
  }

  @Test func commentsEndHostLinesEvenInsideAWord() throws {
    let host = try #require(try load("h a=1 # note\nk b=x#y c=2").host(named: "k"))
    #expect(host.vars["b"] == .string("x"))
    #expect(host.vars["c"] == nil)
    #expect(try load("; a comment\n# another\n").hosts.isEmpty)
  }

  @Test func groupVarsKeepSpacesAndComments() throws {
    let host = try #require(
      try load(
        """
        [g]
        h
        [g:vars]
        motd = hello world
        level=3 # three
        """
      ).host(named: "h"))
    #expect(host.vars["motd"] == .string("hello world"))
    #expect(host.vars["level"] == .int(3))
  }

  @Test func childrenAndVarsMayComeBeforeTheirGroups() throws {
    let inventory = try load(
      """
      [k8s:children]
      control_plane
      workers
      [control_plane:vars]
      role=cp
      [control_plane]
      cp1
      [workers]
      w1
      """)
    #expect(InventoryTest.members(inventory, "k8s") == ["cp1", "w1"])
    #expect(inventory.host(named: "cp1")?.vars["role"] == .string("cp"))
    #expect(inventory.host(named: "cp1")?.groups == ["all", "k8s", "control_plane"])
  }

  @Test func precedenceHostThenChildThenParentThenAll() throws {
    let inventory = try load(
      """
      [parent:children]
      child
      [child]
      c1 x=host
      c2
      [parent]
      p1
      [child:vars]
      x=child
      [parent:vars]
      x=parent
      [all:vars]
      x=all
      y=all
      """)
    #expect(inventory.host(named: "c1")?.vars["x"] == .string("host"))
    #expect(inventory.host(named: "c2")?.vars["x"] == .string("child"))
    #expect(inventory.host(named: "p1")?.vars["x"] == .string("parent"))
    #expect(inventory.host(named: "p1")?.vars["y"] == .string("all"))
  }

  @Test func sameDepthGroupsByPriorityThenName() throws {
    let inventory = try load(
      """
      [b]
      h1
      h2
      [a]
      h1
      h2
      [a:vars]
      x=a
      [b:vars]
      x=b
      [c]
      h2
      [c:vars]
      x=c
      ansible_group_priority=0
      """)
    #expect(inventory.host(named: "h1")?.vars["x"] == .string("b"))
    #expect(inventory.host(named: "h2")?.vars["x"] == .string("b"))
    #expect(inventory.host(named: "h2")?.vars["ansible_group_priority"] == nil)
  }

  @Test func sectionOfTypeHostsIsAHostsSection() throws {
    #expect(InventoryTest.members(try load("[web:hosts]\nw1\n"), "web") == ["w1"])
  }

  @Test func ipv6WithPortInBrackets() throws {
    let host = try #require(try load("[2001:db8::1]:2222").hosts.first)
    #expect(host.name == "2001:db8::1")
    #expect(host.port == 2222)
  }

  @Test func unknownSectionType() {
    #expect(
      error("[web:child]\nw1\n") == "hosts.ini:1:6: section [web:child] has unknown type 'child'")
  }

  @Test func invalidSectionHeader() {
    #expect(error("[web servers]\n") == "hosts.ini:1:1: invalid section header '[web servers]'")
  }

  @Test func badRange() {
    #expect(
      error("[web]\nweb[1:x] a=1\n")
        == "hosts.ini:2:1: host range '[1:x]' must have numbers or single letters as bounds")
    #expect(error("web[3:1:0]") == "hosts.ini:1:1: host range '[3:1:0]' has a step of zero")
    #expect(error("web[c:a]") == "hosts.ini:1:1: host range '[c:a]' must have begin <= end")
  }

  @Test func hostVariableWithoutValue() {
    #expect(
      error("[web]\nw1 ansible_user=a novalue\n")
        == "hosts.ini:2:19: expected key=value host variable assignment, got 'novalue'")
  }

  @Test func groupVariableWithoutValue() {
    #expect(error("[all:vars]\nntp\n") == "hosts.ini:2:1: expected key=value, got 'ntp'")
  }

  @Test func varsForAnUndefinedGroup() {
    #expect(
      error("[web:vars]\nx=1\n")
        == "hosts.ini:1:1: section [web:vars] is for an undefined group 'web'")
  }

  @Test func beingAChildDoesNotDeclareAGroupForItsVars() throws {
    let error = try #require(
      InventoryTest.error("[a:vars]\nx=1\n[p:children]\na\n[p]\nh\n", name: "hosts.ini"))
    #expect(
      InventoryTest.summary(error)
        == "hosts.ini:1:1: section [a:vars] is for an undefined group 'a'")
    #expect(error.hint == "declare the group with a [a] or [a:children] section")
  }

  @Test func childThatIsNeverDeclared() {
    #expect(
      error("[k8s:children]\nworkers\n[web]\nw1\n")
        == "hosts.ini:2:1: section [k8s:children] includes undefined group 'workers'")
  }

  @Test func childrenLoop() {
    #expect(
      error("[a]\n[b]\n[a:children]\nb\n[b:children]\na\n")
        == "hosts.ini:6:1: adding group 'a' as a child of 'b' creates a loop")
  }

  @Test func unterminatedQuote() {
    #expect(error(#"h1 motd="hello"#) == "hosts.ini:1:9: unterminated quote")
  }

  @Test func trailingColonIsNoHost() {
    #expect(
      error("web:\n")
        == "hosts.ini:1:1: invalid host pattern 'web:': a ':' at the end is reserved for a port")
  }

  @Test func yamlSeparatorInAnINIFile() {
    #expect(
      error("---\n") == "hosts.ini:1:1: '---' is not a host name; this looks like a YAML file")
  }

  @Test func invalidPortValue() {
    #expect(
      error("h ansible_port=http")
        == "hosts.ini:1:3: ansible_port of host 'h' must be a port number from 1 to 65535,"
        + " found 'http'")
    #expect(
      error("h:70000")
        == "hosts.ini:1:1: ansible_port of host 'h' must be a port number from 1 to 65535,"
        + " found 70000")
  }

  @Test func unsupportedConnection() {
    #expect(
      error("h ansible_connection=docker")
        == "hosts.ini:1:3: ansible_connection of host 'h' is 'docker', which haflow cannot use")
  }

  @Test func renderedErrorShowsTheLineAndACaret() throws {
    let error = try #require(InventoryTest.error("[web]\nweb[01:100]\n", name: "hosts.ini"))
    #expect(
      error.description == """
        hosts.ini:2:1: error: zero-padded host range '[01:100]' needs a begin and end of the \
        same length
           2 | web[01:100]
             | ^~~~~~~~~~~
              = hint: write both bounds with the same number of digits, e.g. web[01:20]
        """)
  }
}
