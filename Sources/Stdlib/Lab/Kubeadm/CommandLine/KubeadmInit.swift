import Foundation

/// `kubeadm init` end to end, kubeadm v1.31/v1.32's phases in their order with their text
/// (LAB-FIDELITY §3.1): preflight, certs, kubeconfig, etcd (stacked), control-plane,
/// kubelet-start (the files, then the host's lab kubelet is started), wait-control-plane (the
/// kubelet, then a bounded poll of the API server's `/healthz` through admin.conf),
/// upload-config, upload-certs, mark-control-plane (the Node the kubelet would register, with
/// kubeadm's label and taint, and the static pods' mirror pods), bootstrap-token (the tokens
/// and `cluster-info`), kubelet-finalize, addons (CoreDNS, kube-proxy), then the
/// "initialized successfully" text with both join commands. A failing phase fails as
/// kubeadm's: `error execution phase <phase>: …`, exit status 1.
struct KubeadmInit {
  let runner: KubeadmCommandRunner
  let config: InitConfiguration

  var context: KubeadmContext { runner.context }
  var output: KubeadmOutput { runner.output }
  var flags: ParsedFlags { runner.flags }

  /// kubeadm's phase names given to `--skip-phases` (a parent skips its children).
  var skipped: Set<String> { Set(flags.list("skip-phases")) }

  func skips(_ phase: String) -> Bool {
    let skip = skipped
    return skip.contains(phase) || skip.contains(String(phase.prefix { $0 != "/" }))
  }

  func out(_ lines: [String]) { for line in lines { output.out(line + "\n") } }

  func run() throws(KubeadmFailure) {
    let ignore = try KubeadmPreflight.ignoreSet(flags.list("ignore-preflight-errors"))
    let uploadCerts = flags.bool("upload-certs")
    var key: CertificateKey?
    if uploadCerts {
      key = CertificateKey(config.certificateKey) ?? CertificateKey.generate()
    }
    output.out(InitPhaseText.version(config.cluster.kubernetesVersion) + "\n")
    if !skips("preflight") {
      try runner.preflight(KubeadmPreflight.initChecks(config: config), ignore: ignore)
      out(Array(InitPhaseText.preflight.dropFirst()))
    }
    if flags.bool("dry-run") {
      // kubeadm's dry run goes on printing what it would do; the lab's stops after preflight.
      throw KubeadmFailure(
        "haflow's kubeadm stand-in: \"kubeadm init --dry-run\" stops after preflight in the "
          + "lab; nothing was changed", status: KubeadmCLI.notBuiltStatus)
    }
    let now = context.now()
    if !skips("certs") {
      let writer = PKIWriter(host: context.host, config: config, now: now)
      output.out("[certs] Using certificateDir folder \(GoQuote.quote(writer.directory))\n")
      for step in CertsStep.all where !skips("certs/" + step.phase) {
        try runner.phaseStep("certs/" + step.phase) { try writer.run(step) }
      }
    }
    if !skips("kubeconfig") {
      let writer = KubeconfigWriter(host: context.host, config: config, now: now)
      try runner.phaseStep("kubeconfig") { try writer.write(KubeconfigKind.initFiles) }
    }
    let pods = StaticPodWriter(host: context.host, config: config, release: context.release)
    if !config.cluster.usesExternalEtcd, !skips("etcd") {
      try runner.phaseStep("etcd/local") { try pods.writeEtcd() }
    }
    if !skips("control-plane") {
      try runner.phaseStep("control-plane") { try pods.writeControlPlane() }
    }
    if !skips("kubelet-start") {
      try runner.phaseStep("kubelet-start") {
        var lines = try KubeletFiles(host: context.host, release: context.release).write(
          config: config, hostname: context.hostname, join: false)
        lines.append("[kubelet-start] Starting the kubelet")
        return lines
      }
      startKubelet()
    }
    var client: KubeadmClusterClient?
    if !skips("wait-control-plane") {
      client = try waitControlPlane()
    }
    func api() throws(KubeadmFailure) -> KubeadmClusterClient {
      if let client { return client }
      do throws(KubeAPIError) {
        return try KubeadmClusterClient.fromKubeconfig(
          KubeconfigWriter.path(.admin), host: context.host)
      } catch {
        throw KubeadmFailure("failed to load admin kubeconfig: \(error)")
      }
    }
    if !skips("upload-config") {
      let admin = try api()
      let cluster = config.cluster
      let release = context.release
      try apiPhase("upload-config/kubeadm", lines: [InitPhaseText.uploadConfig[0]]) {
        try await admin.client.createOrReplace(
          KubeadmConfigMap.path, KubeadmConfigMap(cluster: cluster).object)
      } wrap: {
        "error uploading the kubeadm ClusterConfiguration: unable to create ConfigMap: \($0)"
      }
      try apiPhase("upload-config/kubelet", lines: [InitPhaseText.uploadConfig[1]]) {
        try await admin.client.createOrReplace(
          KubeletConfigMap.path, KubeletConfigMap(cluster: cluster, release: release).object)
      } wrap: {
        "error creating kubelet configuration ConfigMap: unable to create ConfigMap: \($0)"
      }
    }
    if !skips("upload-certs") {
      if let key {
        try KubeadmUploadCerts(host: context.host, cluster: config.cluster, now: context.clusterNow)
          .upload(
            client: try api(), key: key, printKey: !flags.bool("skip-certificate-key-print"),
            out: { output.out($0 + "\n") })
      } else {
        output.out(UploadCertsText.skipped + "\n")
      }
    }
    if !skips("mark-control-plane") {
      let admin = try api()
      let node = ClusterNode(
        name: config.node.name, address: config.node.advertiseAddress, controlPlane: true,
        kubeletVersion: config.cluster.kubernetesVersion)
      let manifests = StaticPodComponent.allCases.compactMap {
        try? context.host.readText(StaticPodWriter.path($0))
      }
      out(InitPhaseText.markControlPlane(node.name))
      do throws(KubeAPIError) {
        try blockingAPI {
          let stored = try await admin.registerNode(node)
          try await admin.registerMirrorPods(manifests, node: stored)
        }
      } catch {
        throw KubeadmFailure(
          "error execution phase mark-control-plane: error marking the node \(node.name) as control-plane: \(error)"
        )
      }
    }
    if !skips("bootstrap-token") {
      try bootstrapTokens(try api())
    }
    if !skips("kubelet-finalize") {
      try runner.phaseStep("kubelet-finalize") { try finalizeKubelet() }
    }
    if !skips("addon") {
      let admin = try api()
      let config = config
      try apiPhase(
        "addon/coredns", lines: ["[addons] Applied essential addon: CoreDNS"], after: true
      ) {
        try await admin.apply(KubeadmAddons.coreDNS(cluster: config.cluster))
      } wrap: {
        "unable to create CoreDNS objects: \($0)"
      }
      try apiPhase(
        "addon/kube-proxy", lines: ["[addons] Applied essential addon: kube-proxy"], after: true
      ) {
        try await admin.apply(KubeadmAddons.kubeProxy(config: config))
      } wrap: {
        "unable to create kube-proxy objects: \($0)"
      }
    }
    if !skips("show-join-command") {
      output.out(try doneText(key: key))
    }
  }

