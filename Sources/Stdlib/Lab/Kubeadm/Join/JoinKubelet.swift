import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The kubelet-start phase of `kubeadm join`, with what the lab's kubelet does in real
/// clusters folded in: the kubelet's files, `bootstrap-kubelet.conf` (and a worker's
/// `ca.crt`), the check for a Ready Node of the same name, starting the host's kubelet, the
/// TLS bootstrap (a client certificate for `system:node:<name>`, `kubelet.conf` in the
/// kubelet's own layout, `bootstrap-kubelet.conf` deleted) and the Node's registration.
extension KubeadmJoin {
  /// `/etc/kubernetes/bootstrap-kubelet.conf`.
  static let bootstrapKubeconfig = "/etc/kubernetes/bootstrap-kubelet.conf"
  /// The kubelet's rotated client certificate and key.
  static let kubeletClientPEM = "/var/lib/kubelet/pki/kubelet-client-current.pem"

  /// Runs kubelet-start; returns the registered Node.
  func kubeletStart(
    _ config: InitConfiguration, discovered: DiscoveredCluster, bootstrap: KubeAPIClient
  ) throws(KubeadmFailure) -> ClusterNode {
    let name = "kubelet-start"
    try phase(name) {
      try host.write(
        KubeconfigWriter.text(
          cluster: "kubernetes", server: discovered.server,
          caPEM: discovered.certificateAuthorityPEM, user: "tls-bootstrap-token-user",
          credentials: .token(settings.tlsBootstrapToken)),
        to: Self.bootstrapKubeconfig, mode: 0o600)
      if !settings.controlPlane {
        try PKIWriter(host: host, config: config, now: context.now())
          .writeWorkerCA(certificatePEM: discovered.certificateAuthorityPEM)
      }
      try refuseReadyNode(config.node.name, bootstrap: bootstrap)
      var lines = try KubeletFiles(host: host, release: context.release)
        .write(config: config, hostname: context.hostname, join: true)
      lines.append("[kubelet-start] Starting the kubelet")
      return lines
    }
    let started = ContinuousClock.now
    startKubelet()
    let seconds = Double((ContinuousClock.now - started) / .microseconds(1)) / 1e6
    for line in InitPhaseText.kubeletCheck(healthyAfter: seconds) { out(line) }
    out("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap")
    var node = ClusterNode(
      name: config.node.name, address: address, controlPlane: settings.controlPlane,
      kubeletVersion: config.cluster.kubernetesVersion)
    try phase(name) {
      try tlsBootstrap(config, discovered: discovered, bootstrap: bootstrap)
      node = try register(node, bootstrap: bootstrap)
      return []
    }
    return node
  }

  /// kubeadm's check before the TLS bootstrap: a Ready Node with this name must not exist.
  func refuseReadyNode(_ name: String, bootstrap: KubeAPIClient) throws {
    let path = ClusterObjects.nodePath(name)
    let existing: JSONValue?
    do throws(KubeAPIError) {
      existing = try blockingAPI { () async throws(KubeAPIError) -> JSONValue? in
        try await bootstrap.getIfPresent(path)
      }
    } catch {
      throw KubeadmError("cannot get Node \(GoQuote.quote(name)): \(error)")
    }
    let conditions = existing?[path: ["status", "conditions"]]?.array ?? []
    if conditions.contains(where: {
      $0["type"]?.string == "Ready" && $0["status"]?.string == "True"
    }) {
      throw KubeadmError(
        "a Node with name \(GoQuote.quote(name)) and status \"Ready\" already exists in the "
          + "cluster. You must delete the existing Node or change the name of this new joining Node"
      )
    }
  }

  /// `systemctl start kubelet` on a lab host (after `kubeadm reset` the kubelet is frozen);
  /// elsewhere (tests rooted in a directory) there is no kubelet to start.
  func startKubelet() {
    guard host.root.isEmpty else { return }
    _ = KubeletService.run(["start", "kubelet"], out: { _ in }, err: { _ in })
  }

  /// What the kubelet does with `bootstrap-kubelet.conf`: a key, a client certificate for
  /// `system:node:<name>` in `system:nodes` (signed here with the cluster CA on a control
  /// plane, which has its key; by the API server's CSR signer for a worker), `kubelet.conf`
  /// pointing at them, and the bootstrap kubeconfig deleted.
  func tlsBootstrap(
    _ config: InitConfiguration, discovered: DiscoveredCluster, bootstrap: KubeAPIClient
  ) throws {
    let user = "system:node:" + config.node.name
    let pem: String
    if settings.controlPlane {
      let signer = try PKIWriter(host: host, config: config, now: context.now()).loadCA(
        .kubernetes)
      let pair = try CertificateFactory(now: context.now(), cluster: config.cluster).makeLeaf(
        commonName: user, organizations: ["system:nodes"], purposes: [.clientAuth],
        altNames: AltNames(), signer: signer)
      pem = try pair.certificatePEM() + pair.keyPEM
    } else {
      pem = try KubeletCSR.request(for: config.node.name, bootstrap: bootstrap)
    }
    try host.write(pem, to: Self.kubeletClientPEM, mode: 0o600, directoryMode: 0o700)
    try host.write(
      Self.kubeletKubeconfig(
        server: discovered.server, caPEM: discovered.certificateAuthorityPEM),
      to: KubeconfigWriter.path(.kubelet), mode: 0o600)
    if unlink(host.real(Self.bootstrapKubeconfig)) != 0, errno != ENOENT {
      throw KubeadmError(
        "failed to delete \(Self.bootstrapKubeconfig): \(String(cString: strerror(errno)))")
    }
  }

  /// The kubeconfig the kubelet writes after its TLS bootstrap (LAB-FIDELITY §1.5): names
  /// `default-cluster`, `default-context`, `default-auth`, the rotated certificate file.
  static func kubeletKubeconfig(server: String, caPEM: String) -> String {
    """
    apiVersion: v1
    clusters:
    - cluster:
        certificate-authority-data: \(Data(caPEM.utf8).base64EncodedString())
        server: \(server)
      name: default-cluster
    contexts:
    - context:
        cluster: default-cluster
        user: default-auth
      name: default-context
    current-context: default-context
    kind: Config
    preferences: {}
    users:
    - name: default-auth
      user:
        client-certificate: \(kubeletClientPEM)
        client-key: \(kubeletClientPEM)

    """
  }

  /// The kubelet registers its Node (kept if it exists: a node that was reset and joins
  /// again); a control plane's gets kubeadm's labels and taint.
  func register(_ node: ClusterNode, bootstrap: KubeAPIClient) throws -> ClusterNode {
    let client = settings.controlPlane ? try adminClient() : bootstrap
    let object = node.object
    let stored = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
      try await client.createOrReplace(node.path, object)
    }
    return ClusterNode(node: stored) ?? node
  }
}
