import Foundation
import Testing

/// The `haflow` executable called as `kubeadm` through a symlink, as lab hosts will call it
/// from `/usr/local/bin`: the stand-in's output, and a real PKI checked with openssl.
@Suite struct KubeadmCommandTests {
  /// A directory with a `kubeadm` symlink to the built binary, and a root for its files.
  final class Links {
    let directory: URL
    let kubeadm: String
    let root: String

    init() throws {
      directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "haflow-kubeadm-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
      kubeadm = directory.appendingPathComponent("kubeadm").path
      try FileManager.default.createSymbolicLink(atPath: kubeadm, withDestinationPath: binary.path)
      root = directory.appendingPathComponent("root").path
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func run(_ arguments: String...) throws -> CLIResult {
      try HaflowCLI.run(
        arguments,
        launcher: [
          "/usr/bin/env", "HAFLOW_KUBEADM_ROOT=\(root)", "HAFLOW_KUBEADM_VERSION=v1.31.0",
        ],
        binary: kubeadm)
    }
  }

  /// Runs openssl through the same posix_spawn runner as the binary.
  static func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let result = try HaflowCLI.run(arguments, binary: "/usr/bin/openssl")
    return (result.status, result.stdout + result.stderr)
  }

  @Test func versionAndCertificateKey() throws {
    let links = try Links()
    let version = try links.run("version")
    #expect(version.status == 0)
    // LAB-FIDELITY.md §3.5: the real v1.31.0 line.
    #expect(
      version.stdout.hasPrefix(
        #"kubeadm version: &version.Info{Major:"1", Minor:"31", GitVersion:"v1.31.0", GitCommit:"9edcffcde5595e8a5b1a35f88c421764e575afce""#
      ))
    let key = try links.run("certs", "certificate-key")
    #expect(key.status == 0 && key.stderr.isEmpty)
    #expect(key.stdout.wholeMatch(of: /[0-9a-f]{64}\n/) != nil, "\(key.stdout)")
    let bad = try links.run("init", "--bogus")
    #expect(bad.status == 1)
    #expect(
      bad.stderr
        == "unknown flag: --bogus\nTo see the stack trace of this error execute with --v=5 or higher\n"
    )
    // Called as haflow, it is still haflow.
    let haflow = try HaflowCLI.run(["--version"])
    #expect(haflow.stdout.hasPrefix("haflow "))
  }

  @Test func initPhaseCertsAllWritesAVerifiablePKI() throws {
    let links = try Links()
    let result = try links.run(
      "init", "phase", "certs", "all", "--apiserver-advertise-address", "127.0.0.11",
      "--control-plane-endpoint", "127.0.0.10:6443", "--apiserver-cert-extra-sans", "api.lab")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.hasPrefix(
        "[certs] Using certificateDir folder \"/etc/kubernetes/pki\"\n[certs] Generating \"ca\" certificate and key\n"
      ))
    #expect(result.stdout.hasSuffix("[certs] Generating \"sa\" key and public key\n"))
    let pki = links.root + "/etc/kubernetes/pki"
    for (leaf, ca) in [
      ("apiserver", "ca"), ("apiserver-kubelet-client", "ca"),
      ("front-proxy-client", "front-proxy-ca"),
      ("etcd/server", "etcd/ca"), ("etcd/peer", "etcd/ca"), ("etcd/healthcheck-client", "etcd/ca"),
      ("apiserver-etcd-client", "etcd/ca"),
    ] {
      let verify = try Self.openssl(["verify", "-CAfile", "\(pki)/\(ca).crt", "\(pki)/\(leaf).crt"])
      #expect(verify.status == 0, "\(leaf): \(verify.output)")
      let crt = try FileManager.default.attributesOfItem(atPath: "\(pki)/\(leaf).crt")
      let key = try FileManager.default.attributesOfItem(atPath: "\(pki)/\(leaf).key")
      #expect((crt[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o644, "\(leaf).crt")
      #expect((key[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600, "\(leaf).key")
    }
    let text = try Self.openssl([
      "x509", "-in", "\(pki)/apiserver.crt", "-noout", "-ext", "subjectAltName",
    ])
    for name in [
      "DNS:api.lab", "DNS:kubernetes", "DNS:kubernetes.default.svc.cluster.local",
      "IP Address:10.96.0.1, IP Address:127.0.0.11, IP Address:127.0.0.10",
    ] {
      #expect(text.output.contains(name), "\(name) missing: \(text.output)")
    }
    let sa = try FileManager.default.attributesOfItem(atPath: "\(pki)/sa.pub")
    #expect((sa[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
    // Running it again reuses everything.
    let again = try links.run(
      "init", "phase", "certs", "ca", "--apiserver-advertise-address", "127.0.0.11")
    #expect(again.stdout == "[certs] Using existing ca certificate authority\n")
  }
}
