import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The README's main job: the shipped HA playbooks rehearsed end to end on the lab — init on
/// cp1, the CNI, two control planes joined with the uploaded certificates, three workers —
/// for both topologies, with no secret in what the operator sees. In the serialized
/// `RehearseCommandTests`, on its addresses (127.0.0.64–.73).
extension RehearseCommandTests {
  /// Whether TEXT shows a bootstrap token or a certificate key in clear (the CA hash is
  /// public and allowed).
  static func showsSecret(_ text: String) throws -> Bool {
    let secret = try Regex(#"[a-z0-9]{6}\.[a-z0-9]{16}|certificate-key[ =][0-9a-f]{64}"#)
    return text.firstMatch(of: secret) != nil
  }

  /// The report's line for NAME in the nodes table.
  static func nodeLine(_ text: String, _ name: String) -> String? {
    text.split(separator: "\n").map(String.init).first {
      $0.hasPrefix("    \(name)  ") && $0.contains(" v1.")
    }
  }

  @Test(.timeLimit(.minutes(6)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func shippedStackedPlaybookBuildsTheCluster() async throws {
    let site = try Site()
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", HaflowCLI.packageRoot.path + "/playbooks/stacked-etcd.hf",
          "--first-address", Self.address,
        ], limit: 300)
      let all = result.stdout + result.stderr
      #expect(result.status == 0, "\(all)")
      #expect(all.contains("lab up (stacked: lb, 3 control planes, 3 workers)"), "\(all)")
      #expect(all.contains("kubeadm init --control-plane-endpoint 127.0.0.64:6443 --upload-certs"))
      for name in ["cp1", "cp2", "cp3"] {
        let line = Self.nodeLine(all, name)
        #expect(
          line?.contains("Ready  control-plane") == true, "\(name): \(String(describing: line))")
        #expect(all.contains("    \(name)  etcd running, kube-apiserver running"), "\(name)")
      }
      for name in ["w1", "w2", "w3"] {
        let line = Self.nodeLine(all, name)
        #expect(line?.contains("Ready  <none>") == true, "\(name): \(String(describing: line))")
      }
      let members = all.split(separator: "\n").filter {
        $0.contains("started  https://127.0.0.") && $0.hasSuffix("  healthy")
      }
      #expect(members.count == 3, "\(all)")
      #expect(try !Self.showsSecret(all), "a secret in clear")
      #expect(all.contains("--certificate-key <secret certificate-key>"))
      #expect(all.contains("haflow rehearse: lab down in "))
      site.expectGone()
      #expect(!FileManager.default.fileExists(atPath: site.lab))
    }
  }

  @Test(.timeLimit(.minutes(6)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func shippedExternalEtcdPlaybookBuildsTheCluster() async throws {
    let site = try Site()
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", HaflowCLI.packageRoot.path + "/playbooks/external-etcd.hf",
          "--first-address", Self.address, "--workers", "1",
        ], limit: 300)
      let all = result.stdout + result.stderr
      #expect(result.status == 0, "\(all)")
      #expect(all.contains("3 etcd hosts"), "\(all)")
      for name in ["cp1", "cp2", "cp3"] {
        let line = Self.nodeLine(all, name)
        #expect(
          line?.contains("Ready  control-plane") == true, "\(name): \(String(describing: line))")
        // External etcd: the control planes run no etcd of their own.
        #expect(all.contains("    \(name)    kube-apiserver running"), "\(name): \(all)")
      }
      #expect(Self.nodeLine(all, "w1")?.contains("Ready  <none>") == true, "\(all)")
      for name in ["etcd1", "etcd2", "etcd3"] {
        #expect(all.contains("    \(name)  etcd running"), "\(name)")
        let member = all.split(separator: "\n").first {
          $0.hasPrefix("    \(name)  started  https://127.0.0.") && $0.hasSuffix("  healthy")
        }
        #expect(member != nil, "\(name) is no healthy member: \(all)")
      }
      #expect(try !Self.showsSecret(all), "a secret in clear")
      site.expectGone()
      #expect(!FileManager.default.fileExists(atPath: site.lab))
    }
  }

  /// What a control plane joined by manual-certs.hf holds under /etc/kubernetes/pki with
  /// external etcd: the page's shared files (no `etcd/ca.key`), plus what its join makes.
  static let manualControlPlanePKI = [
    "apiserver-etcd-client.crt", "apiserver-etcd-client.key", "apiserver-kubelet-client.crt",
    "apiserver-kubelet-client.key", "apiserver.crt", "apiserver.key", "ca.crt", "ca.key",
    "etcd/ca.crt", "front-proxy-ca.crt", "front-proxy-ca.key", "front-proxy-client.crt",
    "front-proxy-client.key", "sa.key", "sa.pub",
  ]

  @Test(.timeLimit(.minutes(6)), .enabled(if: getuid() == 0, "cluster labs need root"))
  func shippedManualCertsPlaybookCopiesThePagesFiles() async throws {
    let site = try Site()
    try await offThePool {
      let result = try site.haflow(
        [
          "rehearse", HaflowCLI.packageRoot.path + "/playbooks/manual-certs.hf",
          "--first-address", Self.address, "--workers", "1", "--keep",
        ], limit: 300)
      let all = result.stdout + result.stderr
      #expect(result.status == 0, "\(all)")
      #expect(all.contains("init the first control plane, no --upload-certs"), "\(all)")
      #expect(!all.contains("--upload-certs --certificate-key"))
      for name in ["cp2", "cp3"] {
        #expect(all.contains("\(name): 9 files match cp1's (9 copied, 0 in place already)"))
        let files = PlaybookLabTests.pkiFiles(lab: site.lab, host: name)
        #expect(files.map(\.0) == Self.manualControlPlanePKI, "\(name): \(files)")
        for (file, mode) in files where file.hasSuffix(".key") {
          #expect(mode == 0o600, "\(name) \(file): \(mode)")
        }
        let line = Self.nodeLine(all, name)
        #expect(
          line?.contains("Ready  control-plane") == true, "\(name): \(String(describing: line))")
      }
      #expect(Self.nodeLine(all, "w1")?.contains("Ready  <none>") == true, "\(all)")
      #expect(try !Self.showsSecret(all), "a secret in clear")
    }
  }
}
