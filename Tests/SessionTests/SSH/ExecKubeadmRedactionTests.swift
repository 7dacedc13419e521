import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session

/// `haflow exec`'s engine hides kubeadm's secrets as a playbook does: a `kubeadm` that prints
/// its init transcript in 7-byte writes, run on a real sshd host and on this machine, never
/// gives its token or key to the streamed lines or the results shown; `reveal` gives the
/// results in clear; another program's output is left alone.
@Suite(.sshServer(address: "127.0.0.2"), .enabled(if: TestUsers.canCreate))
struct ExecKubeadmRedactionTests {
  /// A directory (under `root`) holding the transcript and a `kubeadm` that prints it.
  static func fakeKubeadm(in root: String) throws -> String {
    let data = root + "/transcript"
    try KubeadmRedactionTests.transcript.write(toFile: data, atomically: true, encoding: .utf8)
    let program = root + "/kubeadm"
    try writeExecutable(
      "#!/bin/sh\ndd if=\(data) bs=7 2>/dev/null\necho \"stderr: \(KubeadmRedactionTests.token)\" >&2\n",
      to: program)
    return program
  }

  static func check(_ outcomes: [AdHocRun.Outcome], _ sink: RecordingSink) {
    let events = sink.events.map { "\($0)" }.joined(separator: "\n")
    #expect(!events.contains(KubeadmRedactionTests.token))
    #expect(!events.contains(KubeadmRedactionTests.key))
    #expect(events.contains("[bootstrap-token] Using token: <secret bootstrap-token>"))
    for outcome in outcomes {
      let result = outcome.result
      #expect(result?.exitStatus == 0, "\(outcome.error?.message ?? "")")
      #expect(result?.stdout.contains(KubeadmRedactionTests.token) == false)
      #expect(result?.stdout.contains(KubeadmRedactionTests.key) == false)
      #expect(
        result?.stdout.contains("--control-plane --certificate-key <secret certificate-key>")
          == true)
      #expect(result?.stderr == "stderr: <secret bootstrap-token>\n")
    }
  }

  @Test(.timeLimit(.minutes(2)))
  func execOverSSHRedactsKubeadmsSecrets() async throws {
    let server = try SSHServerFixture.require()
    let program = try Self.fakeKubeadm(in: try server.scratch("exec-kubeadm-\(UUID().uuidString)"))
    let sink = RecordingSink()
    let (hidden, shown) = try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let request = CommandRequest(command: CommandValue([.raw(program + " init")]), host: nil)
      let hosts = [server.host("cp1"), server.host("cp2")]
      let hidden = AdHocRun.run(request, on: hosts, executor: executor, forks: 2, sink: sink)
      let shown = AdHocRun.run(
        request, on: [hosts[0]], executor: executor, forks: 1, sink: DiscardingSink(),
        reveal: true)
      return (hidden, shown)
    }
    #expect(hidden.count == 2)
    Self.check(hidden, sink)
    #expect(shown.first?.result?.stdout.contains(KubeadmRedactionTests.key) == true)
  }

  @Test(.timeLimit(.minutes(2)))
  func execOnThisMachineRedactsKubeadmsSecretsButNotOtherPrograms() async throws {
    let root = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-exec-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let program = try Self.fakeKubeadm(in: root)
    let sink = RecordingSink()
    let local = Host(name: "localhost", address: "127.0.0.1", connection: .local)
    let (hidden, other) = try await blocking {
      let executor = LocalExecutor(killGrace: .milliseconds(500))
      let hidden = AdHocRun.run(
        CommandRequest(command: CommandValue([.raw(program + " init")]), host: nil),
        on: [local], executor: executor, forks: 1, sink: sink)
      let other = AdHocRun.run(
        CommandRequest(command: CommandValue([.raw("cat " + root + "/transcript")]), host: nil),
        on: [local], executor: executor, forks: 1, sink: DiscardingSink())
      return (hidden, other)
    }
    Self.check(hidden, sink)
    #expect(other.first?.result?.stdout == KubeadmRedactionTests.transcript)
  }
}
