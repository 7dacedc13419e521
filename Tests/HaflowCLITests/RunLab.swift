import Foundation
import Testing

/// A 3-host `haflow lab` on 127.0.0.200–.202 (node1–node3) for the `haflow run` experience
/// tests: events, progress and recap, selection, resume. Several suites use it and Swift
/// Testing runs suites side by side, so one lab at a time: each `withLab` holds `gate` (on
/// its own thread, off the cooperative pool) from `lab up` to `lab down`.
enum RunLab {
  /// Held while a lab on 127.0.0.200–.202 is up.
  private static let gate = NSLock()

  /// Starts the lab in a fresh directory, runs `body` with the directory and the lab's
  /// directory, and stops the lab whatever happens.
  static func withLab(_ body: @escaping @Sendable (URL, String) throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-runlab-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      gate.lock()
      defer { gate.unlock() }
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.200"], in: directory)
      try #require(up.status == 0, "\(up.stderr)")
      try body(directory, directory.path + "/.haflow/lab")
    }
  }
}
