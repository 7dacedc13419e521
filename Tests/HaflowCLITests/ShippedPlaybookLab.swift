import Foundation
import Testing

/// A cluster lab in a directory of its own for the tests that drive the shipped playbooks as
/// an operator would (`haflow lab`, `haflow run`, `haflow exec`): brought up by `init`, taken
/// down and removed when the last reference goes. The suites add what they read back
/// (files, etcd members) in extensions of their own.
final class ShippedPlaybookLab: Sendable {
  /// The shipped playbooks.
  static let playbooks = HaflowCLI.packageRoot.appendingPathComponent("playbooks").path

  /// The directory `haflow lab` was run in.
  let directory: URL
  /// Run before the lab goes down (undo a fault the test planted).
  private let beforeDown: (@Sendable (ShippedPlaybookLab) -> Void)?
  /// The lab's own directory.
  var lab: String { directory.path + "/.haflow/lab" }
  /// Its Ansible-style inventory.
  var inventory: String { lab + "/inventory.ini" }

  /// `haflow lab up ARGUMENTS` in a new directory named after `name`.
  init(
    _ name: String, up arguments: [String],
    beforeDown: (@Sendable (ShippedPlaybookLab) -> Void)? = nil
  ) throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-\(name)-\(UUID().uuidString)")
    self.beforeDown = beforeDown
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let up = try HaflowCLI.run(["lab", "up"] + arguments, in: directory, limit: 120)
    try #require(up.status == 0, "\(up.stderr)")
  }

  deinit {
    beforeDown?(self)
    _ = try? HaflowCLI.run(["lab", "down"], in: directory)
    try? FileManager.default.removeItem(at: directory)
  }

  /// `haflow ARGUMENTS` in the lab's directory.
  func haflow(_ arguments: [String], limit: Double = 240) throws -> CLIResult {
    try HaflowCLI.run(arguments, in: directory, limit: limit)
  }

  /// `haflow run -i <lab inventory> playbooks/NAME ARGUMENTS`.
  func play(_ name: String, _ arguments: [String] = []) throws -> CLIResult {
    try haflow(["run", "-i", inventory, Self.playbooks + "/" + name] + arguments)
  }

  /// `kubectl get nodes` on cp1 through `haflow exec`: the columns after each name in `names`.
  func nodes(_ names: Set<String>) throws -> [String: [String]] {
    let result = try haflow([
      "exec", "-i", inventory, "cp1", "--sudo", "--",
      "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    return KubectlNodeTable.rows(result.stdout + result.stderr, names: names)
  }
}
