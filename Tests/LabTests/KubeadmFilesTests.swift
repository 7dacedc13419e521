import Foundation
import Testing
import Yams

@testable import Lab

/// kubeconfigs (LAB-FIDELITY.md §1.5) and static-pod manifests (§2).
@Suite struct KubeadmFilesTests {
  /// A root with the init PKI in place.
  static func initialized(_ config: InitConfiguration = KubeadmFixtures.stacked()) async throws
    -> KubeadmRoot
  {
    let root = try KubeadmRoot()
    _ = try await offPool {
      try PKIWriter(host: root.host, config: config, now: KubeadmFixtures.now).certsPhase()
    }
    return root
  }

  @Test func kubeconfigsNameTheirUsersAndEmbedTheCA() async throws {
    let root = try await Self.initialized()
    let writer = KubeconfigWriter(
      host: root.host, config: KubeadmFixtures.stacked(), now: KubeadmFixtures.now)
    let lines = try await offPool { try writer.write(KubeconfigKind.initFiles) }
    #expect(
      lines == [
        #"[kubeconfig] Using kubeconfig folder "/etc/kubernetes""#,
        #"[kubeconfig] Writing "admin.conf" kubeconfig file"#,
        #"[kubeconfig] Writing "super-admin.conf" kubeconfig file"#,
        #"[kubeconfig] Writing "kubelet.conf" kubeconfig file"#,
        #"[kubeconfig] Writing "controller-manager.conf" kubeconfig file"#,
        #"[kubeconfig] Writing "scheduler.conf" kubeconfig file"#,
      ])
    let caPEM = try root.text("/etc/kubernetes/pki/ca.crt")
    let expected: [(KubeconfigKind, String, String, String)] = [
      (
        .admin, "kubernetes-admin", "O=kubeadm:cluster-admins, CN=kubernetes-admin",
        "https://lb.lab:6443"
      ),
      (
        .superAdmin, "kubernetes-super-admin", "O=system:masters, CN=kubernetes-super-admin",
        "https://lb.lab:6443"
      ),
      (.kubelet, "system:node:cp1", "O=system:nodes, CN=system:node:cp1", "https://lb.lab:6443"),
      (
        .controllerManager, "system:kube-controller-manager", "CN=system:kube-controller-manager",
        "https://10.0.0.11:6443"
      ),
      (.scheduler, "system:kube-scheduler", "CN=system:kube-scheduler", "https://10.0.0.11:6443"),
    ]
    for (kind, user, subject, server) in expected {
      let path = KubeconfigWriter.path(kind)
      #expect(try root.mode(path) == 0o600, "\(path)")
      let text = try root.text(path)
      let yaml = try #require(try Yams.load(yaml: text) as? [String: Any])
      #expect(yaml["current-context"] as? String == "\(user)@kubernetes")
      #expect(yaml["kind"] as? String == "Config")
      let cluster = try #require((yaml["clusters"] as? [[String: Any]])?.first)
      #expect(cluster["name"] as? String == "kubernetes")
      let clusterBody = try #require(cluster["cluster"] as? [String: Any])
      #expect(clusterBody["server"] as? String == server, "\(kind)")
      let caData = try #require(clusterBody["certificate-authority-data"] as? String)
      #expect(Data(base64Encoded: caData).map { String(decoding: $0, as: UTF8.self) } == caPEM)
      let context = try #require((yaml["contexts"] as? [[String: Any]])?.first)
      #expect(context["name"] as? String == "\(user)@kubernetes")
      let userEntry = try #require((yaml["users"] as? [[String: Any]])?.first)
      #expect(userEntry["name"] as? String == user)
      let credentials = try #require(userEntry["user"] as? [String: String])
      let certificate = try #require(
        credentials["client-certificate-data"].flatMap { Data(base64Encoded: $0) })
      let certificatePath = root.path + "/client-\(kind.rawValue).crt"
      try certificate.write(to: URL(fileURLWithPath: certificatePath))
      #expect(
        try OpenSSL.x509(certificatePath, "subject", ["-nameopt", "sep_comma_plus_space,sname"])
          == "subject=\(subject)")
      let verify = try OpenSSL.run([
        "verify", "-CAfile", root.real("/etc/kubernetes/pki/ca.crt"), certificatePath,
      ])
      #expect(verify.status == 0, "\(verify.output)")
      #expect(
        OpenSSL.field(try OpenSSL.text(certificatePath), after: "X509v3 Extended Key Usage")
          == "TLS Web Client Authentication")
      let key = try #require(credentials["client-key-data"].flatMap { Data(base64Encoded: $0) })
      #expect(String(decoding: key, as: UTF8.self).hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
    }
    // kubectl's layout: sorted keys, base64 on one line.
    let admin = try root.text("/etc/kubernetes/admin.conf")
    #expect(
      admin.hasPrefix("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: "))
    #expect(
      admin.contains(
        "\ncurrent-context: kubernetes-admin@kubernetes\nkind: Config\npreferences: {}\nusers:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: "
      ))
    // Existing files are kept.
    let again = try writer.write([.admin])
    #expect(
      again.last == #"[kubeconfig] Using existing kubeconfig file: "/etc/kubernetes/admin.conf""#)
    #expect(try root.text("/etc/kubernetes/admin.conf") == admin)
  }

  @Test func etcdManifestHasTheSortedCommandOfLabFidelity() async throws {
    // LAB-FIDELITY.md §2.1, in file order, for node cp1 at 10.0.0.11.
    let writer = StaticPodWriter(
      host: KubeadmHost(root: "/nonexistent"), config: KubeadmFixtures.stacked(), release: .v132)
    #expect(
      writer.etcdCommand() == [
        "etcd",
        "--advertise-client-urls=https://10.0.0.11:2379",
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
        "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd",
        "--experimental-initial-corrupt-check=true",
        "--experimental-watch-progress-notify-interval=5s",
        "--initial-advertise-peer-urls=https://10.0.0.11:2380",
        "--initial-cluster=cp1=https://10.0.0.11:2380",
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        "--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.11:2379",
        "--listen-metrics-urls=http://127.0.0.1:2381",
        "--listen-peer-urls=https://10.0.0.11:2380",
        "--name=cp1",
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
        "--peer-client-cert-auth=true",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
        "--snapshot-count=10000",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
      ])
    let members = [
      EtcdMember(name: "cp1", peerURL: "https://10.0.0.11:2380"),
      EtcdMember(name: "cp2", peerURL: "https://10.0.0.12:2380"),
    ]
    let joining = StaticPodWriter(
      host: KubeadmHost(root: "/nonexistent"),
      config: KubeadmFixtures.stacked(node: "cp2", address: "10.0.0.12"),
      release: .v132
    ).etcdCommand(members: members)
    #expect(
      joining.contains("--initial-cluster=cp1=https://10.0.0.11:2380,cp2=https://10.0.0.12:2380"))
    let stateIndex = try #require(joining.firstIndex(of: "--initial-cluster-state=existing"))
    #expect(joining[stateIndex - 1].hasPrefix("--initial-cluster="))
    #expect(joining[stateIndex + 1].hasPrefix("--key-file="))
    #expect(!writer.etcdCommand().contains { $0.hasPrefix("--initial-cluster-state") })
  }

  @Test func etcdExtraArgsOverrideAsInTheExternalEtcdRecipe() async throws {
    // setup-ha-etcd-with-kubeadm: extraArgs set the whole cluster and state "new".
    let yaml = """
      ---
      apiVersion: "kubeadm.k8s.io/v1beta4"
      kind: InitConfiguration
      nodeRegistration:
          name: infra0
      localAPIEndpoint:
          advertiseAddress: 10.0.0.6
      ---
      apiVersion: "kubeadm.k8s.io/v1beta4"
      kind: ClusterConfiguration
      etcd:
          local:
              serverCertSANs:
              - "10.0.0.6"
              peerCertSANs:
              - "10.0.0.6"
              extraArgs:
              - name: initial-cluster
                value: infra0=https://10.0.0.6:2380,infra1=https://10.0.0.7:2380,infra2=https://10.0.0.8:2380
              - name: initial-cluster-state
                value: new
              - name: name
                value: infra0
              - name: listen-peer-urls
                value: https://10.0.0.6:2380
              - name: listen-client-urls
                value: https://10.0.0.6:2379
              - name: advertise-client-urls
                value: https://10.0.0.6:2379
              - name: initial-advertise-peer-urls
                value: https://10.0.0.6:2380
      """
    let file = try KubeadmConfigFile.parse(yaml)
    let config = try InitConfigurationLoader(
      hostname: "x", defaultAdvertiseAddress: nil, release: .v132
    )
    .load(flags: InitFlags(), file: file)
    #expect(config.node.name == "infra0" && config.node.advertiseAddress == "10.0.0.6")
    let command = StaticPodWriter(host: KubeadmHost(), config: config, release: .v132).etcdCommand()
    #expect(
      command.contains(
        "--initial-cluster=infra0=https://10.0.0.6:2380,infra1=https://10.0.0.7:2380,infra2=https://10.0.0.8:2380"
      ))
    #expect(command.contains("--initial-cluster-state=new"))
    #expect(command.contains("--listen-client-urls=https://10.0.0.6:2379"))
    #expect(command.filter { $0.hasPrefix("--listen-client-urls=") }.count == 1)
    #expect(
      Array(command.dropFirst())
        == command.dropFirst().sorted { $0.prefix { $0 != "=" } < $1.prefix { $0 != "=" } })
  }

  @Test func manifestsAreWrittenPrivatelyAndParse() async throws {
    let root = try await Self.initialized()
    let writer = StaticPodWriter(host: root.host, config: KubeadmFixtures.stacked(), release: .v132)
    #expect(
      try writer.writeEtcd() == [
        #"[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests""#
      ])
    #expect(
      try writer.writeControlPlane() == [
        #"[control-plane] Using manifest folder "/etc/kubernetes/manifests""#,
        #"[control-plane] Creating static Pod manifest for "kube-apiserver""#,
        #"[control-plane] Creating static Pod manifest for "kube-controller-manager""#,
        #"[control-plane] Creating static Pod manifest for "kube-scheduler""#,
      ])
    #expect(try root.mode("/etc/kubernetes/manifests") == 0o700)
    for component in StaticPodComponent.allCases {
      let path = StaticPodWriter.path(component)
      #expect(try root.mode(path) == 0o600, "\(path)")
      let pod = try #require(try Yams.load(yaml: root.text(path)) as? [String: Any], "\(path)")
      let metadata = try #require(pod["metadata"] as? [String: Any])
      #expect(metadata["name"] as? String == component.rawValue)
      #expect(metadata["namespace"] as? String == "kube-system")
      #expect(
        (metadata["labels"] as? [String: String]) == [
          "component": component.rawValue, "tier": "control-plane",
        ])
      let spec = try #require(pod["spec"] as? [String: Any])
      #expect(spec["hostNetwork"] as? Bool == true)
      #expect(spec["priorityClassName"] as? String == "system-node-critical")
      let container = try #require((spec["containers"] as? [[String: Any]])?.first)
      let command = try #require(container["command"] as? [String])
      #expect(command.first == component.rawValue)
      #expect(
        container["image"] as? String == "registry.k8s.io/\(component.rawValue):"
          + (component == .etcd ? "3.5.16-0" : "v1.32.0"))
    }
    let apiserver = try root.text(StaticPodWriter.path(.apiServer))
    #expect(apiserver.contains("    - --etcd-servers=https://127.0.0.1:2379\n"))
    #expect(apiserver.contains("    - --advertise-address=10.0.0.11\n"))
    #expect(
      apiserver.contains(
        "    - --service-account-issuer=https://kubernetes.default.svc.cluster.local\n"))
    #expect(
      apiserver.contains(
        "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 10.0.0.11:6443\n"))
    let etcd = try root.text(StaticPodWriter.path(.etcd))
    #expect(
      etcd.contains(
        "    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://10.0.0.11:2379\n"))
    #expect(etcd.contains("  creationTimestamp: null\n"))
    #expect(etcd.hasSuffix("status: {}\n"))
  }

  @Test func externalEtcdGoesIntoTheAPIServerFlags() async throws {
    let writer = StaticPodWriter(
      host: KubeadmHost(), config: KubeadmFixtures.external(), release: .v131)
    let command = writer.apiServerCommand()
    #expect(
      command.contains(
        "--etcd-servers=https://10.0.0.21:2379,https://10.0.0.22:2379,https://10.0.0.23:2379"))
    #expect(command.contains("--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt"))
    #expect(command.contains("--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt"))
    #expect(command.contains("--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key"))
    let flags = command.dropFirst().map { String($0.prefix { $0 != "=" }) }
    #expect(flags == flags.sorted())
    #expect(writer.manifest(.apiServer).contains("image: registry.k8s.io/kube-apiserver:v1.32.0\n"))
    var config = KubeadmFixtures.stacked()
    config.cluster.podSubnet = "10.244.0.0/16"
    let manager = StaticPodWriter(host: KubeadmHost(), config: config, release: .v132)
      .controllerManagerCommand()
    #expect(
      manager.contains("--allocate-node-cidrs=true")
        && manager.contains("--cluster-cidr=10.244.0.0/16"))
  }
}
