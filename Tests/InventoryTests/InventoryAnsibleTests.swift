import Interpreter
import Testing

@testable import Session

/// Ansible inventories resolve to exactly what `ansible-inventory --list` resolved for them
/// (see Fixtures/README.md).
@Suite struct InventoryAnsibleTests {
  @Test(arguments: InventoryFixtures.ansible)
  func resolvesLikeAnsible(_ fixture: InventoryFixtures.Fixture) throws {
    let inventory = try InventoryTest.load(try fixture.text(), name: fixture.name)
    #expect(InventoryRendering.json(inventory) == (try fixture.expected()))
  }

  @Test func yamlWarningsForWhatAnsibleSkips() throws {
    let warnings = try InventoryTest.warnings(
      try InventoryFixtures.ansible("forms.yml").text(), name: "forms.yml")
    #expect(
      warnings.map { $0.split(separator: "\n")[0] } == [
        "forms.yml:26:1: warning: skipping group 'bogus': its definition is a list, not a mapping",
        "forms.yml:30:3: warning: skipping unexpected key 'extra' in group 'weird'",
        "forms.yml:31:3: warning: skipping key 'notes' in group 'weird': it is the text 'text',"
          + " not a mapping",
      ])
  }

  @Test func hostOrderAndGroupsFollowTheFile() throws {
    let inventory = try InventoryTest.load(
      try InventoryFixtures.ansible("site.ini").text(), name: "site.ini")
    #expect(
      inventory.hosts.prefix(5).map(\.name) == [
        "lb.example.com", "cp1.example.com", "cp2.example.com", "cp3.example.com", "worker-01",
      ])
    let cp1 = try #require(inventory.host(named: "cp1.example.com"))
    #expect(cp1.groups == ["all", "control_plane", "etcd", "k8s"])
    #expect(
      InventoryTest.members(inventory, "etcd") == [
        "cp1.example.com", "cp2.example.com", "cp3.example.com",
      ])
    #expect(InventoryTest.members(inventory, "ungrouped") == ["lb.example.com"])
    #expect(inventory.group(named: "all").count == 19)
  }
}
