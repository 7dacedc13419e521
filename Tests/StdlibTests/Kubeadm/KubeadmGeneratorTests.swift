import Foundation
import Interpreter
import Testing
import Yams

@testable import Stdlib

/// `kubeadm.token`, `certificate_key`, `ca_cert_hash`, `config` and `join_config`: kubeadm's
/// formats, a CA pin checked against openssl's, configs read back by a YAML parser.
@Suite struct KubeadmGeneratorTests {
  @Test func tokensAndKeysHaveKubeadmsFormatsAndAreSecrets() throws {
    let h = Harness()
    var seen: Set<String> = []
    for _ in 0..<50 {
      guard case .secret(let token) = try h.call("kubeadm.token"),
        case .secret(let key) = try h.call("kubeadm.certificate_key")
      else {
        Issue.record("not secrets")
        return
      }
      #expect(KubeadmFormats.isToken(token.value), "\(token.value)")
      #expect(KubeadmFormats.isCertificateKey(key.value), "\(key.value)")
      #expect(token.redacted == "<secret bootstrap-token>")
      #expect(key.redacted == "<secret certificate-key>")
      seen.insert(token.value)
      seen.insert(key.value)
    }
    #expect(seen.count == 100)
  }

  /// The CA pin is what kubeadm's docs compute with openssl (`openssl x509 -pubkey | openssl
  /// pkey -pubin -outform der | sha256sum`), for an RSA and an EC CA.
  @Test(arguments: ["rsa:2048", "ec"])
  func caCertHashMatchesOpenssl(_ algorithm: String) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "haflow-ca-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let cert = directory.appendingPathComponent("ca.crt").path
    let key = directory.appendingPathComponent("ca.key").path
    var arguments = [
      "openssl req -x509 -newkey \(algorithm)", "-keyout \(key) -out \(cert) -nodes -days 1",
      "-subj /CN=kubernetes",
    ]
    if algorithm == "ec" { arguments[0] += " -pkeyopt ec_paramgen_curve:P-256" }
    _ = try Self.shell(arguments.joined(separator: " ") + " 2>/dev/null")
    let expected = try Self.shell(
      "openssl x509 -pubkey -in \(cert) | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1"
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let pem = try String(contentsOfFile: cert, encoding: .utf8)
    #expect(try Harness().call("kubeadm.ca_cert_hash", .s(pem)) == .s("sha256:" + expected))
    #expect(expected.count == 64)
    let error = Harness().error("kubeadm.ca_cert_hash", .s("not a certificate"))
    #expect(error?.hasPrefix("kubeadm.ca_cert_hash: not a PEM certificate") == true)
  }

