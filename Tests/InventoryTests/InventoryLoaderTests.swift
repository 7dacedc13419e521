import Interpreter
import Testing

@testable import Inventory
@testable import Session

/// Loading files: format detection, unreadable files, and the text listing.
@Suite struct InventoryLoaderTests {
  @Test(arguments: [
    ("hosts.hf", "anything", InventoryFormat.haflow),
    ("hosts.yml", "x", .yaml), ("hosts.YAML", "x", .yaml), ("hosts.json", "{}", .yaml),
    ("hosts.ini", "x", .ini), ("hosts", "# c\n[web]\nw1\n", .ini),
    ("hosts", "web1 ansible_host=10.0.0.1\n", .ini), ("hosts", "web1:2222\n", .ini),
    ("hosts", "all:\n  hosts:\n    w1:\n", .yaml), ("hosts", "---\nall: {}\n", .yaml),
    ("hosts", "host cp1 user=root\n", .haflow), ("hosts", "group g: a\n", .haflow),
    ("hosts", "host ansible_host=10.0.0.1\n", .ini), ("hosts", "", .ini),
  ])
  func detectsTheFormat(name: String, text: String, format: InventoryFormat) {
    #expect(InventoryFormat.detect(path: "/etc/ansible/" + name, text: text) == format)
  }

  @Test func loadsAFile() throws {
    let directory = try InventoryDirectory()
    let path = try directory.write("lab.ini", "\u{FEFF}[lab]\nh[1:2] ansible_user=root\n")
    let inventory = try InventoryLoader.load(path: path)
    #expect(inventory.hosts.map(\.name) == ["h1", "h2"])
    #expect(inventory.hosts.map(\.user) == ["root", "root"])
  }

  @Test func missingFile() {
    #expect(
      InventoryTest.summary(errorLoading("/nonexistent/hosts.ini"))
        == "/nonexistent/hosts.ini:0:0: cannot read the file: it does not exist")
  }

  @Test func directory() throws {
    let directory = try InventoryDirectory()
    let error = try #require(errorLoading(directory.url.path))
    #expect(error.message == "cannot read the file: it is a directory")
    #expect(error.line == nil)
    #expect(
      error.description.hasSuffix(
        "error: cannot read the file: it is a directory\n      = hint: give the inventory file itself, e.g. \(directory.url.path)/hosts.ini"
      ))
  }

  func errorLoading(_ path: String) -> InventoryError? {
    do {
      _ = try InventoryLoader.load(path: path)
      return nil
    } catch {
      return error as? InventoryError
    }
  }

  @Test func textListing() throws {
    let inventory = try InventoryTest.load(
      try InventoryFixtures.cluster.text(), name: "cluster.hf")
    #expect(
      InventoryRendering.text(inventory) == """
        hosts (7):
          NAME        ADDRESS    PORT  USER    GROUPS
          lb          10.0.0.10  2222  ops     ungrouped
          cp1         cp1        -     root    control_plane, etcd, k8s
          cp2         cp2        -     root    control_plane, etcd, k8s
          cp3         cp3        -     root    control_plane, etcd, k8s
          w1          10.0.2.1   -     ubuntu  workers, k8s
          w2          10.0.2.2   22    ubuntu  workers, k8s
          controller  (local)    -     -       ungrouped
        groups (6):
          all            controller, cp1, cp2, cp3, lb, w1, w2
          control_plane  cp1, cp2, cp3
          etcd           cp1, cp2, cp3
          k8s            cp1, cp2, cp3, w1, w2
          ungrouped      controller, lb
          workers        w1, w2

        """)
  }

  @Test func emptyInventory() throws {
    let inventory = try InventoryTest.load("# nothing yet\n", name: "hosts.ini")
    #expect(
      InventoryRendering.json(inventory)
        == "{\n  \"groups\": {\n    \"all\": []\n  },\n  \"hosts\": {}\n}\n")
    #expect(
      InventoryRendering.text(inventory)
        == "hosts (0):\n  NAME  ADDRESS  PORT  USER  GROUPS\ngroups (1):\n  all  -\n")
  }
}
