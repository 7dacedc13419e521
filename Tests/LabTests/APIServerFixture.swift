import Foundation
import TestSupport
import Testing

@testable import Lab

/// A real etcd (Debian's `etcd`) on a loopback address of its own, serving TLS with a PKI the
/// kubeadm stand-in wrote, and the API server stand-in in this process in front of it.
/// `stop()` kills etcd and removes every file; every wait is bounded.
final class APIServerLab: @unchecked Sendable {
  let root: KubeadmRoot
  /// `127.88.N.1`: etcd on :2379/:2380, the API server on :6443.
  let address: String
  let clockFile: String
  let dataDirectory: String
  private(set) var etcdPID: pid_t = 0
  private let lock = NSLock()
  private var server: KubeAPIServer?

  /// Generates the PKI and admin.conf, starts etcd and the API server.
  static func start() async throws -> APIServerLab {
    let lab = try APIServerLab()
    do {
      try await lab.makePKI()
      try lab.startEtcd()
      try await lab.startServer()
      return lab
    } catch {
      await lab.stop()
      throw error
    }
  }

  private init() throws {
    root = try KubeadmRoot()
    var address = ""
    for _ in 0..<50 {
      let candidate = "127.88.\(Int.random(in: 1...250)).1"
      if !SSHServerFixture.canConnect(candidate, 2379),
        !SSHServerFixture.canConnect(candidate, 6443)
      {
        address = candidate
        break
      }
    }
    guard !address.isEmpty else { throw FixtureError("no free loopback address") }
    self.address = address
    clockFile = root.path + "/lab.json"
    dataDirectory = root.path + "/var/lib/etcd"
    try setClockOffset(0)
  }

  /// The environment a lab host's process would have: the clock file.
  var environment: [String: String] {
    [
      ClusterClock.environmentVariable: clockFile,
      "KUBECONFIG": root.real("/etc/kubernetes/admin.conf"), "HAFLOW_LAB_MANIFESTS": root.path,
    ]
  }

  /// Moves the cluster clock as `haflow lab advance` does (the offset in lab.json).
  func setClockOffset(_ seconds: Int64) throws {
    try "{\"clockOffsetSeconds\": \(seconds), \"hosts\": [], \"user\": \"root\"}\n".write(
      toFile: clockFile, atomically: true, encoding: .utf8)
  }

  private func makePKI() async throws {
    let context = KubeadmContext(
      host: root.host, release: .v132, hostname: "cp1", advertiseAddress: address,
      now: { Date() })
    for phase in [["certs", "all"], ["kubeconfig", "admin"]] {
      let captured = CapturedOutput()
      let status = try await offPool {
        KubeadmCLI.run(["init", "phase"] + phase, context: context, output: captured.output)
      }
      guard status == 0 else { throw FixtureError("kubeadm init phase \(phase): \(captured.err)") }
    }
  }

  /// Paths of the PKI's files, real.
  func pki(_ name: String) -> String { root.real("/etc/kubernetes/pki/" + name) }

