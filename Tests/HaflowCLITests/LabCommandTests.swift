import Foundation
import Testing

/// `haflow lab up|status|down`, end to end: real sshd hosts on 127.0.0.110–.112, a playbook
/// run on them through the lab's inventory, and nothing left running afterwards.
@Suite(.serialized) struct LabCommandTests {
  @Test(.timeLimit(.minutes(2))) func upRunStatusDown() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-labcli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let lab = directory.path + "/.haflow/lab"
    defer {
      _ = try? HaflowCLI.run(["lab", "down"], in: directory)
      try? FileManager.default.removeItem(at: directory)
    }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.110"], in: directory)
      #expect(up.status == 0, "\(up.stderr)")
      #expect(up.stdout == lab + "/inventory.ini\n")
      #expect(up.stderr.contains("started 3 of 3 hosts"))
      #expect(up.stderr.contains("haflow run -i \(lab)/inventory.ini"))

      let status = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(status.status == 0, "\(status.stderr)")
      let rows = status.stdout.split(separator: "\n").dropFirst()
      #expect(rows.count == 3)
      #expect(rows.allSatisfy { $0.hasSuffix("  up") && $0.contains("pid ") })
      #expect(rows.first?.hasPrefix("node1  127.0.0.110:") == true)

      // The inventory alone is enough: it names the key and the known_hosts file.
      let playbook = directory.path + "/hello.hf"
      try """
      step "say hello" on group("lab") parallel {
        let r = `echo hello; id -un`
        print("${current_host().name} ${replace(trim(r.stdout), "\\n", " ")}")
      }
      """.write(toFile: playbook, atomically: true, encoding: .utf8)
      let run = try HaflowCLI.run(["run", "-i", lab + "/inventory.ini", playbook], in: directory)
      #expect(run.status == 0, "\(run.stderr)")
      let user =
        up.stderr.contains("user root")
        ? "root" : (ProcessInfo.processInfo.environment["USER"] ?? "")
      #expect(
        run.stdout.split(separator: "\n").sorted()
          == ["node1 hello \(user)", "node2 hello \(user)", "node3 hello \(user)"])

      let again = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.110"], in: directory)
      #expect(again.status == 0)
      #expect(again.stderr.contains("the lab is already up"))
      #expect(again.stdout == lab + "/inventory.ini\n")

      let down = try HaflowCLI.run(["lab", "down"], in: directory)
      #expect(down.status == 0, "\(down.stderr)")
      #expect(down.stderr.contains("stopped 3 hosts"))
      #expect(LabCommandTests.processes(mentioning: lab).isEmpty, "sshd left running")
      let after = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(after.status == 1)
      #expect(after.stdout.contains("down (not running)"))
      let twice = try HaflowCLI.run(["lab", "down"], in: directory)
      #expect(twice.status == 0)
      #expect(twice.stderr.contains("nothing running"))
      let purge = try HaflowCLI.run(["lab", "down", "--purge"], in: directory)
      #expect(purge.status == 0)
      #expect(!FileManager.default.fileExists(atPath: lab))
    }
  }

  @Test(.timeLimit(.minutes(1))) func statusWithoutALabExits1() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-labcli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      let status = try HaflowCLI.run(["lab", "status"], in: directory)
      #expect(status.status == 1)
      #expect(status.stderr.contains("no lab in \(directory.path)/.haflow/lab"))
      let down = try HaflowCLI.run(["lab", "down"], in: directory)
      #expect(down.status == 0)
      let bad = try HaflowCLI.run(["lab", "up", "--hosts", "1001"], in: directory)
      #expect(bad.status == 2)
      #expect(bad.stderr.contains("--hosts must be 1-1000"))
      let help = try HaflowCLI.run(["lab", "--help"], in: directory)
      #expect(help.status == 0)
      #expect(help.stdout.contains("EXAMPLES:") && help.stdout.contains("haflow lab up --hosts 5"))
    }
  }

  /// Live processes whose command line mentions `text` (zombies excluded).
  static func processes(mentioning text: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name in
      guard let pid = Int32(name),
        let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline"),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      let state = stat[stat.index(after: close)...].split(separator: " ").first
      let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      return line.contains(text) && state != "Z" ? pid : nil
    }
  }
}
