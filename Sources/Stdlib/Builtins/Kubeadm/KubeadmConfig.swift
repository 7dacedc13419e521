import Interpreter
import OrderedCollections

/// kubeadm's configuration files (API `kubeadm.k8s.io/v1beta4`) as YAML, for `kubeadm init
/// --config` and `kubeadm join --config`: the fields the HA recipes set, nothing else, so
/// kubeadm's defaults apply to the rest. A secret put in (a token, a certificate key) makes
/// the whole text a secret.
public enum KubeadmConfig {
  /// The API version written.
  public static let apiVersion = "kubeadm.k8s.io/v1beta4"

  /// External etcd: the members and the client certificate the API server uses.
  public struct ExternalEtcd: Sendable {
    /// `https://10.0.0.11:2379`, …
    public var endpoints: [String]
    /// The etcd CA.
    public var caFile: String
    /// The API server's etcd client certificate.
    public var certFile: String
    /// Its key.
    public var keyFile: String
  }

  /// What `InitConfiguration` + `ClusterConfiguration` say.
  public struct Init: Sendable {
    /// `controlPlaneEndpoint`: the load balancer, `host:port`.
    public var endpoint: String
    /// `kubernetesVersion`, nil for kubeadm's own.
    public var kubernetesVersion: String?
    /// `networking.podSubnet`.
    public var podSubnet: String?
    /// `networking.serviceSubnet`.
    public var serviceSubnet: String?
    /// `etcd.external`, nil for stacked etcd.
    public var etcd: ExternalEtcd?
    /// `certificateKey` (with `--upload-certs`).
    public var certificateKey: Value?
    /// `bootstrapTokens[0].token`.
    public var token: Value?
    /// `localAPIEndpoint.advertiseAddress`.
    public var advertiseAddress: String?
  }

  /// What `JoinConfiguration` says.
  public struct Join: Sendable {
    /// `discovery.bootstrapToken.apiServerEndpoint`.
    public var endpoint: String
    /// `discovery.bootstrapToken.token`.
    public var token: Value
    /// `discovery.bootstrapToken.caCertHashes`.
    public var caCertHashes: [String]
    /// Whether `controlPlane` is written (a control-plane join).
    public var controlPlane: Bool
    /// `controlPlane.certificateKey`.
    public var certificateKey: Value?
    /// `controlPlane.localAPIEndpoint.advertiseAddress`.
    public var advertiseAddress: String?
  }

  /// The two documents of `kubeadm init --config`.
  public static func render(_ config: Init) throws -> Value {
    var initDocument = header("InitConfiguration")
    if let token = config.token {
      initDocument["bootstrapTokens"] = .list([.map(["token": token])])
    }
    if let key = config.certificateKey { initDocument["certificateKey"] = key }
    if let address = config.advertiseAddress {
      initDocument["localAPIEndpoint"] = .map(["advertiseAddress": .string(address)])
    }
    var cluster = header("ClusterConfiguration")
    if let version = config.kubernetesVersion { cluster["kubernetesVersion"] = .string(version) }
    cluster["controlPlaneEndpoint"] = .string(config.endpoint)
    var networking: ValueMap = [:]
    if let pods = config.podSubnet { networking["podSubnet"] = .string(pods) }
    if let services = config.serviceSubnet { networking["serviceSubnet"] = .string(services) }
    if !networking.isEmpty { cluster["networking"] = .map(networking) }
    if let etcd = config.etcd {
      cluster["etcd"] = .map([
        "external": .map([
          "endpoints": .list(etcd.endpoints.map(Value.string)),
          "caFile": .string(etcd.caFile), "certFile": .string(etcd.certFile),
          "keyFile": .string(etcd.keyFile),
        ])
      ])
    }
    return try documents([initDocument, cluster])
  }

  /// The document of `kubeadm join --config`.
  public static func render(_ config: Join) throws -> Value {
    var join = header("JoinConfiguration")
    join["discovery"] = .map([
      "bootstrapToken": .map([
        "apiServerEndpoint": .string(config.endpoint), "token": config.token,
        "caCertHashes": .list(config.caCertHashes.map(Value.string)),
      ])
    ])
    if config.controlPlane {
      var controlPlane: ValueMap = [:]
      if let key = config.certificateKey { controlPlane["certificateKey"] = key }
      if let address = config.advertiseAddress {
        controlPlane["localAPIEndpoint"] = .map(["advertiseAddress": .string(address)])
      }
      join["controlPlane"] = .map(controlPlane)
    }
    return try documents([join])
  }

  private static func header(_ kind: String) -> ValueMap {
    ["apiVersion": .string(apiVersion), "kind": .string(kind)]
  }

  /// The documents as one YAML stream, a secret when any part is.
  private static func documents(_ maps: [ValueMap]) throws -> Value {
    var texts: [String] = []
    var secret = false
    for map in maps {
      switch try YAMLCodec.encode(.map(map)) {
      case .secret(let s):
        secret = true
        texts.append(s.value)
      case .string(let s): texts.append(s)
      default: break
      }
    }
    let text = texts.joined(separator: "---\n")
    return secret ? .secret(Secret(text, label: "kubeadm-config")) : .string(text)
  }
}