  /// Prints `lines` (before the work, or after it when `after`), runs `work` against the API
  /// server; a failure is the phase's, worded by `wrap`. Nothing when `--skip-phases` names
  /// the sub-phase (`addon/kube-proxy`).
  func apiPhase(
    _ phase: String, lines: [String], after: Bool = false,
    _ work: @escaping @Sendable () async throws -> Void,
    wrap: (KubeAPIError) -> String
  ) throws(KubeadmFailure) {
    guard !skips(phase) else { return }
    if !after { out(lines) }
    do throws(KubeAPIError) {
      try blockingAPI(work)
    } catch {
      throw KubeadmFailure("error execution phase \(phase): \(wrap(error))")
    }
    if after { out(lines) }
  }

  // MARK: kubelet

  /// `systemctl start kubelet` on a lab host (the host's kubelet resumes if frozen).
  func startKubelet() {
    guard context.host.root.isEmpty else { return }
    _ = KubeletService.run(["start", "kubelet"], out: { _ in }, err: { _ in })
  }

  /// Whether the host's kubelet runs (always, off a lab host: nothing to wait for there).
  func kubeletIsHealthy() -> Bool {
    guard context.host.root.isEmpty else { return true }
    guard let pid = KubeletService.findKubelet() else { return false }
    return KubeletService.isActive(pid)
  }

  // MARK: wait-control-plane

