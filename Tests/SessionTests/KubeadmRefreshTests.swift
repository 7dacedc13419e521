import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// `kubeadm.refresh_if_expired` against a `kubeadm` program (a script that records its
/// arguments and prints what kubeadm prints): the times in the join map decide what runs, so
/// the tests control the clock through `parse_init(…, at:, token_ttl:)`, as a playbook would
/// say when its output was printed.
@Suite struct KubeadmRefreshTests {
  static let newToken = "n3wtkn.0123456789abcdef"

  /// A directory with an executable `kubeadm` that appends its arguments to `calls`.
  static func fakeKubeadm() throws -> String {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-refresh-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let program = directory.appendingPathComponent("kubeadm").path
    let script = """
      #!/bin/sh
      echo "$*" >> '\(directory.path)/calls'
      case "$1 $2" in
        "token create") echo \(newToken) ;;
        "init phase")
          echo '[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace'
          echo '[upload-certs] Using certificate key:'
          echo "$6" ;;
      esac

      """
    try writeExecutable(script, to: program)
    return directory.path
  }

  /// Runs `body` after `let j = kubeadm.parse_init(out, PARSE)`; returns the printed lines,
  /// the events as text, the recorded calls and the file `joined` the body may write.
  func run(parse: String, _ body: String) async throws -> (
    printed: [String], events: String, calls: [String], joined: String
  ) {
    let directory = try Self.fakeKubeadm()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let transcript = KubeadmRedactionTests.transcript.replacingOccurrences(of: "\\", with: "\\\\")
    let source = """
      param dir: string
      let out = \"\"\"
      \(transcript.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        \"\"\"
      let j = kubeadm.parse_init(out\(parse))
      let r = kubeadm.refresh_if_expired(j, on: "localhost", margin: 10m, sudo: false, kubeadm: "${dir}/kubeadm")
      \(body)
      """
    let sink = RecordingSink()
    let options = RunOptions(params: ["dir": .text(directory)], environment: [:])
    let outcome = try await blocking {
      Driver(sink: sink).run(source: source, name: "<test>", options: options)
    }
    #expect(outcome.runtimeError == nil, "\(String(describing: outcome.runtimeError?.message))")
    #expect(outcome.diagnostics.filter { $0.severity == .error }.isEmpty, "\(outcome.diagnostics)")
    let calls =
      (try? String(contentsOfFile: directory + "/calls", encoding: .utf8))?
      .split(separator: "\n").map(String.init) ?? []
    let joined = (try? String(contentsOfFile: directory + "/joined", encoding: .utf8)) ?? ""
    return (sink.printed, sink.events.map { "\($0)" }.joined(separator: "\n"), calls, joined)
  }

  @Test(.timeLimit(.minutes(2)))
  func certificatesClosingWithinTheMarginAreUploadedAgainWithTheSameKey() async throws {
    // Uploaded 1h55m ago: the window closes in 5 minutes, inside the 10-minute margin.
    let (printed, events, calls, _) = try await run(
      parse: ", at: now() - 7200 + 300",
      """
      print(round((r.certificate_key_expires_at - now()) / 60))
      print(r.token == j.token, r.certificate_key == j.certificate_key, r.control_plane_join == j.control_plane_join)
      """)
    #expect(
      calls == [
        "init phase upload-certs --upload-certs --certificate-key \(KubeadmRedactionTests.key)"
      ])
    #expect(printed == ["120", "true true true"])
    #expect(
      events.contains(
        "re-uploading the control-plane certificates: their 2-hour window closes in 5m"))
    #expect(!events.contains(KubeadmRedactionTests.key))
  }

  @Test(.timeLimit(.minutes(2)))
  func anExpiredTokenIsReplacedInTheMapAndItsJoins() async throws {
    // Printed an hour ago with a 30-minute token: the token expired, the certificates have 1h.
    let (printed, events, calls, joined) = try await run(
      parse: ", at: now() - 3600, token_ttl: 30m",
      """
      print(reveal(r.token) == "\(Self.newToken)", r.token == j.token)
      on "localhost" { `echo ${r.worker_join} > ${dir}/joined` }
      print(r.worker_join != j.worker_join, r.worker_join)
      print(round((r.token_expires_at - now()) / 3600), r.certificate_key_expires_at == j.certificate_key_expires_at)
      print(r.control_plane_join)
      """)
    #expect(calls == ["token create --ttl 86400s"])
    #expect(
      joined
        == "kubeadm join lb.internal:6443 --token \(Self.newToken) --discovery-token-ca-cert-hash "
        + "\(KubeadmRedactionTests.hash)\n")
    #expect(printed.count == 4)
    #expect(printed.first == "true false")
    #expect(
      printed.dropFirst().first
        == "true `kubeadm join lb.internal:6443 --token <secret bootstrap-token> "
        + "--discovery-token-ca-cert-hash \(KubeadmRedactionTests.hash)`")
    #expect(printed.dropFirst(2).first == "24 true")
    #expect(events.contains("making a new bootstrap token: the token expired 30m ago"))
    #expect(!events.contains(Self.newToken), "the new token reached the events in clear")
    #expect(!events.contains(KubeadmRedactionTests.token))
  }

  @Test(.timeLimit(.minutes(2)))
  func nothingRunsWhileBothAreValidBeyondTheMargin() async throws {
    let (printed, _, calls, _) = try await run(parse: "", "print(r == j)")
    #expect(calls.isEmpty)
    #expect(printed == ["true"])
  }
}
