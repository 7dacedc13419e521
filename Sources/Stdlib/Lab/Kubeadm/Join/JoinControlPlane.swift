import Foundation

/// A control plane's part of `kubeadm join`: the extra preflight, control-plane-prepare
/// (download-certs, certs, kubeconfig, control-plane), check-etcd, and control-plane-join
/// (the stacked etcd member, mark-control-plane, the mirror pods).
extension KubeadmJoin {
  /// `checkIfReadyForAdditionalControlPlane` (a stable endpoint; without a certificate key,
  /// the shared certificates in place), then `RunInitNodeChecks` for a secondary control plane
  /// (no root check, no kubelet port) between kubeadm's lines.
  func controlPlanePreflight(_ config: InitConfiguration) throws(KubeadmFailure) {
    var problem: String?
    if config.cluster.controlPlaneEndpoint.isEmpty {
      problem =
        "unable to add a new control plane instance to a cluster that doesn't have a stable "
        + "controlPlaneEndpoint address"
    } else if settings.certificateKey.isEmpty {
      let missing = SharedCertificates.problems(host: host, cluster: config.cluster)
      if !missing.isEmpty {
        problem = missing.count == 1 ? missing[0] : "[" + missing.joined(separator: ", ") + "]"
      }
    }
    if let problem {
      throw KubeadmFailure(
        "error execution phase preflight: \nOne or more conditions for hosting a new control "
          + "plane instance is not satisfied.\n\n\(problem)\n\nPlease ensure that:\n* The cluster "
          + "has a stable controlPlaneEndpoint address.\n* The certificates that must be shared "
          + "among control plane instances are provided.\n\n")
    }
    let lines = JoinText.controlPlanePreflight
    out(lines[0])
    try checks(KubeadmPreflight.initChecks(config: config, secondaryControlPlane: true))
    for line in lines.dropFirst() { out(line) }
  }

  /// control-plane-prepare: the shared certificates (downloaded, or already copied), this
  /// node's own certificates, kubeconfigs and static pods.
  func prepareControlPlane(_ config: InitConfiguration, bootstrap: KubeAPIClient)
    throws(KubeadmFailure)
  {
    if !settings.certificateKey.isEmpty {
      try downloadCerts(config, bootstrap: bootstrap)
    }
    let now = context.now()
    try phase("control-plane-prepare/certs") {
      try PKIWriter(host: host, config: config, now: now).joinControlPlaneCerts()
    }
    try phase("control-plane-prepare/kubeconfig") {
      ["[kubeconfig] Generating kubeconfig files"]
        + (try KubeconfigWriter(host: host, config: config, now: now)
          .write(KubeconfigKind.joinControlPlaneFiles))
    }
    try phase("control-plane-prepare/control-plane") {
      try StaticPodWriter(host: host, config: config, release: context.release)
        .writeControlPlane()
    }
    if !config.cluster.usesExternalEtcd {
      try phase("check-etcd") {
        out(JoinText.checkEtcd)
        let client = try etcdClient(config)
        let health = try client.clusterHealth()
        if let sick = health.first(where: { !$0.healthy }) {
          throw KubeadmError(
            "etcd cluster is not healthy: failed to dial endpoint \(sick.endpoint) with "
              + "maintenance client: context deadline exceeded")
        }
        if health.isEmpty {
          throw KubeadmError(
            "etcd cluster is not healthy: no endpoint of \(client.endpoints) answered")
        }
        return []
      }
    }
  }

  /// download-certs: the `kubeadm-certs` Secret, read with the bootstrap token and
  /// decrypted with the certificate key.
  func downloadCerts(_ config: InitConfiguration, bootstrap: KubeAPIClient)
    throws(KubeadmFailure)
  {
    let name = "control-plane-prepare/download-certs"
    let wrap = "error downloading certs"
    guard let key = CertificateKey(settings.certificateKey) else {
      throw KubeadmFailure(
        "error execution phase \(name): \(wrap): error decoding certificate key: "
          + "encoding/hex: invalid byte")
    }
    out(JoinText.downloadingCerts)
    let secret: JSONValue?
    do throws(KubeAPIError) {
      secret = try blockingAPI { () async throws(KubeAPIError) -> JSONValue? in
        try await bootstrap.getIfPresent(KubeadmCertsSecret.path)
      }
    } catch {
      throw KubeadmFailure(
        "error execution phase \(name): \(wrap): error downloading the secret: \(error)")
    }
    guard let secret, let certs = KubeadmCertsSecret(secret: secret) else {
      throw KubeadmFailure(
        "error execution phase \(name): \(wrap): error downloading the secret: Secret "
          + "\"kubeadm-certs\" was not found in the \"kube-system\" Namespace. This Secret might "
          + "have expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a "
          + "control plane to generate a new one")
    }
    try phase(name, wrap: wrap) {
      try certs.install(host: host, cluster: config.cluster, key: key)
    }
  }

