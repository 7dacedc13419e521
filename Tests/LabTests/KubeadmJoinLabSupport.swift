import Foundation
import Testing

@testable import Lab

/// cp1 made the cluster's first control plane by the stand-in's own `kubeadm init
/// --upload-certs` (behind the lab's haproxy), and what the joins need from its output: the
/// token, the CA hash and the certificate key. Later tokens and certificate uploads come from
/// `kubeadm token create` and `kubeadm init phase upload-certs --upload-certs` on cp1, so the
/// joins run against what init and those commands really store.
struct FirstControlPlane {
  let cluster: Cluster
  let endpoint: String
  let token: String
  let hash: String
  let certificateKey: String
  /// init's standard output.
  let initOutput: String

  var host: KubeadmHost { KubeadmHost(root: cluster.lab.files.fs("cp1")) }

  /// `kubeadm init --control-plane-endpoint ENDPOINT --upload-certs` on cp1; with
  /// `configYAML` (a ClusterConfiguration, e.g. with `etcd.external`), `kubeadm init --config
  /// F --upload-certs` instead.
  static func make(cluster: Cluster, endpoint: String, configYAML: String? = nil) throws
    -> FirstControlPlane
  {
    let host = KubeadmHost(root: cluster.lab.files.fs("cp1"))
    let flags: String
    if let configYAML {
      try host.write(configYAML, to: "/root/kubeadm-config.yaml", mode: 0o644)
      flags = "--config /root/kubeadm-config.yaml"
    } else {
      flags = "--control-plane-endpoint \(endpoint)"
    }
    let began = ContinuousClock.now
    let run = try cluster.sh("cp1", "kubeadm init \(flags) --upload-certs")
    print("kubeadm init on cp1 took \(ContinuousClock.now - began)")
    let token = try #require(
      run.stdout.firstMatch(of: /\[bootstrap-token\] Using token: ([a-z0-9]{6}\.[a-z0-9]{16})\n/)?
        .1, "\(run.stdout)\(run.stderr)")
    let key = try #require(
      run.stdout.firstMatch(of: /\[upload-certs\] Using certificate key:\n([0-9a-f]{64})\n/)?.1,
      "\(run.stdout)")
    let hash = try DiscoveryHash.of(
      certificatePEM: try host.readText("/etc/kubernetes/pki/ca.crt"))
    // The join commands init printed are the ones the tests run.
    #expect(
      run.stdout.contains(
        "kubeadm join \(endpoint) --token \(token) \\\n\t--discovery-token-ca-cert-hash \(hash)"),
      "\(run.stdout)")
    return FirstControlPlane(
      cluster: cluster, endpoint: endpoint, token: String(token), hash: hash,
      certificateKey: String(key), initOutput: run.stdout)
  }

  /// A client with cp1's admin.conf (through the endpoint).
  static func admin(_ host: KubeadmHost) throws -> KubeAPIClient {
    try KubeAPIClient(
      kubeconfig: try KubeconfigFile.parse(
        try host.readText("/etc/kubernetes/admin.conf"),
        path: host.real("/etc/kubernetes/admin.conf")))
  }

  /// `kubeadm token create` on cp1: a new 24-hour token on the cluster's clock.
  func newToken() throws -> String {
    let created = try cluster.sh("cp1", "kubeadm token create").stdout
    let token = created.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(BootstrapToken(token) != nil, "\(created)")
    return token
  }

  /// `kubeadm init phase upload-certs --upload-certs` on cp1: a 2-hour token and the
  /// kubeadm-certs Secret it owns, under a new key; returns the key (its last line).
  func uploadCerts() throws -> String {
    let run = try cluster.sh("cp1", "kubeadm init phase upload-certs --upload-certs").stdout
    let key = run.split(separator: "\n").last.map(String.init) ?? ""
    #expect(CertificateKey(key) != nil, "\(run)")
    return key
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
