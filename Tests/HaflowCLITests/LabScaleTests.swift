import Foundation
import Testing

/// Hundreds of hosts: `haflow lab up --hosts 500` from 127.0.4.0 (its addresses run on past
/// the /24, to 127.0.5.243), then `haflow exec` and a parallel `haflow run` (which locks every
/// host) reach all of them, and `lab down` stops them all.
@Suite(.serialized, .enabled(if: getuid() == 0)) struct LabScaleTests {
  @Test(.timeLimit(.minutes(15))) func fiveHundredHostsAreUpReachedAndDown() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-scale-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      var isDown = false
      defer { if !isDown { _ = try? HaflowCLI.run(["lab", "down"], in: directory, limit: 600) } }
      let up = try HaflowCLI.run(
        ["lab", "up", "--hosts", "500", "--first-address", "127.0.4.0"], in: directory,
        limit: 600)
      try #require(up.status == 0, "\(up.stderr)")
      #expect(up.stderr.contains("node1 up: 127.0.4.0:"), "\(up.stderr.prefix(2000))")
      #expect(up.stderr.contains("node257 up: 127.0.5.0:"))
      #expect(up.stderr.contains("node500 up: 127.0.5.243:"))
      let inventory = directory.path + "/.haflow/lab/inventory.ini"

      let exec = try HaflowCLI.run(
        ["exec", "-i", inventory, "all", "--forks", "64", "--", "echo $((6*7))"], in: directory,
        limit: 600)
      #expect(exec.status == 0, "\(exec.stderr.suffix(2000))")
      #expect(exec.stderr.hasPrefix("RECAP ok in "), "\(exec.stderr.suffix(2000))")
      #expect(exec.stderr.components(separatedBy: " changed=1 failed=0 ").count == 501)
      #expect(exec.stdout.components(separatedBy: "| ok | rc=0").count == 501)
      #expect(exec.stdout.components(separatedBy: "\n42\n").count == 501)

      let playbook = directory.appendingPathComponent("all.hf").path
      try "step \"twice\" on \"lab\" parallel {\n  `true`\n  `true`\n}\n"
        .write(toFile: playbook, atomically: true, encoding: .utf8)
      let run = try HaflowCLI.run(
        ["run", "-q", "-i", inventory, playbook], in: directory, limit: 600)
      #expect(run.status == 0, "\(run.stderr.suffix(2000))")
      #expect(run.stderr.contains("RECAP ok"), "\(run.stderr.suffix(2000))")
      #expect(
        run.stderr.components(separatedBy: "ok=0 changed=1 failed=0 skipped=0 unreachable=0")
          .count == 501)

      let down = try HaflowCLI.run(["lab", "down"], in: directory, limit: 600)
      isDown = true
      #expect(down.status == 0, "\(down.stderr.suffix(2000))")
      #expect(down.stderr.contains("stopped 500 hosts"), "\(down.stderr.suffix(2000))")
      #expect(!SSHListeners.any(on: ["127.0.4.0", "127.0.5.0", "127.0.5.243"]))
    }
  }
}

/// Whether something listens on port 22 of any of `addresses`.
enum SSHListeners {
  static func any(on addresses: [String]) -> Bool {
    addresses.contains { address in
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      defer { close(fd) }
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_port = UInt16(22).bigEndian
      inet_pton(AF_INET, address, &addr.sin_addr)
      return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
    }
  }
}