  private func startEtcd() throws {
    guard
      let etcd = ["/usr/bin/etcd", "/usr/local/bin/etcd"].first(where: {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    else { throw FixtureError("etcd is not installed (apt-get install -y etcd-server)") }
    try FileManager.default.createDirectory(
      atPath: dataDirectory, withIntermediateDirectories: true)
    let client = "https://\(address):2379"
    let peer = "https://\(address):2380"
    etcdPID = try spawn(
      [
        etcd, "--name=cp1", "--data-dir=\(dataDirectory)", "--listen-client-urls=\(client)",
        "--advertise-client-urls=\(client)", "--listen-peer-urls=\(peer)",
        "--initial-advertise-peer-urls=\(peer)", "--initial-cluster=cp1=\(peer)",
        "--listen-metrics-urls=http://\(address):2381",
        "--cert-file=\(pki("etcd/server.crt"))", "--key-file=\(pki("etcd/server.key"))",
        "--client-cert-auth=true", "--trusted-ca-file=\(pki("etcd/ca.crt"))",
        "--peer-cert-file=\(pki("etcd/peer.crt"))", "--peer-key-file=\(pki("etcd/peer.key"))",
        "--peer-client-cert-auth=true", "--peer-trusted-ca-file=\(pki("etcd/ca.crt"))",
        "--snapshot-count=10000",
      ], log: root.path + "/etcd.log")
    let deadline = Date().addingTimeInterval(30)
    while !SSHServerFixture.canConnect(address, 2379) {
      var status: Int32 = 0
      if waitpid(etcdPID, &status, WNOHANG) == etcdPID {
        etcdPID = 0
        throw FixtureError("etcd exited: \(etcdLog)")
      }
      guard Date() < deadline else { throw FixtureError("etcd did not listen: \(etcdLog)") }
      usleep(50_000)
    }
  }

  var etcdLog: String {
    (try? String(contentsOfFile: root.path + "/etcd.log", encoding: .utf8)) ?? ""
  }

  /// kube-apiserver's flags as kubeadm's manifest has them, for this lab.
  func options(etcdCA: String? = nil, etcdCert: String? = nil, port: Int = 6443) -> APIServerOptions
  {
    var options = APIServerOptions()
    options.advertiseAddress = address
    options.securePort = port
    options.tlsCertFile = pki("apiserver.crt")
    options.tlsPrivateKeyFile = pki("apiserver.key")
    options.clientCAFile = pki("ca.crt")
    options.etcdServers = ["https://\(address):2379"]
    options.etcdCAFile = etcdCA ?? pki("etcd/ca.crt")
    options.etcdCertFile = etcdCert ?? pki("apiserver-etcd-client.crt")
    options.etcdKeyFile = pki(
      etcdCert == nil
        ? "apiserver-etcd-client.key"
        : (etcdCert! as NSString).lastPathComponent
          .replacingOccurrences(of: ".crt", with: ".key"))
    return options
  }

  /// Starts (or restarts) the API server on :6443.
  /// `deadEtcdFirst` puts an etcd endpoint nobody answers before the real one.
  func startServer(deadEtcdFirst: Bool = false) async throws {
    var options = options()
    if deadEtcdFirst { options.etcdServers.insert("https://\(address):2399", at: 0) }
    let started = try await KubeAPIServer.start(
      options, environment: environment, etcdStartupTimeout: .seconds(30))
    lock.withLock { server = started }
  }

  /// Stops the API server (etcd keeps the state).
  func stopServer() async {
    let running = lock.withLock { () -> KubeAPIServer? in
      defer { server = nil }
      return server
    }
    await running?.stop()
  }

  /// A client with admin.conf's credentials.
  func admin() throws -> KubeAPIClient {
    try KubeAPIClient(
      kubeconfig: try KubeconfigFile.load(path: root.real("/etc/kubernetes/admin.conf")))
  }

  /// A client with no credentials, trusting the cluster CA.
  func anonymous() throws -> KubeAPIClient {
    try KubeAPIClient(
      server: "https://\(address):6443", credentials: .anonymous,
      trust: .certificateAuthorities(
        pem: Array(try Data(contentsOf: URL(fileURLWithPath: pki("ca.crt"))))))
  }

  /// A client presenting `token`.
  func bearer(_ token: String) throws -> KubeAPIClient {
    try KubeAPIClient(
      server: "https://\(address):6443", credentials: .bearerToken(token),
      trust: .insecureSkipVerify)
  }

  /// Runs the kubectl stand-in in this process with the lab's environment.
  func kubectl(_ arguments: String...) async -> (status: Int32, out: String, err: String) {
    let captured = CapturedOutput()
    let status = await KubectlCLI.run(arguments, environment: environment, output: captured.output)
    return (status, captured.out, captured.err)
  }

  /// Stops everything and removes the files.
  func stop() async {
    await stopServer()
    if etcdPID > 0 {
      kill(etcdPID, SIGKILL)
      var status: Int32 = 0
      while waitpid(etcdPID, &status, 0) < 0 && errno == EINTR {}
      etcdPID = 0
    }
  }

  private func spawn(_ arguments: [String], log: String) throws -> pid_t {
    try SSHServerFixture.spawn(arguments, log: log)
  }
}
