import Foundation
import Testing

/// `haflow kubeadm parse-init`: the fields of an init output, secrets redacted unless
/// `--reveal`, the exact JSON keys, exit 1 without a join command.
@Suite struct KubeadmParseInitTests {
  static let token = "9a08jv.c0izixklcxtmnze7"
  static let key = "f8d1c027c01baef6985ddf24266641b7c64f9fd922b15a32fce40b6b4b21e47d"
  static let hash = "sha256:4d170b1dfb24229319e0439a052b3cb56d02b152fc5903a4e4753e4fa76f8aca"

  /// The end of a v1.32 `kubeadm init --upload-certs` (templates T02 + T04).
  static let transcript = """
    [upload-certs] Using certificate key:
    \(key)
    Your Kubernetes control-plane has initialized successfully!

    You can now join any number of control-plane nodes running the following command on each as root:

      kubeadm join lb:6443 --token \(token) \\
    \t--discovery-token-ca-cert-hash \(hash) \\
    \t--control-plane --certificate-key \(key)

    Then you can join any number of worker nodes by running the following on each as root:

    kubeadm join lb:6443 --token \(token) \\
    \t--discovery-token-ca-cert-hash \(hash) 

    """

  @Test func printsTheFieldsRedacted() throws {
    let workspace = try Workspace()
    let file = try workspace.write("init.log", Self.transcript)
    let result = try HaflowCLI.run(["kubeadm", "parse-init", file])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(!result.stdout.contains(Self.token) && !result.stdout.contains(Self.key))
    #expect(result.stdout.contains("token:                        <secret bootstrap-token>\n"))
    #expect(
      result.stdout.contains(
        "worker_join:                  kubeadm join lb:6443 --token <secret bootstrap-token> "
          + "--discovery-token-ca-cert-hash \(Self.hash)\n"))
  }

  @Test func jsonHasExactlyTheKeysAndRevealsOnRequest() throws {
    let workspace = try Workspace()
    let file = try workspace.write("init.log", Self.transcript)
    let result = try HaflowCLI.run(["kubeadm", "parse-init", "--json", "--reveal", file])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "endpoint", "token", "discovery_token_ca_cert_hash", "certificate_key",
        "control_plane_join", "worker_join",
      ])
    #expect(object["endpoint"] as? String == "lb:6443")
    #expect(object["token"] as? String == Self.token)
    #expect(object["certificate_key"] as? String == Self.key)
    #expect(object["discovery_token_ca_cert_hash"] as? String == Self.hash)
    #expect(
      object["control_plane_join"] as? String
        == "kubeadm join lb:6443 --token \(Self.token) --discovery-token-ca-cert-hash \(Self.hash) "
        + "--control-plane --certificate-key \(Self.key)")
    #expect(
      object["worker_join"] as? String
        == "kubeadm join lb:6443 --token \(Self.token) --discovery-token-ca-cert-hash \(Self.hash)")
  }

  /// Standard input, a worker-only output (`--print-join-command`): absent fields are null.
  @Test func readsStandardInputAndPrintsNullForWhatIsAbsent() throws {
    let workspace = try Workspace()
    let file = try workspace.write(
      "join.txt",
      "kubeadm join 10.0.0.5:6443 --token \(Self.token) --discovery-token-ca-cert-hash \(Self.hash) \n"
    )
    let result = try HaflowCLI.run(
      ["kubeadm", "parse-init", "--json", "-"],
      launcher: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < '\(file)'"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("\"certificate_key\": null"))
    #expect(result.stdout.contains("\"control_plane_join\": null"))
    #expect(result.stdout.contains("\"token\": \"<secret bootstrap-token>\""))
  }

  @Test func noJoinCommandExitsOneNamingWhatIsMissing() throws {
    let workspace = try Workspace()
    // Cut before the worker join: the heading above it has no command.
    let range = try #require(Self.transcript.range(of: "kubeadm join lb:6443", options: .backwards))
    let cut = String(Self.transcript[..<range.lowerBound])
    for (name, text, message) in [
      ("none.log", "[preflight] Running pre-flight checks\n", "no join command"),
      ("cut.log", cut, "cut short"),
    ] {
      let file = try workspace.write(name, text)
      let result = try HaflowCLI.run(["kubeadm", "parse-init", "--json", file])
      #expect(result.status == 1, "\(name)")
      #expect(result.stdout.isEmpty, "\(name): \(result.stdout)")
      #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
    }
  }

  @Test func helpTeaches() throws {
    let result = try HaflowCLI.run(["kubeadm", "parse-init", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("EXAMPLES:"))
    #expect(result.stdout.contains("--reveal"))
    #expect(result.stdout.contains("discovery_token_ca_cert_hash"))
  }
}