  /// control-plane-join: the stacked etcd member, the control-plane label and taint, the
  /// mirror pods of this node's static pods.
  func joinControlPlane(_ config: InitConfiguration, node: ClusterNode) throws(KubeadmFailure) {
    if !config.cluster.usesExternalEtcd {
      try phase(
        "control-plane-join/etcd", wrap: "error creating local etcd static pod manifest file"
      ) {
        let endpoints = try etcdClient(config).endpoints
        // Learner mode: GA in 1.32, on by default (the EtcdLearnerMode gate) in 1.31.
        var membership = EtcdMembership(host: host, config: config, release: context.release)
        membership.callTimeout = context.etcdAPICallTimeout
        try membership.addMember(endpoints: endpoints, print: out, warn: { output.err($0 + "\n") })
        return []
      }
    }
    try phase("control-plane-join/mark-control-plane") {
      try registerMirrorPods(config, node: node)
      return InitPhaseText.markControlPlane(config.node.name)
    }
  }

  /// An etcd client of the cluster's members, found as kubeadm finds them: the
  /// `kubeadm.kubernetes.io/etcd.advertise-client-urls` annotation of the etcd mirror pods,
  /// read with this node's `admin.conf`.
  func etcdClient(_ config: InitConfiguration) throws -> EtcdClient {
    let admin = try adminClient()
    let pods = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
      try await admin.get(
        KubeAPIPath.collection(apiVersion: "v1", resource: "pods", namespace: "kube-system"))
    }
    var endpoints: [String] = []
    for pod in pods["items"]?.array ?? [] {
      let annotation = pod[path: [
        "metadata", "annotations", "kubeadm.kubernetes.io/etcd.advertise-client-urls",
      ]]
      if let url = annotation?.string, !url.isEmpty, !endpoints.contains(url) {
        endpoints.append(url)
      }
    }
    guard !endpoints.isEmpty else {
      throw KubeadmError(
        "etcd cluster is not healthy: no etcd Pod in the kube-system namespace carries the "
          + "kubeadm.kubernetes.io/etcd.advertise-client-urls annotation")
    }
    return EtcdClient(
      endpoints: endpoints.sorted(), host: host, certificatesDir: config.cluster.certificatesDir)
  }

  /// A client with this node's `admin.conf`.
  func adminClient() throws -> KubeAPIClient {
    let path = KubeconfigWriter.path(.admin)
    let text = try host.readText(path)
    return try KubeAPIClient(kubeconfig: try KubeconfigFile.parse(text, path: host.real(path)))
  }

  /// The mirror pod of each static pod this node runs.
  func registerMirrorPods(_ config: InitConfiguration, node: ClusterNode) throws {
    let admin = try adminClient()
    for component in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] {
      let path = "/etc/kubernetes/manifests/\(component).yaml"
      guard host.exists(path),
        let pod = MirrorPod.object(manifest: try host.readText(path), node: node)
      else { continue }
      let target = MirrorPod.path(component: component, node: node.name)
      _ = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
        try await admin.createOrReplace(target, pod)
      }
    }
  }
}

/// The files a control plane joining without `--certificate-key` must already have (the
/// docs' manual list): the cluster CA, the service-account key pair, the front-proxy CA and,
/// with stacked etcd, the etcd CA — checked as kubeadm's `SharedCertificateExists` does.
enum SharedCertificates {
  /// kubeadm's message for each missing or unreadable file group, in its order.
  static func problems(host: KubeadmHost, cluster: ClusterConfiguration) -> [String] {
    let dir = cluster.certificatesDir
    var problems: [String] = []
    func pair(_ base: String, _ name: String) {
      let crt = "\(dir)/\(base).crt"
      let key = "\(dir)/\(base).key"
      if let reason = unreadable(host, crt) {
        problems.append(
          "failure loading certificate for \(name): couldn't load the certificate file \(crt): \(reason)"
        )
      } else if let reason = unreadable(host, key) {
        problems.append(
          "failure loading key for \(name): couldn't load the private key file \(key): \(reason)")
      }
    }
    pair("ca", "CA")
    for file in ["sa.key", "sa.pub"] {
      let path = dir + "/" + file
      if let reason = unreadable(host, path) {
        let what = file == "sa.key" ? "private key" : "public key"
        problems.append(
          "failure loading key for service account: couldn't load the \(what) file \(path): \(reason)"
        )
        break
      }
    }
    pair("front-proxy-ca", "front-proxy CA")
    if !cluster.usesExternalEtcd { pair("etcd/ca", "etcd CA") }
    return problems
  }

  /// Go's `open <path>: <reason>` when `path` cannot be read.
  static func unreadable(_ host: KubeadmHost, _ path: String) -> String? {
    do {
      _ = try host.read(path)
      return nil
    } catch let error as KubeadmError {
      return error.message
    } catch {
      return "\(error)"
    }
  }
}
