/// What a certificate authority of the cluster is: its phase name, file base name and CN.
public struct CASpec: Sendable, Equatable {
  /// The `init phase certs` subcommand (`ca`, `front-proxy-ca`, `etcd-ca`).
  public let phase: String
  /// The files' base name under the PKI directory (`ca`, `front-proxy-ca`, `etcd/ca`).
  public let baseName: String
  /// The subject CN (also its one DNS SAN).
  public let commonName: String

  /// The cluster CA.
  public static let kubernetes = CASpec(phase: "ca", baseName: "ca", commonName: "kubernetes")
  /// The front-proxy CA.
  public static let frontProxy = CASpec(
    phase: "front-proxy-ca", baseName: "front-proxy-ca", commonName: "front-proxy-ca")
  /// The etcd CA.
  public static let etcd = CASpec(phase: "etcd-ca", baseName: "etcd/ca", commonName: "etcd-ca")
}

/// Which SANs a leaf certificate gets.
public enum SANKind: Sendable, Equatable {
  /// None (client certificates).
  case none
  /// The API server's names and addresses.
  case apiServer
  /// etcd's serving certificate.
  case etcdServer
  /// etcd's peer certificate.
  case etcdPeer
}

/// An extended key usage kubeadm gives.
public enum KeyPurpose: Sendable, Equatable {
  /// TLS server.
  case serverAuth
  /// TLS client.
  case clientAuth
}

/// A leaf certificate of the cluster PKI (`GetDefaultCertList`, v1.31+).
public struct LeafSpec: Sendable, Equatable {
  /// The `init phase certs` subcommand (`apiserver`, `etcd-server`, …).
  public let phase: String
  /// The files' base name (`apiserver`, `etcd/server`, …).
  public let baseName: String
  /// The CA that signs it.
  public let ca: CASpec
  /// The subject CN; nil means "the node name".
  public let commonName: String?
  /// The subject O values.
  public let organizations: [String]
  /// The extended key usages.
  public let purposes: [KeyPurpose]
  /// Its SANs.
  public let sans: SANKind
  /// Whether it belongs to stacked etcd (dropped with external etcd).
  public let isEtcd: Bool

  /// The CN for a node named `nodeName`.
  public func commonName(nodeName: String) -> String { commonName ?? nodeName }

  /// `apiserver.crt`.
  public static let apiServer = LeafSpec(
    phase: "apiserver", baseName: "apiserver", ca: .kubernetes, commonName: "kube-apiserver",
    organizations: [], purposes: [.serverAuth], sans: .apiServer, isEtcd: false)
  /// `apiserver-kubelet-client.crt`.
  public static let apiServerKubeletClient = LeafSpec(
    phase: "apiserver-kubelet-client", baseName: "apiserver-kubelet-client", ca: .kubernetes,
    commonName: "kube-apiserver-kubelet-client", organizations: ["kubeadm:cluster-admins"],
    purposes: [.clientAuth], sans: .none, isEtcd: false)
  /// `front-proxy-client.crt`.
  public static let frontProxyClient = LeafSpec(
    phase: "front-proxy-client", baseName: "front-proxy-client", ca: .frontProxy,
    commonName: "front-proxy-client", organizations: [], purposes: [.clientAuth], sans: .none,
    isEtcd: false)
  /// `etcd/server.crt`.
  public static let etcdServer = LeafSpec(
    phase: "etcd-server", baseName: "etcd/server", ca: .etcd, commonName: nil, organizations: [],
    purposes: [.serverAuth, .clientAuth], sans: .etcdServer, isEtcd: true)
  /// `etcd/peer.crt`.
  public static let etcdPeer = LeafSpec(
    phase: "etcd-peer", baseName: "etcd/peer", ca: .etcd, commonName: nil, organizations: [],
    purposes: [.serverAuth, .clientAuth], sans: .etcdPeer, isEtcd: true)
  /// `etcd/healthcheck-client.crt`.
  public static let etcdHealthcheckClient = LeafSpec(
    phase: "etcd-healthcheck-client", baseName: "etcd/healthcheck-client", ca: .etcd,
    commonName: "kube-etcd-healthcheck-client", organizations: [], purposes: [.clientAuth],
    sans: .none, isEtcd: true)
  /// `apiserver-etcd-client.crt`.
  public static let apiServerEtcdClient = LeafSpec(
    phase: "apiserver-etcd-client", baseName: "apiserver-etcd-client", ca: .etcd,
    commonName: "kube-apiserver-etcd-client", organizations: [], purposes: [.clientAuth],
    sans: .none, isEtcd: true)
}

/// One step of the `certs` phase, in the order `kubeadm init` runs them.
public enum CertsStep: Sendable, Equatable {
  /// Make (or reuse) a CA.
  case ca(CASpec)
  /// Make (or reuse) a leaf.
  case leaf(LeafSpec)
  /// Make (or reuse) the service-account key pair.
  case serviceAccount

  /// The subcommand of `kubeadm init phase certs`.
  public var phase: String {
    switch self {
    case .ca(let ca): ca.phase
    case .leaf(let leaf): leaf.phase
    case .serviceAccount: "sa"
    }
  }

  /// Every step, in init's order.
  public static let all: [CertsStep] = [
    .ca(.kubernetes), .leaf(.apiServer), .leaf(.apiServerKubeletClient), .ca(.frontProxy),
    .leaf(.frontProxyClient), .ca(.etcd), .leaf(.etcdServer), .leaf(.etcdPeer),
    .leaf(.etcdHealthcheckClient), .leaf(.apiServerEtcdClient), .serviceAccount,
  ]

  /// The step for a subcommand name.
  public static func named(_ phase: String) -> CertsStep? {
    all.first { $0.phase == phase }
  }

  /// The leaves a joining control plane makes itself from the shared CAs.
  public static let joinLeaves: [LeafSpec] = [
    .apiServer, .apiServerKubeletClient, .frontProxyClient, .etcdServer, .etcdPeer,
    .etcdHealthcheckClient, .apiServerEtcdClient,
  ]
}