  @Test func initConfigReadsBackWithEveryField() throws {
    let token = Value.secret(Secret("abcdef.0123456789abcdef", label: "tok"))
    let key = String(repeating: "ab", count: 32)
    let value = try Harness().call(
      "kubeadm.config", .s("lb.example:6443"),
      named: [
        ("kubernetes_version", .s("v1.31.2")), ("pod_subnet", .s("10.244.0.0/16")),
        ("service_subnet", .s("10.96.0.0/12")), ("certificate_key", .s(key)), ("token", token),
        ("advertise_address", .s("10.0.0.11")),
        (
          "etcd",
          .map([
            "endpoints": .strings("https://10.0.0.21:2379", "https://10.0.0.22:2379")
          ])
        ),
      ])
    guard case .secret(let rendered) = value else {
      Issue.record("a config holding a secret token is not a secret: \(value)")
      return
    }
    #expect(rendered.redacted == "<secret kubeadm-config>")
    let documents = try Array(Yams.load_all(yaml: rendered.value)).compactMap {
      $0 as? [String: Any]
    }
    #expect(documents.count == 2)
    let initDocument = documents[0]
    let cluster = documents[1]
    #expect(initDocument["apiVersion"] as? String == "kubeadm.k8s.io/v1beta4")
    #expect(initDocument["kind"] as? String == "InitConfiguration")
    #expect(initDocument["certificateKey"] as? String == key)
    let tokens = initDocument["bootstrapTokens"] as? [[String: Any]]
    #expect(tokens?.first?["token"] as? String == "abcdef.0123456789abcdef")
    #expect(
      (initDocument["localAPIEndpoint"] as? [String: Any])?["advertiseAddress"] as? String
        == "10.0.0.11")
    #expect(cluster["kind"] as? String == "ClusterConfiguration")
    #expect(cluster["controlPlaneEndpoint"] as? String == "lb.example:6443")
    #expect(cluster["kubernetesVersion"] as? String == "v1.31.2")
    let networking = cluster["networking"] as? [String: Any]
    #expect(networking?["podSubnet"] as? String == "10.244.0.0/16")
    #expect(networking?["serviceSubnet"] as? String == "10.96.0.0/12")
    let external = (cluster["etcd"] as? [String: Any])?["external"] as? [String: Any]
    #expect(
      external?["endpoints"] as? [String] == ["https://10.0.0.21:2379", "https://10.0.0.22:2379"])
    #expect(external?["caFile"] as? String == "/etc/kubernetes/pki/etcd/ca.crt")
    #expect(external?["certFile"] as? String == "/etc/kubernetes/pki/apiserver-etcd-client.crt")
    #expect(external?["keyFile"] as? String == "/etc/kubernetes/pki/apiserver-etcd-client.key")
  }

  @Test func configWithoutSecretsIsText() throws {
    let value = try Harness().call("kubeadm.config", .s("lb:6443"))
    guard case .string(let text) = value else {
      Issue.record("\(value)")
      return
    }
    #expect(text.contains("kind: InitConfiguration\n---\n"))
    #expect(!text.contains("networking"))
  }

  @Test func joinConfigReadsBack() throws {
    let hash = "sha256:" + String(repeating: "0f", count: 32)
    let key = String(repeating: "cd", count: 32)
    let value = try Harness().call(
      "kubeadm.join_config", .s("lb:6443"), .s("abcdef.0123456789abcdef"), .s(hash),
      named: [("control_plane", .bool(true)), ("certificate_key", .s(key))])
    guard case .secret(let rendered) = value else {
      Issue.record("\(value)")
      return
    }
    let document = try #require(try Yams.load(yaml: rendered.value) as? [String: Any])
    #expect(document["kind"] as? String == "JoinConfiguration")
    let discovery = (document["discovery"] as? [String: Any])?["bootstrapToken"] as? [String: Any]
    #expect(discovery?["apiServerEndpoint"] as? String == "lb:6443")
    #expect(discovery?["token"] as? String == "abcdef.0123456789abcdef")
    #expect(discovery?["caCertHashes"] as? [String] == [hash])
    #expect((document["controlPlane"] as? [String: Any])?["certificateKey"] as? String == key)
  }

  @Test func badConfigArgumentsAreNamed() {
    let h = Harness()
    #expect(
      h.error("kubeadm.config", .s("lb:6443"), named: [("pod_subnet", .s("10.244.0.0"))])
        == "bad argument #3 to 'kubeadm.config' ('10.244.0.0' is not a CIDR (10.244.0.0/16))")
    #expect(
      h.error("kubeadm.config", .s("http://lb:6443"))
        == "bad argument #1 to 'kubeadm.config' ('http://lb:6443' is not host:port)")
    #expect(
      h.error("kubeadm.config", .s("lb:6443"), named: [("token", .s("abc"))])
        == "bad argument #7 to 'kubeadm.config' (not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}))")
    #expect(
      h.error("kubeadm.config", .s("lb:6443"), named: [("etcd", .map(["endpoint": .s("x")]))])?
        .contains("unknown key 'endpoint'") == true)
    #expect(
      h.error(
        "kubeadm.join_config", .s("lb:6443"), .s("abcdef.0123456789abcdef"), .s("sha256:12"))?
        .contains("is not sha256: and 64 hex digits") == true)
  }

  @Test func cidrs() {
    for good in [
      "10.244.0.0/16", "192.168.0.0/24", "fd00:10:244::/56", "10.244.0.0/16,fd00::/56", "0.0.0.0/0",
    ] {
      #expect(KubeadmValidation.isCIDR(good), "\(good)")
    }
    for bad in [
      "10.244.0.0", "10.244.0.0/33", "10.244.0/16", "300.1.1.1/8", "fd00:::/56", "x/8", "",
      "1.2.3.4/",
    ] {
      #expect(!KubeadmValidation.isCIDR(bad), "\(bad)")
    }
  }

  static func shell(_ command: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
