import Foundation

/// A kubeconfig file kubeadm writes in `/etc/kubernetes`, and whose client it is.
public enum KubeconfigKind: String, Sendable, CaseIterable {
  /// `admin.conf`: `kubernetes-admin` in `kubeadm:cluster-admins`.
  case admin = "admin.conf"
  /// `super-admin.conf`: `kubernetes-super-admin` in `system:masters` (init only).
  case superAdmin = "super-admin.conf"
  /// `kubelet.conf`: `system:node:<node>` in `system:nodes`.
  case kubelet = "kubelet.conf"
  /// `controller-manager.conf`.
  case controllerManager = "controller-manager.conf"
  /// `scheduler.conf`.
  case scheduler = "scheduler.conf"

  /// The file name.
  public var fileName: String { rawValue }

  /// The client certificate's CN for a node.
  public func user(nodeName: String) -> String {
    switch self {
    case .admin: "kubernetes-admin"
    case .superAdmin: "kubernetes-super-admin"
    case .kubelet: "system:node:" + nodeName
    case .controllerManager: "system:kube-controller-manager"
    case .scheduler: "system:kube-scheduler"
    }
  }

  /// The client certificate's O values.
  public var organizations: [String] {
    switch self {
    case .admin: ["kubeadm:cluster-admins"]
    case .superAdmin: ["system:masters"]
    case .kubelet: ["system:nodes"]
    case .controllerManager, .scheduler: []
    }
  }

  /// Whether it points at this node's API server rather than the control-plane endpoint.
  public var isLocal: Bool { self == .controllerManager || self == .scheduler }

  /// What `kubeadm init` writes, in its order.
  public static let initFiles: [KubeconfigKind] = [
    .admin, .superAdmin, .kubelet, .controllerManager, .scheduler,
  ]

  /// What a control plane writes when it joins (the kubelet makes its own `kubelet.conf`).
  public static let joinControlPlaneFiles: [KubeconfigKind] = [
    .admin, .controllerManager, .scheduler,
  ]
}

/// Writes kubeconfigs (`0600`) with a client certificate signed by the cluster CA and the CA
/// embedded, in the YAML kubectl writes.
public struct KubeconfigWriter: Sendable {
  /// Where files go.
  public let host: KubeadmHost
  /// The node and cluster.
  public let config: InitConfiguration
  /// How client certificates are made.
  public let factory: CertificateFactory

  /// The directory kubeconfigs live in.
  public static let directory = "/etc/kubernetes"

  /// A writer for `config` on `host`, issuing at `now`.
  public init(host: KubeadmHost, config: InitConfiguration, now: Date) {
    self.host = host
    self.config = config
    factory = CertificateFactory(now: now, cluster: config.cluster)
  }

  /// The path of a kubeconfig.
  public static func path(_ kind: KubeconfigKind) -> String { directory + "/" + kind.fileName }

  /// Writes `kinds` (keeping any that exist), with the lines kubeadm prints.
  public func write(_ kinds: [KubeconfigKind]) throws -> [String] {
    let signer = try PKIWriter(host: host, config: config, now: factory.now).loadCA(
      .kubernetes, wrapping: "couldn't create a kubeconfig; the CA files couldn't be loaded")
    var lines = ["[kubeconfig] Using kubeconfig folder \(GoQuote.quote(Self.directory))"]
    for kind in kinds {
      let target = Self.path(kind)
      if host.exists(target) {
        lines.append("[kubeconfig] Using existing kubeconfig file: \(GoQuote.quote(target))")
        continue
      }
      try host.write(try render(kind, signer: signer), to: target, mode: 0o600)
      lines.append("[kubeconfig] Writing \(GoQuote.quote(kind.fileName)) kubeconfig file")
    }
    return lines
  }

  /// The text of one kubeconfig, with a fresh client certificate.
  public func render(_ kind: KubeconfigKind, signer: KeyPair) throws -> String {
    let user = kind.user(nodeName: config.node.name)
    let client = try factory.makeLeaf(
      commonName: user, organizations: kind.organizations, purposes: [.clientAuth],
      altNames: AltNames(), signer: signer)
    return Self.text(
      cluster: config.cluster.clusterName,
      server: kind.isLocal ? config.localAPIURL : config.controlPlaneURL,
      caPEM: try signer.certificatePEM(), user: user,
      credentials: .embedded(certificatePEM: try client.certificatePEM(), keyPEM: client.keyPEM))
  }

  /// How a kubeconfig's user proves who it is.
  public enum Credentials: Sendable {
    /// `client-certificate-data` and `client-key-data`.
    case embedded(certificatePEM: String, keyPEM: String)
    /// `client-certificate` and `client-key` naming one file (the kubelet's rotated pair).
    case file(String)
    /// A bootstrap token (`bootstrap-kubelet.conf`).
    case token(String)
  }

  /// A one-cluster, one-user kubeconfig as kubectl serialises it (keys sorted, base64 data on
  /// one line), context `<user>@<cluster>`.
  public static func text(
    cluster: String, server: String, caPEM: String, user: String, credentials: Credentials
  ) -> String {
    let context = user + "@" + cluster
    let userLines: String
    switch credentials {
    case .embedded(let certificate, let key):
      userLines =
        "    client-certificate-data: \(base64(certificate))\n    client-key-data: \(base64(key))\n"
    case .file(let path):
      userLines = "    client-certificate: \(path)\n    client-key: \(path)\n"
    case .token(let token):
      userLines = "    token: \(token)\n"
    }
    return """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: \(base64(caPEM))
          server: \(server)
        name: \(cluster)
      contexts:
      - context:
          cluster: \(cluster)
          user: \(user)
        name: \(context)
      current-context: \(context)
      kind: Config
      preferences: {}
      users:
      - name: \(user)
        user:

      """ + userLines
  }

  private static func base64(_ text: String) -> String {
    Data(text.utf8).base64EncodedString()
  }
}
