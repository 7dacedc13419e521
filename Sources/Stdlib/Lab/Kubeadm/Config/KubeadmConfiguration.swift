import Foundation

/// One `--name=value` argument of a control-plane component, as v1beta4's `extraArgs` lists
/// them (`{name, value}`).
public struct KubeadmArgument: Sendable, Equatable {
  /// The flag name, without dashes.
  public var name: String
  /// The value.
  public var value: String

  /// An argument.
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// etcd run by kubeadm on each control plane (`etcd.local`).
public struct LocalEtcd: Sendable, Equatable {
  /// Where etcd keeps its data (`/var/lib/etcd`).
  public var dataDir = "/var/lib/etcd"
  /// Extra SANs of `etcd/server.crt`.
  public var serverCertSANs: [String] = []
  /// Extra SANs of `etcd/peer.crt`.
  public var peerCertSANs: [String] = []
  /// Overrides and additions to etcd's command line.
  public var extraArgs: [KubeadmArgument] = []

  /// The defaults.
  public init() {}
}

/// An etcd cluster kubeadm does not run (`etcd.external`).
public struct ExternalEtcd: Sendable, Equatable {
  /// The client URLs of the members.
  public var endpoints: [String] = []
  /// The CA that signed the members' serving certificates.
  public var caFile = ""
  /// The API server's client certificate.
  public var certFile = ""
  /// Its key.
  public var keyFile = ""

  /// No endpoints, no files.
  public init() {}
}

/// Where etcd runs: stacked on the control planes, or elsewhere.
public enum EtcdTopology: Sendable, Equatable {
  /// kubeadm writes an etcd static pod on every control plane.
  case local(LocalEtcd)
  /// The API server talks to these members.
  case external(ExternalEtcd)

  /// The external settings, if any.
  public var external: ExternalEtcd? {
    if case .external(let external) = self { return external }
    return nil
  }

  /// The local settings, if any.
  public var local: LocalEtcd? {
    if case .local(let local) = self { return local }
    return nil
  }
}

/// The cluster-wide part of kubeadm's configuration (v1beta4 `ClusterConfiguration`), with
/// kubeadm's defaults. Only the fields the recipes use are kept.
public struct ClusterConfiguration: Sendable, Equatable {
  /// The control plane's version (`v1.32.0`); labels such as `stable` resolve to the
  /// stand-in's own version, as kubeadm does offline.
  public var kubernetesVersion = ""
  /// `host:port` of the load balancer, or empty. A port-less value gets the bind port.
  public var controlPlaneEndpoint = ""
  /// Services' range.
  public var serviceSubnet = "10.96.0.0/12"
  /// Pods' range (`--pod-network-cidr`), or empty.
  public var podSubnet = ""
  /// The services' DNS domain.
  public var dnsDomain = "cluster.local"
  /// Extra SANs of `apiserver.crt`.
  public var certSANs: [String] = []
  /// Extra arguments of the three control-plane components.
  public var apiServerExtraArgs: [KubeadmArgument] = []
  /// Extra arguments of kube-controller-manager.
  public var controllerManagerExtraArgs: [KubeadmArgument] = []
  /// Extra arguments of kube-scheduler.
  public var schedulerExtraArgs: [KubeadmArgument] = []
  /// Stacked or external etcd.
  public var etcd = EtcdTopology.local(LocalEtcd())
  /// Where the PKI lives.
  public var certificatesDir = "/etc/kubernetes/pki"
  /// The cluster's name in kubeconfigs.
  public var clusterName = "kubernetes"
  /// Where control-plane images come from.
  public var imageRepository = "registry.k8s.io"
  /// How long a leaf certificate is valid (1 year).
  public var certificateValidity: TimeInterval = 365 * 24 * 3600
  /// How long a CA certificate is valid (10 years).
  public var caCertificateValidity: TimeInterval = 10 * 365 * 24 * 3600

  /// kubeadm's defaults.
  public init() {}

  /// Whether etcd is external.
  public var usesExternalEtcd: Bool { etcd.external != nil }
}

/// The node-specific part: its name and the address its API server advertises.
public struct NodeSettings: Sendable, Equatable {
  /// The node name (`nodeRegistration.name`, else the lowercased hostname).
  public var name: String
  /// The IP the API server and etcd advertise (`localAPIEndpoint.advertiseAddress`).
  public var advertiseAddress: String
  /// The API server's port (6443).
  public var bindPort = 6443

  /// A node.
  public init(name: String, advertiseAddress: String, bindPort: Int = 6443) {
    self.name = name
    self.advertiseAddress = advertiseAddress
    self.bindPort = bindPort
  }
}

/// A bootstrap token as `InitConfiguration.bootstrapTokens` lists it.
public struct BootstrapTokenSpec: Sendable, Equatable {
  /// The token.
  public var token: BootstrapToken
  /// Time to live (24 h); nil for "never expires".
  public var ttl: TimeInterval? = 24 * 3600
  /// What it is for.
  public var description = ""
  /// `signing`, `authentication`.
  public var usages = ["signing", "authentication"]
  /// Extra groups it authenticates as.
  public var groups = ["system:bootstrappers:kubeadm:default-node-token"]

  /// A token with kubeadm's defaults.
  public init(token: BootstrapToken) { self.token = token }

  /// The description `kubeadm init` gives its token.
  public static let initDescription = "The default bootstrap token generated by 'kubeadm init'."
}

/// Everything `kubeadm init` acts on: the node, the cluster, the tokens and the certificate
/// key, after flags, the config file and defaults are combined.
public struct InitConfiguration: Sendable, Equatable {
  /// This node.
  public var node: NodeSettings
  /// The cluster.
  public var cluster: ClusterConfiguration
  /// The tokens to create (one by default).
  public var bootstrapTokens: [BootstrapTokenSpec] = []
  /// The key for `--upload-certs`, or empty.
  public var certificateKey = ""
  /// `timeouts.controlPlaneComponentHealthCheck`: how long wait-control-plane polls the API
  /// server (4 minutes).
  public var controlPlaneHealthTimeout: TimeInterval = 240
  /// `timeouts.kubeletHealthCheck`: how long it waits for the kubelet (4 minutes).
  public var kubeletHealthTimeout: TimeInterval = 240

  /// A configuration for `node` in `cluster`.
  public init(node: NodeSettings, cluster: ClusterConfiguration = ClusterConfiguration()) {
    self.node = node
    self.cluster = cluster
  }

  /// The URL every kubeconfig but the local ones points at: the control-plane endpoint, else
  /// this node's API server.
  public var controlPlaneURL: String {
    "https://"
      + (cluster.controlPlaneEndpoint.isEmpty ? localHostPort : cluster.controlPlaneEndpoint)
  }

  /// This node's API server, `https://<advertise>:<port>`.
  public var localAPIURL: String { "https://" + localHostPort }

  /// `<advertise>:<port>`, IPv6 in brackets.
  var localHostPort: String { HostPort.join(node.advertiseAddress, node.bindPort) }
}
