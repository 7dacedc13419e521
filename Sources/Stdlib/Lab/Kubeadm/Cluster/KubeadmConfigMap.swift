import Foundation

/// The `kube-system/kubeadm-config` ConfigMap `kubeadm init` stores in its upload-config
/// phase and `join`/`reset` read back: key `ClusterConfiguration`, the cluster's v1beta4
/// `ClusterConfiguration` as kubeadm marshals it (keys sorted, empty components `{}`).
public struct KubeadmConfigMap: Sendable, Equatable {
  /// The cluster configuration.
  public var cluster: ClusterConfiguration

  /// The ConfigMap for `cluster`.
  public init(cluster: ClusterConfiguration) { self.cluster = cluster }

  /// The ConfigMap's path.
  public static let path = ClusterObjects.configMapPath(ClusterObjects.kubeSystem, "kubeadm-config")

  /// The data key.
  public static let key = "ClusterConfiguration"

  /// The configuration stored in `configMap`; kubeadm's error when the key is missing or the
  /// YAML is not a ClusterConfiguration. The release supplies defaults the document leaves out.
  public static func cluster(from configMap: JSONValue, release: KubeadmRelease)
    throws(KubeadmError)
    -> ClusterConfiguration
  {
    guard let text = configMap["data"]?[key]?.string else {
      throw KubeadmError(
        "unexpected error when reading kubeadm-config ConfigMap: \(key) key value pair missing")
    }
    let file: KubeadmConfigFile
    do {
      file = try KubeadmConfigFile.parse(text)
    } catch let error as KubeadmError {
      throw error
    } catch {
      throw KubeadmError("\(error)")
    }
    guard let document = file.clusterConfiguration else {
      throw KubeadmError(
        "unexpected error when reading kubeadm-config ConfigMap: no ClusterConfiguration")
    }
    var cluster = ClusterConfiguration()
    do throws(KubeadmFailure) {
      try InitConfigurationLoader(hostname: "", defaultAdvertiseAddress: nil, release: release)
        .apply(document, to: &cluster)
    } catch {
      throw KubeadmError(error.message)
    }
    if cluster.kubernetesVersion.isEmpty { cluster.kubernetesVersion = release.gitVersion }
    return cluster
  }

  /// The ConfigMap object.
  public var object: JSONValue {
    .object([
      "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
      "metadata": ClusterObjects.metadata(
        name: "kubeadm-config", namespace: ClusterObjects.kubeSystem),
      "data": .object([Self.key: .string(yaml)]),
    ])
  }

  /// The `ClusterConfiguration` document.
  public var yaml: String {
    func args(_ list: [KubeadmArgument]) -> YAMLText {
      .list(list.map { .map([("name", .string($0.name)), ("value", .string($0.value))]) })
    }
    var apiServer: [(String, YAMLText)] = []
    if !cluster.certSANs.isEmpty {
      apiServer.append(("certSANs", .list(cluster.certSANs.map { .string($0) })))
    }
    if !cluster.apiServerExtraArgs.isEmpty {
      apiServer.append(("extraArgs", args(cluster.apiServerExtraArgs)))
    }
    func component(_ list: [KubeadmArgument]) -> YAMLText {
      list.isEmpty ? .map([]) : .map([("extraArgs", args(list))])
    }
    let etcd: YAMLText
    switch cluster.etcd {
    case .local(let local):
      var fields: [(String, YAMLText)] = [("dataDir", .string(local.dataDir))]
      if !local.extraArgs.isEmpty { fields.append(("extraArgs", args(local.extraArgs))) }
      if !local.peerCertSANs.isEmpty {
        fields.append(("peerCertSANs", .list(local.peerCertSANs.map { .string($0) })))
      }
      if !local.serverCertSANs.isEmpty {
        fields.append(("serverCertSANs", .list(local.serverCertSANs.map { .string($0) })))
      }
      etcd = .map([("local", .map(fields))])
    case .external(let external):
      var fields: [(String, YAMLText)] = []
      if !external.caFile.isEmpty { fields.append(("caFile", .string(external.caFile))) }
      if !external.certFile.isEmpty { fields.append(("certFile", .string(external.certFile))) }
      fields.append(("endpoints", .list(external.endpoints.map { .string($0) })))
      if !external.keyFile.isEmpty { fields.append(("keyFile", .string(external.keyFile))) }
      etcd = .map([("external", .map(fields))])
    }
    var networking: [(String, YAMLText)] = [("dnsDomain", .string(cluster.dnsDomain))]
    if !cluster.podSubnet.isEmpty { networking.append(("podSubnet", .string(cluster.podSubnet))) }
    networking.append(("serviceSubnet", .string(cluster.serviceSubnet)))
    var document: [(String, YAMLText)] = [
      ("apiServer", .map(apiServer)),
      ("apiVersion", .string("kubeadm.k8s.io/v1beta4")),
      ("caCertificateValidityPeriod", .string(GoDuration.format(cluster.caCertificateValidity))),
      ("certificateValidityPeriod", .string(GoDuration.format(cluster.certificateValidity))),
      ("certificatesDir", .string(cluster.certificatesDir)),
      ("clusterName", .string(cluster.clusterName)),
    ]
    if !cluster.controlPlaneEndpoint.isEmpty {
      document.append(("controlPlaneEndpoint", .string(cluster.controlPlaneEndpoint)))
    }
    document += [
      ("controllerManager", component(cluster.controllerManagerExtraArgs)),
      ("dns", .map([])),
      ("encryptionAlgorithm", .string("RSA-2048")),
      ("etcd", etcd),
      ("imageRepository", .string(cluster.imageRepository)),
      ("kind", .string("ClusterConfiguration")),
      ("kubernetesVersion", .string(cluster.kubernetesVersion)),
      ("networking", .map(networking)),
      ("proxy", .map([])),
      ("scheduler", component(cluster.schedulerExtraArgs)),
    ]
    return YAMLText.map(document).render()
  }
}

/// The `kube-system/kubelet-config` ConfigMap (key `kubelet`): the `KubeletConfiguration`
/// every node's kubelet-start phase writes to `/var/lib/kubelet/config.yaml`.
public struct KubeletConfigMap: Sendable, Equatable {
  /// The configuration text.
  public var kubelet: String

  /// The ConfigMap for `cluster`, with the text `KubeletFiles` writes.
  public init(cluster: ClusterConfiguration, release: KubeadmRelease) {
    kubelet = KubeletFiles(host: KubeadmHost(), release: release).configText(cluster: cluster)
  }

  /// The ConfigMap as stored; nil without its key.
  public init?(configMap: JSONValue) {
    guard let text = configMap["data"]?["kubelet"]?.string else { return nil }
    kubelet = text
  }

  /// The ConfigMap's path.
  public static let path = ClusterObjects.configMapPath(ClusterObjects.kubeSystem, "kubelet-config")

  /// The ConfigMap object.
  public var object: JSONValue {
    .object([
      "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
      "metadata": ClusterObjects.metadata(
        name: "kubelet-config", namespace: ClusterObjects.kubeSystem),
      "data": .object(["kubelet": .string(kubelet)]),
    ])
  }
}
