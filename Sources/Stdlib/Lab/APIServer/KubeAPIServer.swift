import Foundation
import NIOCore
import NIOSSL

/// The lab's API server stand-in: the `haflow` binary started as `kube-apiserver` from
/// kubeadm's static-pod manifest. It serves the REST subset of `APIHandler` over HTTPS on
/// the advertise address and keeps every object in etcd (`EtcdStore`), so any API server of
/// the cluster sees the same state and a restart loses nothing.
public struct KubeAPIServer: Sendable {
  /// Where it listens.
  public let host: String
  /// The port it listens on.
  public let port: Int
  private let channel: any Channel

  /// How long the server waits for etcd to answer at start (it may start first).
  public static let etcdStartupTimeout: Duration = .seconds(60)

  /// Checks etcd, binds, and serves. Fails (with one line to print) on a missing file, an
  /// etcd that refuses the TLS files (wrong CA, certificate or key: at once), an etcd that does
  /// not answer within `etcdStartupTimeout`, or a port in use.
  public static func start(
    _ options: APIServerOptions, environment: [String: String],
    etcdStartupTimeout: Duration = etcdStartupTimeout, log: @Sendable (String) -> Void = { _ in }
  ) async throws(APIServerFailure) -> KubeAPIServer {
    guard let certificateFile = options.tlsCertFile, let keyFile = options.tlsPrivateKeyFile else {
      throw APIServerFailure("--tls-cert-file and --tls-private-key-file are required")
    }
    guard !options.etcdServers.isEmpty else {
      throw APIServerFailure("--etcd-servers must be specified")
    }
    func read(_ path: String?, _ flag: String) throws(APIServerFailure) -> [UInt8]? {
      guard let path else { return nil }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw APIServerFailure("\(flag): open \(path): no such file or directory")
      }
      return Array(data)
    }
    guard let etcdCA = try read(options.etcdCAFile, "--etcd-cafile") else {
      throw APIServerFailure("--etcd-cafile is required: the lab's etcd serves TLS only")
    }
    var etcdTLS = TLSClientSettings(trust: .certificateAuthorities(pem: etcdCA))
    if let certificate = try read(options.etcdCertFile, "--etcd-certfile"),
      let key = try read(options.etcdKeyFile, "--etcd-keyfile")
    {
      etcdTLS.identity = (certificate, key)
    }
    let clock = ClusterClock(environment: environment)
    let etcd: EtcdStore
    do throws(KubeAPIError) {
      etcd = try EtcdStore(servers: options.etcdServers, tls: etcdTLS)
    } catch {
      throw APIServerFailure(error.description)
    }
    try await waitForEtcd(etcd, options: options, timeout: etcdStartupTimeout, log: log)
    let tls: NIOSSLContext
    do {
      tls = try APIHTTPServer.tlsContext(
        certificateFile: certificateFile, keyFile: keyFile, clientCAFile: options.clientCAFile)
    } catch {
      throw APIServerFailure(
        "unable to load the serving certificate (\(certificateFile), \(keyFile)): \(error)")
    }
    var handler = APIHandler(
      storage: ObjectStorage(etcd: etcd, clock: clock),
      release: KubeadmRelease.from(environment: environment) ?? .v132)
    handler.signer = options.clientCAFile.flatMap { CSRSigner.load(clientCAFile: $0, clock: clock) }
    let host = options.listenAddress
    let channel: any Channel
    do {
      channel = try await APIHTTPServer.bind(
        host: host, port: options.securePort, tls: tls, handler: handler)
    } catch {
      let reason =
        (error as? IOError)?.errnoCode == EADDRINUSE ? "bind: address already in use" : "\(error)"
      throw APIServerFailure(
        "failed to listen on \(HTTPSTransport.hostPort(host, options.securePort)): listen tcp \(HTTPSTransport.hostPort(host, options.securePort)): \(reason)"
      )
    }
    let port = channel.localAddress?.port ?? options.securePort
    log("Serving securely on \(HTTPSTransport.hostPort(host, port))")
    return KubeAPIServer(host: host, port: port, channel: channel)
  }

  /// Waits until etcd answers; a TLS refusal ends the wait at once.
  private static func waitForEtcd(
    _ etcd: EtcdStore, options: APIServerOptions, timeout: Duration,
    log: @Sendable (String) -> Void
  ) async throws(APIServerFailure) {
    let deadline = ContinuousClock.now + timeout
    var loggedWait = false
    while true {
      do throws(KubeAPIError) {
        _ = try await etcd.get("/registry/health")
        return
      } catch {
        let cause = error.cause
        let files =
          "--etcd-cafile=\(options.etcdCAFile ?? "") --etcd-certfile=\(options.etcdCertFile ?? "") --etcd-keyfile=\(options.etcdKeyFile ?? "")"
        let fatal = cause.contains("tls:") || cause.contains("x509:")
        if fatal || ContinuousClock.now >= deadline {
          throw APIServerFailure(
            "cannot use etcd at \(options.etcdServers.joined(separator: ",")) with \(files): \(cause)"
          )
        }
        if !loggedWait {
          log("waiting for etcd at \(options.etcdServers.joined(separator: ",")): \(cause)")
          loggedWait = true
        }
        try? await Task.sleep(for: .milliseconds(500))
      }
    }
  }

  /// Stops listening.
  public func stop() async {
    try? await channel.close()
  }

  /// Runs until the listener closes (the process is stopped by a signal).
  public func wait() async {
    try? await channel.closeFuture.get()
  }

  /// The `kube-apiserver` program: parses `arguments` (after the name), starts, serves until
  /// killed; returns 1 with a `kube-apiserver: …` line on stderr when it cannot start.
  public static func main(
    arguments: [String], environment: [String: String], err: @escaping @Sendable (String) -> Void
  ) -> Int32 {
    let options: APIServerOptions
    switch APIServerOptions.parse(arguments) {
    case .success(let parsed): options = parsed
    case .failure(let failure):
      err("Error: \(failure.message)\n")
      return 1
    }
    return runBlocking {
      do throws(APIServerFailure) {
        let server = try await start(
          options, environment: environment, log: { err("kube-apiserver: \($0)\n") })
        await server.wait()
        return 0
      } catch {
        err("kube-apiserver: \(error.message)\n")
        return 1
      }
    }
  }
}
