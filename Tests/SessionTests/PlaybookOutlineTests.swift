import Foundation
import Interpreter
import Session
import Testing

/// `Driver.outline`: a playbook's params and the literal host and group names a set of hosts
/// lacks — how `haflow rehearse` shapes its lab and picks the params it gives values to.
@Suite struct PlaybookOutlineTests {
  static let hosts: [(name: String, groups: [String])] = [
    ("lb", ["lab", "load_balancer"]), ("cp1", ["lab", "control_plane"]),
    ("w1", ["lab", "workers"]),
  ]

  static func outline(_ text: String, hosts: [(name: String, groups: [String])] = hosts) throws
    -> PlaybookOutline
  {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-outline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("play.hf").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return Driver(sink: DiscardingSink()).outline(path: path, hosts: hosts)
  }

  @Test func paramsAndTheirConstantDefaults() throws {
    let outline = try Self.outline(
      """
      param control_plane_endpoint: string
      param cni_manifest = "https://example.com/kube-flannel.yml"
      param rounds = 3
      param computed = env("HOME") ?? "x"
      """)
    #expect(outline.outcome.exitCode == 0)
    #expect(
      outline.params.map(\.name) == [
        "control_plane_endpoint", "cni_manifest", "rounds", "computed",
      ])
    #expect(outline.params.map(\.hasDefault) == [false, true, true, true])
    #expect(outline.params[1].constantText == "https://example.com/kube-flannel.yml")
    #expect(outline.params[2].constantText == nil, "only text defaults")
    #expect(outline.params[3].constantText == nil)
    #expect(outline.missingNames.isEmpty)
  }

  @Test func groupAndHostNamesTheHostsLack() throws {
    let outline = try Self.outline(
      """
      let members = group("etcd")
      step "a" on "control_plane" { `true` }
      step "b" on group("masters") { `true` }
      step "c" on "etcd,!w1" { `true` }
      step "d" on host("node9") { `true` }
      """)
    #expect(outline.outcome.exitCode == 0, "the names are not errors of the playbook")
    #expect(outline.missingNames == ["etcd", "masters", "node9"])
  }

  @Test func aPlaybookThatDoesNotCheck() throws {
    let outline = try Self.outline("step \"a\" on group(\"etcd\") { `true` \n")
    #expect(outline.outcome.exitCode == 65)
    #expect(outline.params.isEmpty && outline.missingNames.isEmpty)
  }
}
