import Foundation
import Testing

/// The inventory files under `Fixtures/` (copied into the test bundle): each inventory beside
/// `NAME.expected.json`, what `haflow inventory --json` must print for it. See
/// `Fixtures/README.md` for where the expected files come from.
enum InventoryFixtures {
  /// One inventory file: its name (the extension picks the format) and folder.
  struct Fixture: Sendable, CustomStringConvertible {
    /// The file name: `site.ini`.
    let name: String
    /// The folder under `Fixtures/`: `ansible` or `haflow`.
    let folder: String
    var description: String { name }

    /// The inventory's text.
    func text() throws -> String { try InventoryFixtures.read("\(folder)/\(name)") }

    /// What `haflow inventory --json` prints for it.
    func expected() throws -> String {
      try InventoryFixtures.read("\(folder)/\(name).expected.json")
    }
  }

  /// Ansible inventories, with what `ansible-inventory --list` resolved for them.
  static let ansible = [
    "site.ini", "values.ini", "precedence.ini", "mixed.ini", "cluster.yml", "overrides.yaml",
    "forms.yml",
  ].map { Fixture(name: $0, folder: "ansible") }

  /// A kubeadm HA cluster in haflow syntax: settings, ranges, group vars, nested groups, a
  /// local host.
  static let cluster = Fixture(name: "cluster.hf", folder: "haflow")

  /// Every inventory fixture.
  static let all = ansible + [cluster]

  /// The Ansible fixture named `name`.
  static func ansible(_ name: String) throws -> Fixture {
    try #require(ansible.first { $0.name == name }, "no Ansible fixture \(name)")
  }

  /// The `Fixtures` folder in the test bundle.
  static let root: URL? = Bundle.module.url(forResource: "Fixtures", withExtension: nil)

  /// The text of `Fixtures/PATH`.
  static func read(_ path: String) throws -> String {
    let root = try #require(root, "the test bundle has no Fixtures folder")
    return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
  }
}
