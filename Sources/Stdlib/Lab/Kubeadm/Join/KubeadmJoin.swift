import Foundation

/// `kubeadm join`: a worker, or a control plane (`--control-plane`, with `--certificate-key`
/// or with the shared certificates copied by hand), against the lab's API server through the
/// endpoint, in kubeadm's phase order and with its text (LAB-FIDELITY §3.2, §4.3, §6):
///
/// preflight (the join checks, token discovery, the cluster's `kubeadm-config`, and for a
/// control plane its own checks), control-plane-prepare (download-certs, certs, kubeconfig,
/// control-plane), check-etcd, kubelet-start (kubelet files, `bootstrap-kubelet.conf`, the
/// TLS bootstrap, the Node), control-plane-join (etcd, mark-control-plane).
///
/// Each failure is kubeadm's `error execution phase <phase>: <cause>`; the token and the
/// certificate key never appear in any of them.
struct KubeadmJoin {
  let context: KubeadmContext
  let output: KubeadmOutput
  let settings: JoinSettings
  let ignore: Set<String>

  /// The address this node advertises (its API server's and etcd's, and the Node's
  /// InternalIP).
  var address: String {
    settings.advertiseAddress.isEmpty ? context.advertiseAddress ?? "" : settings.advertiseAddress
  }

  var host: KubeadmHost { context.host }

  func out(_ line: String) { output.out(line + "\n") }

  /// Runs the whole join.
  func run() throws(KubeadmFailure) {
    out("[preflight] Running pre-flight checks")
    try checks(KubeadmPreflight.joinChecks(controlPlane: settings.controlPlane, address: address))
    let discovered = try discover()
    let bootstrap = try client(discovered, credentials: .bearerToken(settings.tlsBootstrapToken))
    for line in JoinText.preflight(context.release).dropFirst() { out(line) }
    let config = try configuration(from: bootstrap)
    if settings.controlPlane {
      try controlPlanePreflight(config)
      try prepareControlPlane(config, bootstrap: bootstrap)
    }
    let node = try kubeletStart(config, discovered: discovered, bootstrap: bootstrap)
    if settings.controlPlane {
      try joinControlPlane(config, node: node)
      output.out(JoinText.controlPlaneDone(localEtcd: !config.cluster.usesExternalEtcd))
    } else {
      output.out(JoinText.workerDone)
    }
  }

  // MARK: preflight

  /// Runs preflight `checks`; a failure is the preflight phase's.
  func checks(_ checks: [KubeadmPreflight.Check]) throws(KubeadmFailure) {
    do throws(KubeadmError) {
      try KubeadmPreflight.check(
        checks, host: host, ignore: ignore, isRoot: context.isRoot, warn: output.err)
    } catch {
      throw KubeadmFailure("error execution phase preflight: " + error.message)
    }
  }

  /// Token discovery through the endpoint.
  func discover() throws(KubeadmFailure) -> DiscoveredCluster {
    let pins: DiscoveryHashPins
    do {
      pins = try DiscoveryHashPins(settings.caCertHashes)
    } catch let error as KubeadmError {
      throw KubeadmFailure(
        "error execution phase preflight: couldn't validate the identity of the API Server: "
          + "invalid discovery token CA certificate hash: " + error.message)
    } catch {
      throw KubeadmFailure("error execution phase preflight: \(error)")
    }
    guard let token = BootstrapToken(settings.token) else {
      throw KubeadmFailure(BootstrapToken.formatError(settings.token))
    }
    let discovery = TokenDiscovery(
      endpoint: settings.apiServerEndpoint, token: token, pins: pins,
      timeout: context.discoveryTimeout)
    let result: Result<DiscoveredCluster, KubeadmError> = runBlocking {
      do throws(KubeadmError) {
        return .success(try await discovery.run())
      } catch {
        return .failure(error)
      }
    }
    switch result {
    case .success(let cluster): return cluster
    case .failure(let error):
      throw KubeadmFailure(
        "error execution phase preflight: couldn't validate the identity of the API Server: "
          + error.message)
    }
  }

  /// A client of the discovered server, trusting the discovered CA.
  func client(_ discovered: DiscoveredCluster, credentials: KubeAPIClient.Credentials)
    throws(KubeadmFailure) -> KubeAPIClient
  {
    do throws(KubeAPIError) {
      return try KubeAPIClient(
        server: discovered.server, credentials: credentials,
        trust: .certificateAuthorities(pem: Array(discovered.certificateAuthorityPEM.utf8)))
    } catch {
      throw KubeadmFailure("error execution phase preflight: \(error)")
    }
  }

  /// The cluster's `kubeadm-config`, as this node sees itself in it.
  func configuration(from bootstrap: KubeAPIClient) throws(KubeadmFailure) -> InitConfiguration {
    let configMap: JSONValue
    do throws(KubeAPIError) {
      configMap = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
        try await bootstrap.get(KubeadmConfigMap.path)
      }
    } catch {
      throw KubeadmFailure(
        "error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: "
          + "failed to get config map: \(error)")
    }
    let cluster: ClusterConfiguration
    do throws(KubeadmError) {
      cluster = try KubeadmConfigMap.cluster(from: configMap, release: context.release)
    } catch {
      throw KubeadmFailure(
        "error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: "
          + error.message)
    }
    return InitConfiguration(
      node: NodeSettings(
        name: settings.nodeName, advertiseAddress: address, bindPort: settings.bindPort),
      cluster: cluster)
  }

  /// Runs `work` as phase `name`, printing its lines; a failure is
  /// `error execution phase <name>: [<wrap>: ]<cause>`.
  func phase(_ name: String, wrap: String? = nil, _ work: () throws -> [String])
    throws(KubeadmFailure)
  {
    do {
      for line in try work() { out(line) }
    } catch {
      let cause = (error as? KubeadmError)?.message ?? (error as? LabError)?.message ?? "\(error)"
      throw KubeadmFailure(
        "error execution phase \(name): " + (wrap.map { $0 + ": " } ?? "") + cause)
    }
  }
}