  /// The kubelet, then the API server's `/healthz` through admin.conf, each bounded by the
  /// configured timeouts; kubeadm's failure text and error when one does not come up.
  func waitControlPlane() throws(KubeadmFailure) -> KubeadmClusterClient {
    output.out(
      InitPhaseText.waitControlPlane(kubeletHealthyAfter: 0, apiServerHealthyAfter: 0)[0] + "\n")
    let kubeletLimit = config.kubeletHealthTimeout
    output.out(
      "[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to \(GoDuration.format(kubeletLimit))\n"
    )
    let began = Date()
    while !kubeletIsHealthy() {
      if Date().timeIntervalSince(began) >= kubeletLimit {
        output.out(
          "[kubelet-check] The kubelet is not healthy after \(GoDuration.format(Date().timeIntervalSince(began)))\n"
        )
        throw waitFailure(
          "The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: "
            + "Get \"http://127.0.0.1:10248/healthz\": context deadline exceeded\n"
        )
      }
      Thread.sleep(forTimeInterval: 0.2)
    }
    output.out(
      "[kubelet-check] The kubelet is healthy after \(GoDuration.format(Date().timeIntervalSince(began)))\n"
    )

    let apiLimit = config.controlPlaneHealthTimeout
    output.out(
      "[api-check] Waiting for a healthy API server. This can take up to \(GoDuration.format(apiLimit))\n"
    )
    let apiBegan = Date()
    let client: KubeadmClusterClient
    do throws(KubeAPIError) {
      client = try KubeadmClusterClient.fromKubeconfig(
        KubeconfigWriter.path(.admin), host: context.host, timeout: .seconds(3))
    } catch {
      throw KubeadmFailure(
        "error execution phase wait-control-plane: failed to load admin kubeconfig: \(error)")
    }
    while true {
      let healthy: Bool = runBlocking {
        (try? await client.client.get("/healthz")) == .string("ok")
      }
      if healthy { break }
      let elapsed = Date().timeIntervalSince(apiBegan)
      if elapsed >= apiLimit {
        output.out(
          "[api-check] The API server is not healthy after \(GoDuration.format(elapsed))\n")
        throw waitFailure("context deadline exceeded")
      }
      Thread.sleep(forTimeInterval: min(0.5, max(0, apiLimit - elapsed)))
    }
    output.out(
      "[api-check] The API server is healthy after \(GoDuration.format(Date().timeIntervalSince(apiBegan)))\n"
    )
    // The kubelet registers its Node once the API server answers (mark-control-plane labels it).
    let node = ClusterNode(
      name: config.node.name, address: config.node.advertiseAddress, controlPlane: false,
      kubeletVersion: config.cluster.kubernetesVersion)
    _ = try? blockingAPI { try await client.registerNode(node) }
    return client
  }

  /// kubeadm's `kubeletFailTempl` on standard output (waitcontrolplane.go, v1.31/v1.32: a
  /// blank line, the template, no blank line after it), then its error. `cause` is the
  /// waiter's error: `context deadline exceeded` for the API server, the kubelet's ends in a
  /// newline (wait.go's `formatError`), which a v1.30 transcript shows as a second blank line.
  func waitFailure(_ cause: String) -> KubeadmFailure {
    let socket = KubeletFiles.defaultCRISocket
    output.out(
      """

      Unfortunately, an error has occurred:
      \t\(cause)

      This error is likely caused by:
      \t- The kubelet is not running
      \t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)

      If you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:
      \t- 'systemctl status kubelet'
      \t- 'journalctl -xeu kubelet'

      Additionally, a control plane component may have crashed or exited when started by the container runtime.
      To troubleshoot, list all containers using your preferred container runtimes CLI.
      Here is one example how you may list all running Kubernetes containers by using crictl:
      \t- 'crictl --runtime-endpoint \(socket) ps -a | grep kube | grep -v pause'
      \tOnce you have found the failing container, you can inspect its logs with:
      \t- 'crictl --runtime-endpoint \(socket) logs CONTAINERID'

      """)
    return KubeadmFailure(
      "error execution phase wait-control-plane: could not initialize a Kubernetes cluster")
  }

  // MARK: bootstrap-token

  /// The tokens (created or updated) and `cluster-info` (created unless it exists).
  func bootstrapTokens(_ admin: KubeadmClusterClient) throws(KubeadmFailure) {
    let printed =
      flags.bool("skip-token-print") ? [] : config.bootstrapTokens.map(\.token.description)
    let lines = InitPhaseText.bootstrapTokens(printed)
    out(lines.dropLast())
    let now = context.clusterNow()
    let secrets = config.bootstrapTokens.map { BootstrapTokenSecret(spec: $0, now: now) }
    do throws(KubeAPIError) {
      try blockingAPI {
        for secret in secrets { _ = try await admin.createOrUpdateToken(secret) }
      }
    } catch {
      throw KubeadmFailure(
        "error execution phase bootstrap-token: error updating or creating token: \(error)")
    }
    out([lines[lines.count - 1]])
    let ca: String
    do {
      ca = try context.host.readText(config.cluster.certificatesDir + "/ca.crt")
    } catch {
      throw KubeadmFailure(
        "error execution phase bootstrap-token: error creating bootstrap ConfigMap: \(error)")
    }
    let info = ClusterInfoConfigMap(server: adminServer, certificateAuthorityPEM: ca)
    do throws(KubeAPIError) {
      try blockingAPI { try await admin.createClusterInfo(info) }
    } catch {
      throw KubeadmFailure(
        "error execution phase bootstrap-token: error creating bootstrap ConfigMap: \(error)")
    }
  }

