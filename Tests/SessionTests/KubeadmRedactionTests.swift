import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// What a real `kubeadm` program prints (here a script named `kubeadm` that prints an init
/// transcript) is redacted as it streams: the bootstrap token and the certificate key kubeadm
/// generated never reach the events in clear, though the playbook never marked them secret,
/// and `kubeadm.parse_init` still reads their real values from the result.
@Suite struct KubeadmRedactionTests {
  static let token = "q7x2kd.m3v9w8r1t5y6u0pa"
  static let key = "5cf38ca270d75eb11fac6b3ef77b0e1ef7318d56a1edf3ad0687c72281c89aca"
  static let hash = "sha256:4d170b1dfb24229319e0439a052b3cb56d02b152fc5903a4e4753e4fa76f8aca"

  /// The end of a v1.24 `kubeadm init --upload-certs` (templates T01 + T04, tab indentation).
  static let transcript = """
    [upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace
    [upload-certs] Using certificate key:
    \(key)
    [bootstrap-token] Using token: \(token)
    Your Kubernetes control-plane has initialized successfully!

    You can now join any number of the control-plane node running the following command on each as root:

      kubeadm join lb.internal:6443 --token \(token) \\
    \t--discovery-token-ca-cert-hash \(hash) \\
    \t--control-plane --certificate-key \(key)

    Then you can join any number of worker nodes by running the following on each as root:

    kubeadm join lb.internal:6443 --token \(token) \\
    \t--discovery-token-ca-cert-hash \(hash)

    """

  /// A directory holding an executable `kubeadm` that prints the transcript in small chunks.
  static func fakeKubeadm() throws -> String {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-kubeadm-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let data = directory.appendingPathComponent("transcript").path
    try transcript.write(toFile: data, atomically: true, encoding: .utf8)
    let program = directory.appendingPathComponent("kubeadm").path
    // dd writes 7 bytes at a time: values arrive split across reads.
    try writeExecutable("#!/bin/sh\ndd if=\(data) bs=7 2>/dev/null\n", to: program)
    return directory.path
  }

  @Test(.timeLimit(.minutes(2)))
  func kubeadmsTokenAndKeyNeverStreamInClearButReachTheParser() async throws {
    let directory = try Self.fakeKubeadm()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let sink = RecordingSink()
    let source = """
      param dir: string
      let r = on "localhost" { `${dir}/kubeadm init --upload-certs` }
      let j = kubeadm.parse_init(r)
      print(j.control_plane_join)
      print("token:", j.token, "key:", j.certificate_key)
      print(r.stdout)
      assert(reveal(j.token) == "\(Self.token)")
      assert(reveal(j.certificate_key) == "\(Self.key)")
      assert(j.discovery_token_ca_cert_hash == "\(Self.hash)")
      """
    let options = RunOptions(params: ["dir": .text(directory)], environment: [:])
    let outcome = try await blocking {
      Driver(sink: sink).run(source: source, name: "<test>", options: options)
    }
    #expect(outcome.runtimeError == nil, "\(String(describing: outcome.runtimeError?.message))")
    let events = sink.events.map { "\($0)" }.joined(separator: "\n")
    #expect(!events.contains(Self.token))
    #expect(!events.contains(Self.key))
    #expect(!events.contains("q7x2kd.m3v9"))
    let lines = sink.outputLines.map(\.0)
    #expect(lines.contains("<secret certificate-key>"))
    #expect(lines.contains("[bootstrap-token] Using token: <secret bootstrap-token>"))
    #expect(lines.contains("\t--control-plane --certificate-key <secret certificate-key>"))
    #expect(events.contains("token: <secret bootstrap-token> key: <secret certificate-key>"))
    #expect(
      events.contains(
        "kubeadm join lb.internal:6443 --token <secret bootstrap-token> "
          + "--discovery-token-ca-cert-hash \(Self.hash) --control-plane --certificate-key "
          + "<secret certificate-key>"))
  }

  /// Another program's output is not scanned: a token-shaped value `cat` prints stays.
  @Test(.timeLimit(.minutes(2)))
  func otherProgramsOutputIsNotScanned() async throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-notkubeadm-\(UUID().uuidString)").path
    try "host abcdef.0123456789abcdef\n".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let sink = RecordingSink()
    let options = RunOptions(params: ["file": .text(file)], environment: [:])
    let outcome = try await blocking {
      Driver(sink: sink).run(
        source: "param file: string\non \"localhost\" { `cat ${file}` }", name: "<test>",
        options: options)
    }
    #expect(outcome.runtimeError == nil)
    #expect(sink.outputLines.map(\.0) == ["host abcdef.0123456789abcdef"])
  }
}
