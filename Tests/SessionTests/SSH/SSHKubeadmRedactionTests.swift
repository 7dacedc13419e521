import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

/// Over SSH, through the path every command of a playbook takes (`CommandExecution`): a
/// `kubeadm` on a real sshd host prints its init transcript in 7-byte writes; the events never
/// carry its token or key, and the result still gives the parser the real values.
@Suite(.sshServer(address: "127.0.0.2"), .enabled(if: TestUsers.canCreate))
struct SSHKubeadmRedactionTests {
  @Test(.timeLimit(.minutes(2)))
  func kubeadmOverSSHIsRedactedAsItStreams() async throws {
    let server = try SSHServerFixture.require()
    let directory = try server.scratch("kubeadm-\(UUID().uuidString)")
    let data = directory + "/transcript"
    try KubeadmRedactionTests.transcript.write(toFile: data, atomically: true, encoding: .utf8)
    let program = directory + "/kubeadm"
    try writeExecutable("#!/bin/sh\ndd if=\(data) bs=7 2>/dev/null\n", to: program)
    let sink = RecordingSink()
    let result = try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      let run = RunContext(sink: sink, executor: executor, builtins: Stdlib.table)
      let request = CommandRequest(
        command: CommandValue([.word(program), .raw(" init --upload-certs")]),
        host: server.host("cp1"))
      return try CommandExecution.run(request, in: run, check: true)
    }
    let events = sink.events.map { "\($0)" }.joined(separator: "\n")
    #expect(!events.contains(KubeadmRedactionTests.token))
    #expect(!events.contains(KubeadmRedactionTests.key))
    #expect(events.contains("[bootstrap-token] Using token: <secret bootstrap-token>"))
    let parsed = try KubeadmOutputParser.parseInit(result.stdout)
    #expect(parsed.token == KubeadmRedactionTests.token)
    #expect(parsed.certificateKey == KubeadmRedactionTests.key)
    #expect(parsed.controlPlaneJoin?.endpoint == "lb.internal:6443")
  }
}
