import Foundation
import Yams

/// A kubeadm `--config` file: YAML documents of kind `InitConfiguration`,
/// `ClusterConfiguration` and `JoinConfiguration` (`kubeadm.k8s.io/v1beta4`, or the deprecated
/// v1beta3 whose `extraArgs` are maps). Documents of other groups (kubelet, kube-proxy) are
/// kept out of the way, as kubeadm does.
public struct KubeadmConfigFile: Sendable, Equatable {
  /// The `InitConfiguration` document, if any.
  public var initConfiguration: InitDocument?
  /// The `ClusterConfiguration` document, if any.
  public var clusterConfiguration: ClusterDocument?
  /// The `JoinConfiguration` document, if any.
  public var joinConfiguration: JoinDocument?

  /// Reads the file at `path` (a real path; the message names it as given).
  public static func load(path: String, reading: (String) throws -> String) throws
    -> KubeadmConfigFile
  {
    let text: String
    do {
      text = try reading(path)
    } catch {
      throw KubeadmError(
        "unable to read config from \(GoQuote.quote(path)) : open \(path): no such file or directory"
      )
    }
    return try parse(text)
  }

  /// Parses YAML text.
  public static func parse(_ text: String) throws -> KubeadmConfigFile {
    var file = KubeadmConfigFile()
    let documents: [Node]
    do {
      documents = Array(try Yams.compose_all(yaml: text))
    } catch {
      throw KubeadmError("error converting YAML to JSON: yaml: \(error)")
    }
    let decoder = YAMLDecoder()
    for document in documents {
      let meta = try decode(TypeMeta.self, document, decoder)
      let apiVersion = meta.apiVersion ?? ""
      let kind = meta.kind ?? ""
      guard apiVersion.hasPrefix("kubeadm.k8s.io/") else { continue }
      if let release = Self.removedVersions[apiVersion] {
        throw KubeadmError(
          "your configuration file uses an old API spec: \(GoQuote.quote(apiVersion)) (kind: "
            + "\(GoQuote.quote(kind))). Please use kubeadm \(release) instead and run 'kubeadm "
            + "config migrate --old-config old.yaml --new-config new.yaml'.")
      }
      switch kind {
      case "InitConfiguration":
        file.initConfiguration = try decode(InitDocument.self, document, decoder)
      case "ClusterConfiguration":
        file.clusterConfiguration = try decode(ClusterDocument.self, document, decoder)
      case "JoinConfiguration":
        file.joinConfiguration = try decode(JoinDocument.self, document, decoder)
      default: continue
      }
    }
    return file
  }

  /// API versions kubeadm 1.31/1.32 no longer read, and the release that still does.
  static let removedVersions = [
    "kubeadm.k8s.io/v1alpha1": "v1.11", "kubeadm.k8s.io/v1alpha2": "v1.12",
    "kubeadm.k8s.io/v1alpha3": "v1.14", "kubeadm.k8s.io/v1beta1": "v1.14",
    "kubeadm.k8s.io/v1beta2": "v1.22",
  ]

  private static func decode<T: Decodable>(_ type: T.Type, _ node: Node, _ decoder: YAMLDecoder)
    throws -> T
  {
    do {
      return try decoder.decode(type, from: node)
    } catch let error as DecodingError {
      throw KubeadmError("error unmarshaling JSON: while decoding JSON: \(Self.describe(error))")
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    var context: DecodingError.Context?
    if case .typeMismatch(_, let found) = error { context = found }
    if case .valueNotFound(_, let found) = error { context = found }
    if case .keyNotFound(_, let found) = error { context = found }
    if case .dataCorrupted(let found) = error { context = found }
    guard let context else { return "\(error)" }
    let path = context.codingPath.map(\.stringValue).joined(separator: ".")
    return path.isEmpty ? context.debugDescription : path + ": " + context.debugDescription
  }
}

private struct TypeMeta: Decodable {
  var apiVersion: String?
  var kind: String?
}

/// `extraArgs`: v1beta4's list of `{name, value}`, or v1beta3's map (sorted by name).
public struct ExtraArgs: Decodable, Sendable, Equatable {
  /// The arguments in file order.
  public var arguments: [KubeadmArgument] = []

  /// Reads either form.
  public init(from decoder: any Decoder) throws {
    if let list = try? [NameValue](from: decoder) {
      arguments = list.map { KubeadmArgument(name: $0.name ?? "", value: $0.value ?? "") }
    } else {
      let map = try [String: String](from: decoder)
      arguments = map.keys.sorted().map { KubeadmArgument(name: $0, value: map[$0] ?? "") }
    }
  }