  /// The server admin.conf names (the control-plane endpoint, else this node).
  var adminServer: String {
    (try? context.host.readText(KubeconfigWriter.path(.admin))).flatMap {
      ResetCluster.server(inKubeconfig: $0)
    } ?? config.controlPlaneURL
  }

  // MARK: kubelet-finalize

  /// kubelet.conf points at the rotatable pair the kubelet keeps in
  /// `/var/lib/kubelet/pki/kubelet-client-current.pem` (written here from kubelet.conf's
  /// embedded pair, as the lab kubelet does not rotate).
  func finalizeKubelet() throws -> [String] {
    let path = KubeconfigWriter.path(.kubelet)
    let file = try KubeconfigFile.parse(try context.host.readText(path), path: path)
    guard let certificate = file.clientCertificatePEM, let key = file.clientKeyPEM,
      let ca = file.certificateAuthorityPEM
    else { return [InitPhaseText.finish[0]] }
    let pem = "/var/lib/kubelet/pki/kubelet-client-current.pem"
    try context.host.makeDirectory("/var/lib/kubelet/pki", mode: 0o755)
    try context.host.write(certificate + key, to: pem, mode: 0o600)
    let user = KubeconfigKind.kubelet.user(nodeName: config.node.name)
    try context.host.write(
      KubeconfigWriter.text(
        cluster: config.cluster.clusterName, server: file.server,
        caPEM: String(decoding: ca, as: UTF8.self), user: user, credentials: .file(pem)),
      to: path, mode: 0o600)
    return [InitPhaseText.finish[0]]
  }

  // MARK: done

  /// The "initialized successfully" text with both join commands.
  func doneText(key: CertificateKey?) throws(KubeadmFailure) -> String {
    let hash: String
    do {
      hash = try DiscoveryHash.of(
        certificatePEM: context.host.readText(config.cluster.certificatesDir + "/ca.crt"))
    } catch {
      throw KubeadmFailure("error execution phase show-join-command: \(error)")
    }
    let withheld = "<value withheld>"
    let token =
      flags.bool("skip-token-print")
      ? withheld : config.bootstrapTokens.first?.token.description ?? ""
    let keyText = flags.bool("skip-certificate-key-print") ? withheld : key?.text
    var endpoint = adminServer
    if endpoint.hasPrefix("https://") { endpoint.removeFirst(8) }
    return InitDoneText(
      release: context.release,
      hasControlPlaneEndpoint: !config.cluster.controlPlaneEndpoint.isEmpty,
      uploadCerts: key != nil,
      joinControlPlane: JoinCommand(
        endpoint: endpoint, token: token, caCertHashes: [hash], controlPlane: true,
        certificateKey: keyText),
      joinWorker: JoinCommand(endpoint: endpoint, token: token, caCertHashes: [hash])
    ).text
  }
}

/// `upload-certs` (init's phase and `kubeadm init phase upload-certs --upload-certs`): a
/// 2-hour token without usages, then `kubeadm-certs` owned by it (LAB-FIDELITY §6.2).
struct KubeadmUploadCerts {
  let host: KubeadmHost
  let cluster: ClusterConfiguration
  let now: @Sendable () -> Date

  /// Uploads, printing the `[upload-certs]` lines through `out` in copycerts.go's order: the
  /// Storing line before the work (so it shows when the upload fails), the key after it.
  /// kubeadm's errors: the token's (`error creating token: …`), the disk's, the Secret's.
  func upload(
    client: KubeadmClusterClient, key: CertificateKey, printKey: Bool, out: (String) -> Void
  ) throws(KubeadmFailure) {
    let lines = UploadCertsText.uploaded(key: key.text, printKey: printKey)
    out(lines[0])
    let prefix = "error execution phase upload-certs: error uploading certs: "
    let token = BootstrapTokenSecret(
      token: BootstrapToken.generate(), expiration: now().addingTimeInterval(2 * 3600),
      description: BootstrapTokenSecret.certsTokenDescription, usages: [], groups: [])
    let owner: BootstrapTokenSecret
    do throws(KubeAPIError) {
      owner = try blockingAPI { try await client.createToken(token) }
    } catch {
      throw KubeadmFailure(
        prefix + "error creating token: failed to create or update bootstrap token with name "
          + "\(token.token.secretName): \(error)")
    }
    let secret: KubeadmCertsSecret
    do {
      secret = try KubeadmCertsSecret.upload(host: host, cluster: cluster, key: key, owner: owner)
    } catch {
      throw KubeadmFailure(prefix + "\(error)")
    }
    do throws(KubeAPIError) {
      try blockingAPI { try await client.uploadCerts(secret) }
    } catch {
      throw KubeadmFailure(prefix + "\(error)")
    }
    for line in lines.dropFirst() { out(line) }
  }
}
