import Foundation
import Testing

@testable import Lab

/// cp1 made the cluster's first control plane, and what the joins need from it: the token,
/// the CA hash and the certificate key. The PKI, kubeconfigs and static pods come from
/// `kubeadm init phase …` on cp1 (its kubelet then runs real etcd and the API server); the
/// API objects `kubeadm init` stores (kubeadm-config, cluster-info, the bootstrap token,
/// the kubeadm-certs Secret with its 2-hour token, cp1's Node and mirror pods) are made with
/// the init slice's types through the endpoint.
struct FirstControlPlane {
  let cluster: Cluster
  let endpoint: String
  let config: InitConfiguration
  let token: String
  let hash: String
  let certificateKey: String

  var host: KubeadmHost { KubeadmHost(root: cluster.lab.files.fs("cp1")) }

  /// cp1 as the first control plane; `configYAML` (a ClusterConfiguration, e.g. with
  /// `etcd.external`) replaces `--control-plane-endpoint` and the local etcd.
  static func make(cluster: Cluster, endpoint: String, configYAML: String? = nil) throws
    -> FirstControlPlane
  {
    let host = KubeadmHost(root: cluster.lab.files.fs("cp1"))
    var initFlags = InitFlags()
    let file: KubeadmConfigFile?
    if let configYAML {
      try host.write(configYAML, to: "/root/kubeadm-config.yaml", mode: 0o644)
      let flags = "--config /root/kubeadm-config.yaml"
      try cluster.sh(
        "cp1",
        "kubeadm init phase certs all \(flags) && kubeadm init phase kubeconfig all \(flags) && "
          + "kubeadm init phase control-plane all \(flags)")
      file = try KubeadmConfigFile.parse(configYAML)
    } else {
      let flags = "--control-plane-endpoint \(endpoint)"
      try cluster.sh(
        "cp1",
        "kubeadm init phase certs all \(flags) && kubeadm init phase kubeconfig all \(flags) && "
          + "kubeadm init phase etcd local && kubeadm init phase control-plane all \(flags)")
      initFlags.controlPlaneEndpoint = endpoint
      file = nil
    }
    let config = try InitConfigurationLoader(
      hostname: "cp1", defaultAdvertiseAddress: cluster.address("cp1"), release: .v132
    ).load(flags: initFlags, file: file)
    let admin = try Self.admin(host)
    var ready = false
    let deadline = Date().addingTimeInterval(120)
    while !ready, Date() < deadline {
      ready =
        (try? blockingAPI { () async throws(KubeAPIError) -> JSONValue in
          try await admin.get("/readyz")
        }) != nil
      if !ready { Thread.sleep(forTimeInterval: 0.5) }
    }
    #expect(ready, "cp1's API server did not answer through \(endpoint)")

    let ca = try host.readText("/etc/kubernetes/pki/ca.crt")
    try Self.store(admin, KubeadmConfigMap.path, KubeadmConfigMap(cluster: config.cluster).object)
    try Self.store(
      admin, ClusterInfoConfigMap.path,
      ClusterInfoConfigMap(server: "https://" + endpoint, certificateAuthorityPEM: ca).object)
    let partial = FirstControlPlane(
      cluster: cluster, endpoint: endpoint, config: config, token: "", hash: "",
      certificateKey: "")
    let token = try partial.newToken()
    let key = try partial.uploadCerts()
    let node = ClusterNode(
      name: "cp1", address: cluster.address("cp1"), controlPlane: true, kubeletVersion: "v1.32.0")
    let stored = try Self.store(admin, node.path, node.object)
    let registered = ClusterNode(node: stored) ?? node
    for component in ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"]
    where host.exists("/etc/kubernetes/manifests/\(component).yaml") {
      let manifest = try host.readText("/etc/kubernetes/manifests/\(component).yaml")
      let pod = try #require(MirrorPod.object(manifest: manifest, node: registered))
      try Self.store(admin, MirrorPod.path(component: component, node: "cp1"), pod)
    }
    return FirstControlPlane(
      cluster: cluster, endpoint: endpoint, config: config, token: token,
      hash: try DiscoveryHash.of(certificatePEM: ca), certificateKey: key)
  }

  /// A client with cp1's admin.conf (through the endpoint).
  static func admin(_ host: KubeadmHost) throws -> KubeAPIClient {
    try KubeAPIClient(
      kubeconfig: try KubeconfigFile.parse(
        try host.readText("/etc/kubernetes/admin.conf"),
        path: host.real("/etc/kubernetes/admin.conf")))
  }

  @discardableResult
  static func store(_ client: KubeAPIClient, _ path: String, _ object: JSONValue) throws
    -> JSONValue
  {
    try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
      try await client.createOrReplace(path, object)
    }
  }

  /// The cluster's time (this machine's plus the lab's offset).
  var clusterNow: Date {
    let offset = (try? cluster.lab.state())??.clockOffsetSeconds ?? 0
    return Date().addingTimeInterval(TimeInterval(offset))
  }

  /// A new 24-hour bootstrap token, as `kubeadm token create` stores it.
  func newToken() throws -> String {
    let token = BootstrapToken.generate()
    var spec = BootstrapTokenSpec(token: token)
    spec.description = BootstrapTokenSpec.initDescription
    let secret = BootstrapTokenSecret(spec: spec, now: clusterNow)
    try Self.store(try Self.admin(host), secret.path, secret.object)
    return token.description
  }

  /// `init phase upload-certs --upload-certs`: a 2-hour token and the kubeadm-certs Secret it
  /// owns, under a new key; returns the key.
  func uploadCerts() throws -> String {
    let admin = try Self.admin(host)
    var spec = BootstrapTokenSpec(token: BootstrapToken.generate())
    spec.ttl = 2 * 3600
    spec.usages = []
    spec.groups = []
    spec.description = BootstrapTokenSecret.certsTokenDescription
    let tokenSecret = BootstrapTokenSecret(spec: spec, now: clusterNow)
    let stored = try Self.store(admin, tokenSecret.path, tokenSecret.object)
    let key = CertificateKey.generate()
    let secret = try KubeadmCertsSecret.upload(
      host: host, cluster: config.cluster, key: key,
      owner: BootstrapTokenSecret(secret: stored) ?? tokenSecret)
    try Self.store(admin, KubeadmCertsSecret.path, secret.object)
    return key.text
  }

  /// `etcdctl` on cp1 with its apiserver-etcd-client certificate.
  @discardableResult
  func etcdctl(_ arguments: String) throws -> String {
    let pki = "/etc/kubernetes/pki"
    return try cluster.sh(
      "cp1",
      "ETCDCTL_API=3 etcdctl --cacert \(pki)/etcd/ca.crt --cert \(pki)/apiserver-etcd-client.crt "
        + "--key \(pki)/apiserver-etcd-client.key --endpoints https://\(cluster.address("cp1")):2379 "
        + arguments
    ).stdout
  }

  /// The hex ID of member `name`, or nil when it is not listed and not `required`.
  func memberID(_ name: String, required: Bool = true) throws -> String? {
    let members = EtcdClient.parseMembers(try etcdctl("member list"))
    let id: String? = members.first(where: { $0.name == name })?.id
    if required && id == nil {
      Issue.record("no etcd member \(name) in \(members)")
      throw KubeadmError("no etcd member \(name)")
    }
    return id
  }
}
