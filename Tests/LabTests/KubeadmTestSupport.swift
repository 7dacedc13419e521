import Foundation
import TestSupport
import Testing

@testable import Lab

/// Helpers of the kubeadm stand-in's tests: a temporary root, reference files, openssl.
enum KubeadmFixtures {
  /// `../shared/reference/kubeadm` beside the repository (or `$HAFLOW_REFERENCE`).
  static let referenceDirectory: String = {
    if let path = ProcessInfo.processInfo.environment["HAFLOW_REFERENCE"] { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    for candidate in [
      root.deletingLastPathComponent().appendingPathComponent("shared/reference/kubeadm").path,
      "/work/shared/reference/kubeadm",
    ] where FileManager.default.fileExists(atPath: candidate) {
      return candidate
    }
    return "/work/shared/reference/kubeadm"
  }()

  /// A reference output file's lines after its `# source:` header.
  static func output(_ name: String) throws -> [String] {
    let text = try String(
      contentsOfFile: referenceDirectory + "/outputs/" + name, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    #expect(lines.first?.hasPrefix("# source:") == true, "\(name) has no source header")
    lines.removeFirst()
    if lines.last == "" { lines.removeLast() }
    return lines
  }

  /// A fixed moment, so validity periods can be checked to the second.
  static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

  /// A stacked-etcd init configuration for node `cp1` at 10.0.0.11 behind `lb.lab:6443`.
  static func stacked(
    node: String = "cp1", address: String = "10.0.0.11", endpoint: String = "lb.lab:6443"
  ) -> InitConfiguration {
    var cluster = ClusterConfiguration()
    cluster.controlPlaneEndpoint = endpoint
    cluster.kubernetesVersion = "v1.32.0"
    return InitConfiguration(
      node: NodeSettings(name: node, advertiseAddress: address), cluster: cluster)
  }

  /// An external-etcd configuration as the HA guide writes it.
  static func external() -> InitConfiguration {
    var config = stacked()
    var etcd = ExternalEtcd()
    etcd.endpoints = ["https://10.0.0.21:2379", "https://10.0.0.22:2379", "https://10.0.0.23:2379"]
    etcd.caFile = "/etc/kubernetes/pki/etcd/ca.crt"
    etcd.certFile = "/etc/kubernetes/pki/apiserver-etcd-client.crt"
    etcd.keyFile = "/etc/kubernetes/pki/apiserver-etcd-client.key"
    config.cluster.etcd = .external(etcd)
    return config
  }
}

/// A temporary directory standing in for `/`, removed at the end.
final class KubeadmRoot: Sendable {
  /// Its path.
  let path: String
  /// The host rooted there.
  let host: KubeadmHost

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-kubeadm-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    host = KubeadmHost(root: path)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// The real path of a kubeadm path.
  func real(_ path: String) -> String { host.real(path) }

  /// The permission bits of a kubeadm path.
  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: real(path))
    return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
  }

  /// The text of a kubeadm path.
  func text(_ path: String) throws -> String {
    try String(contentsOfFile: real(path), encoding: .utf8)
  }
}

/// Runs `openssl` (Debian's), for checks that do not trust our own parsing.
enum OpenSSL {
  struct Result {
    var status: Int32
    var output: String
  }

  /// Runs `openssl ARGUMENTS` with posix_spawn (TestSupport's `Shell`), not Foundation's
  /// `Process`, whose child handling disturbs the process tests running beside these.
  static func run(_ arguments: [String], input: String? = nil) throws -> Result {
    let result = try Shell.status(["openssl"] + arguments, input: input)
    return Result(status: result.status, output: result.stdout + result.stderr)
  }

  /// `openssl x509 -text -noout` of a certificate file.
  static func text(_ path: String) throws -> String {
    let result = try run(["x509", "-in", path, "-text", "-noout"])
    #expect(result.status == 0, "openssl x509 \(path): \(result.output)")
    return result.output
  }

  /// The value following `header` in `x509 -text` output (the next line, trimmed).
  static func field(_ text: String, after header: String) -> String? {
    let lines = text.components(separatedBy: "\n")
    guard let index = lines.firstIndex(where: { $0.contains(header) }), index + 1 < lines.count
    else { return nil }
    return lines[index + 1].trimmingCharacters(in: .whitespaces)
  }

  /// `openssl x509 -noout -<what>` (e.g. `subject`, `startdate`), trimmed.
  static func x509(_ path: String, _ what: String, _ extra: [String] = []) throws -> String {
    try run(["x509", "-in", path, "-noout", "-" + what] + extra).output
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// Output captured from the stand-in's command line.
final class CapturedOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var outText = ""
  private var errText = ""

  var out: String { lock.withLock { outText } }
  var err: String { lock.withLock { errText } }

  var output: KubeadmOutput {
    KubeadmOutput(
      out: { text in self.lock.withLock { self.outText += text } },
      err: { text in self.lock.withLock { self.errText += text } })
  }
}

/// One thread for the stand-in's heavy work in tests: RSA key generation takes seconds in a
/// debug build. Done on Swift's cooperative pool (two threads on two cores), or on many
/// threads at once, it starves the timing-sensitive tests that run beside these
/// (LocalExecutorTests' kill-on-timeout checks).
let kubeadmWorkQueue = DispatchQueue(label: "haflow.tests.kubeadm")

/// Runs `work` on `kubeadmWorkQueue` and waits for it without holding a cooperative thread.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    kubeadmWorkQueue.async { continuation.resume(with: Result { try work() }) }
  }
}

/// Runs the stand-in on `root`, off the cooperative pool.
func kubeadm(
  _ arguments: String..., root: KubeadmRoot, release: KubeadmRelease = .v132,
  hostname: String = "cp1", address: String? = "10.0.0.11",
  discoveryTimeout: Duration = .seconds(1)
) async -> (status: Int32, out: String, err: String) {
  var settings = KubeadmContext(
    host: root.host, release: release, hostname: hostname, advertiseAddress: address,
    now: { KubeadmFixtures.now })
  settings.discoveryTimeout = discoveryTimeout
  let context = settings
  return await withCheckedContinuation { continuation in
    kubeadmWorkQueue.async {
      let captured = CapturedOutput()
      let status = KubeadmCLI.run(arguments, context: context, output: captured.output)
      continuation.resume(returning: (status, captured.out, captured.err))
    }
  }
}
