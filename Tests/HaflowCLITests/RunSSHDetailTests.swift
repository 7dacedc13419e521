import Foundation
import Testing

/// `haflow run -vv` on `haflow lab` hosts (127.0.0.224–.226): the SSH-level detail — each
/// host's session with the auth method that worked, each command's channel opened and closed —
/// and the `host_connect` event's `auth` field in the `--log` file.
@Suite(.serialized) struct RunSSHDetailTests {
  @Test(.timeLimit(.minutes(3))) func veryVerboseShowsTheAuthMethodAndChannels() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-sshdetail-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await offThePool {
      defer { _ = try? HaflowCLI.run(["lab", "down"], in: directory) }
      let up = try HaflowCLI.run(["lab", "up", "--first-address", "127.0.0.224"], in: directory)
      try #require(up.status == 0, "\(up.stderr)")
      let inventory = directory.path + "/.haflow/lab/inventory.ini"
      let playbook = directory.path + "/detail.hf"
      try """
      step "hello" on "node1,node2" parallel { `echo hi` }
      step "fails" on "node1" { `exit 3` }
      """.write(toFile: playbook, atomically: true, encoding: .utf8)
      let log = directory.path + "/run.jsonl"
      let run = try HaflowCLI.run(
        ["run", "-vv", "-i", inventory, playbook, "--log", log], in: directory)
      #expect(run.status == 1, "\(run.stderr)")
      let events = try EventDocument.parse(lines: String(contentsOfFile: log, encoding: .utf8))
      let connects = events.filter { $0["event"]?.text == "host_connect" }
      #expect(connects.count == 2)
      let document = try EventDocument.load()
      for event in connects { #expect(document.problems(with: event).isEmpty, "\(event)") }
      for connect in connects {
        let host = try #require(connect["host"]?.text)
        let auth = try #require(connect["auth"]?.text, "\(connect)")
        // The lab's key, unless an ssh-agent of the caller's holds a key the lab accepts.
        #expect(
          auth == "agent" || (auth.hasPrefix("publickey (") && auth.hasSuffix("client_key)")),
          "\(auth)")
        #expect(
          run.stderr.contains("[\(host)] connected and authenticated by \(auth) ("),
          "\(run.stderr)")
      }
      for host in ["node1", "node2"] {
        #expect(run.stderr.contains("[\(host)] channel opened ("), "\(run.stderr)")
        #expect(run.stderr.contains("[\(host)] channel closed: exit 0 ("), "\(run.stderr)")
      }
      #expect(run.stderr.contains("[node1] channel closed: exit 3 ("), "\(run.stderr)")
      #expect(!run.stderr.contains("[node3]"), "node3 ran nothing")

      // Without -vv: no channel lines.
      let plain = try HaflowCLI.run(["run", "-v", "-i", inventory, playbook], in: directory)
      #expect(plain.status == 1)
      #expect(!plain.stderr.contains("channel opened"))
      #expect(!plain.stderr.contains("connected and authenticated"))
    }
  }
}