  private struct NameValue: Decodable {
    var name: String?
    var value: String?
  }
}

/// `localAPIEndpoint`.
public struct APIEndpointDocument: Decodable, Sendable, Equatable {
  /// `advertiseAddress`.
  public var advertiseAddress: String?
  /// `bindPort`.
  public var bindPort: Int?
}

/// `nodeRegistration` (the name only).
public struct NodeRegistrationDocument: Decodable, Sendable, Equatable {
  /// `name`.
  public var name: String?
}

/// One entry of `bootstrapTokens`.
public struct BootstrapTokenDocument: Decodable, Sendable, Equatable {
  /// `token`.
  public var token: String?
  /// `ttl`, a Go duration.
  public var ttl: String?
  /// `description`.
  public var description: String?
  /// `usages`.
  public var usages: [String]?
  /// `groups`.
  public var groups: [String]?
}

/// `kind: InitConfiguration`.
public struct InitDocument: Decodable, Sendable, Equatable {
  /// `bootstrapTokens`.
  public var bootstrapTokens: [BootstrapTokenDocument]?
  /// `nodeRegistration`.
  public var nodeRegistration: NodeRegistrationDocument?
  /// `localAPIEndpoint`.
  public var localAPIEndpoint: APIEndpointDocument?
  /// `certificateKey`.
  public var certificateKey: String?
  /// `timeouts` (v1beta4).
  public var timeouts: TimeoutsDocument?
}

/// v1beta4's `timeouts` (Go durations), the ones the stand-in waits on.
public struct TimeoutsDocument: Decodable, Sendable, Equatable {
  /// How long init waits for the API server (`4m0s`).
  public var controlPlaneComponentHealthCheck: String?
  /// How long init waits for the kubelet (`4m0s`).
  public var kubeletHealthCheck: String?
}

/// A control-plane component's settings (`apiServer`, `controllerManager`, `scheduler`).
public struct ComponentDocument: Decodable, Sendable, Equatable {
  /// `extraArgs`.
  public var extraArgs: ExtraArgs?
  /// `certSANs` (API server only).
  public var certSANs: [String]?
}

/// `networking`.
public struct NetworkingDocument: Decodable, Sendable, Equatable {
  /// `serviceSubnet`.
  public var serviceSubnet: String?
  /// `podSubnet`.
  public var podSubnet: String?
  /// `dnsDomain`.
  public var dnsDomain: String?
}

/// `etcd`.
public struct EtcdDocument: Decodable, Sendable, Equatable {
  /// `etcd.local`.
  public struct Local: Decodable, Sendable, Equatable {
    /// `dataDir`.
    public var dataDir: String?
    /// `serverCertSANs`.
    public var serverCertSANs: [String]?
    /// `peerCertSANs`.
    public var peerCertSANs: [String]?
    /// `extraArgs`.
    public var extraArgs: ExtraArgs?
  }

  /// `etcd.external`.
  public struct External: Decodable, Sendable, Equatable {
    /// `endpoints`.
    public var endpoints: [String]?
    /// `caFile`.
    public var caFile: String?
    /// `certFile`.
    public var certFile: String?
    /// `keyFile`.
    public var keyFile: String?
  }

  /// `local`.
  public var local: Local?
  /// `external`.
  public var external: External?
}

/// `kind: ClusterConfiguration`.
public struct ClusterDocument: Decodable, Sendable, Equatable {
  /// `kubernetesVersion`.
  public var kubernetesVersion: String?
  /// `controlPlaneEndpoint`.
  public var controlPlaneEndpoint: String?
  /// `networking`.
  public var networking: NetworkingDocument?
  /// `apiServer`.
  public var apiServer: ComponentDocument?
  /// `controllerManager`.
  public var controllerManager: ComponentDocument?
  /// `scheduler`.
  public var scheduler: ComponentDocument?
  /// `etcd`.
  public var etcd: EtcdDocument?
  /// `certificatesDir`.
  public var certificatesDir: String?
  /// `clusterName`.
  public var clusterName: String?
  /// `imageRepository`.
  public var imageRepository: String?
  /// `certificateValidityPeriod`.
  public var certificateValidityPeriod: String?
  /// `caCertificateValidityPeriod`.
  public var caCertificateValidityPeriod: String?
}

/// `kind: JoinConfiguration`.
public struct JoinDocument: Decodable, Sendable, Equatable {
  /// `discovery`.
  public struct Discovery: Decodable, Sendable, Equatable {
    /// `discovery.bootstrapToken`.
    public struct BootstrapTokenDiscovery: Decodable, Sendable, Equatable {
      /// `token`.
      public var token: String?
      /// `apiServerEndpoint`.
      public var apiServerEndpoint: String?
      /// `caCertHashes`.
      public var caCertHashes: [String]?
      /// `unsafeSkipCAVerification`.
      public var unsafeSkipCAVerification: Bool?
    }

    /// `bootstrapToken`.
    public var bootstrapToken: BootstrapTokenDiscovery?
    /// `tlsBootstrapToken`.
    public var tlsBootstrapToken: String?
  }

  /// `controlPlane`.
  public struct ControlPlane: Decodable, Sendable, Equatable {
    /// `localAPIEndpoint`.
    public var localAPIEndpoint: APIEndpointDocument?
    /// `certificateKey`.
    public var certificateKey: String?
  }

  /// `discovery`.
  public var discovery: Discovery?
  /// `nodeRegistration`.
  public var nodeRegistration: NodeRegistrationDocument?
  /// `controlPlane` (nil for a worker).
  public var controlPlane: ControlPlane?
}
