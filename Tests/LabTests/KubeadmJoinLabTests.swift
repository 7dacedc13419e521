import Foundation
import TestSupport
import Testing

@testable import Lab

#if canImport(Glibc)
  import Glibc
#endif

/// `kubeadm join` on real lab hosts (127.0.0.150–.154: lb, cp1–cp3, w1), one lab for the
/// suite: `kubeadm init --control-plane-endpoint LB --upload-certs` on cp1, then the join
/// commands it printed: cp2 joins with `--certificate-key`, w1 as a worker, cp3 with the shared certificates copied by hand; then real etcd has three voting
/// members and kubectl shows the nodes with their roles. Each failure of LAB-FIDELITY §4.3 on
/// the way: a wrong certificate key, the certificates Secret gone after 2 h, the shared files
/// missing, a wrong CA hash, a node that already joined, the load balancer stopped, a token
/// expired after 25 h; and a control plane reset and joined again, which fails at check-etcd
/// until its stale etcd member is removed with etcdctl, as with real kubeadm.
@Suite(.serialized, .enabled(if: KubeletLab.canRun, "needs root, etcd and the haflow binary"))
struct KubeadmJoinLabTests {
  @Test(.timeLimit(.minutes(20))) func joinBuildsAnHAClusterAndFailsAsKubeadmDoes() async throws {
    let options = LabOptions(
      shape: LabShape(controlPlanes: 3, workers: 1, etcd: 0), firstAddress: "127.0.0.150")
    try await KubeletLab.withCluster("jointest", options) { cluster, _ in
      let join = try JoinScenario(cluster: cluster)
      try join.run()
    }
  }

  /// External etcd (127.0.0.155–.158: lb, cp1, cp2, etcd1): a one-member etcd on etcd1,
  /// `kubeadm init --config` on cp1 using it, cp2 joined as a control plane with a
  /// JoinConfiguration (`--config`, the certificate key in it): it downloads the external etcd
  /// client files, runs no etcd of its own, and its API server uses etcd1.
  @Test(.timeLimit(.minutes(10))) func controlPlaneJoinsWithExternalEtcd() async throws {
    let options = LabOptions(
      shape: LabShape(controlPlanes: 2, workers: 0, etcd: 1), firstAddress: "127.0.0.155")
    try await KubeletLab.withCluster("jointest", options) { cluster, _ in
      try Self.externalJoin(cluster)
    }
  }

  private static func externalJoin(_ cluster: Cluster) throws {
    let etcd = cluster.address("etcd1")
    try cluster.sh(
      "etcd1",
      "kubeadm init phase certs etcd-ca && \(Cluster.memberCerts) && "
        + "kubeadm init phase etcd local")
    var health = ""
    #expect(
      try cluster.waitUntil(seconds: 60) {
        health = try cluster.health(on: "etcd1", endpoint: etcd, cert: "etcd/healthcheck-client")
        return Cluster.healthy(health).count == 1
      }, "\(health)")
    let from = KubeadmHost(root: cluster.lab.files.fs("etcd1"))
    let to = KubeadmHost(root: cluster.lab.files.fs("cp1"))
    for (file, mode) in [
      ("etcd/ca.crt", mode_t(0o644)), ("apiserver-etcd-client.crt", 0o644),
      ("apiserver-etcd-client.key", 0o600),
    ] {
      let path = "/etc/kubernetes/pki/" + file
      try to.write(try from.read(path), to: path, mode: mode)
    }
    let endpoint = cluster.address("lb") + ":6443"
    let config = """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      controlPlaneEndpoint: "\(endpoint)"
      etcd:
        external:
          endpoints:
          - https://\(etcd):2379
          caFile: /etc/kubernetes/pki/etcd/ca.crt
          certFile: /etc/kubernetes/pki/apiserver-etcd-client.crt
          keyFile: /etc/kubernetes/pki/apiserver-etcd-client.key

      """
    let first = try FirstControlPlane.make(cluster: cluster, endpoint: endpoint, configYAML: config)
    // cp2 joins with a v1beta4 JoinConfiguration instead of flags (same settings).
    let joinConfig = """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: JoinConfiguration
      discovery:
        bootstrapToken:
          apiServerEndpoint: "\(endpoint)"
          token: "\(first.token)"
          caCertHashes:
          - "\(first.hash)"
      controlPlane:
        certificateKey: "\(first.certificateKey)"

      """
    try KubeadmHost(root: cluster.lab.files.fs("cp2")).write(
      joinConfig, to: "/root/join.yaml", mode: 0o600)
    let began = ContinuousClock.now
    let joined = try cluster.sh("cp2", "kubeadm join --config /root/join.yaml")
    print("cp2 (external etcd) joined in \(ContinuousClock.now - began)")
    #expect(
      joined.stdout.hasSuffix(JoinText.controlPlaneDone(localEtcd: false)), "\(joined.stdout)")
    #expect(!joined.stdout.contains("[etcd]") && !joined.stdout.contains("[check-etcd]"))
    let files = try cluster.sh(
      "cp2",
      "cd /etc/kubernetes && ls manifests && stat -c '%n %a' pki/etcd/ca.crt "
        + "pki/apiserver-etcd-client.crt pki/apiserver-etcd-client.key"
    ).stdout
    #expect(
      files == "kube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n"
        + "pki/etcd/ca.crt 644\npki/apiserver-etcd-client.crt 644\n"
        + "pki/apiserver-etcd-client.key 600\n", "\(files)")
    // cp2's own API server answers from the external etcd.
    var nodes = ""
    #expect(
      try cluster.waitUntil(seconds: 90) {
        nodes = try cluster.sh(
          "cp2",
          "sed 's#server: .*#server: https://\(cluster.address("cp2")):6443#' "
            + "/etc/kubernetes/admin.conf > /root/cp2.conf && "
            + "kubectl --kubeconfig /root/cp2.conf get nodes", check: false
        ).stdout
        return nodes.contains("cp2 ") && nodes.contains("cp1 ")
      }, "\(nodes)")
  }
}

/// The suite's steps, on one lab.
struct JoinScenario {
  let cluster: Cluster
  let endpoint: String
  let first: FirstControlPlane

  init(cluster: Cluster) throws {
    self.cluster = cluster
    endpoint = cluster.address("lb") + ":6443"
    first = try FirstControlPlane.make(cluster: cluster, endpoint: endpoint)
  }

  /// `kubeadm join` with the cluster's endpoint, token and hash, plus `extra`; with a short
  /// discovery timeout for the runs that are meant to fail.
  func joinCommand(
    token: String? = nil, hash: String? = nil, _ extra: String = "", timeout: String = "20s"
  ) -> String {
    "HAFLOW_KUBEADM_DISCOVERY_TIMEOUT=\(timeout) kubeadm join \(endpoint) --token "
      + "\(token ?? first.token) --discovery-token-ca-cert-hash \(hash ?? first.hash) \(extra)"
  }

  /// Runs `text` on `name`, expecting it to fail with `message` on stderr (then kubeadm's hint).
  func fails(
    _ name: String, _ text: String, with message: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let result = try cluster.sh(name, text, check: false)
    #expect(
      result.exitStatus == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
    #expect(
      result.stderr.hasSuffix(
        message + "\nTo see the stack trace of this error execute with --v=5 or higher\n"),
      "\(name): \(result.stderr)", sourceLocation: sourceLocation)
  }

  /// Joins `name`; returns how long it took and what it printed on standard output.
  @discardableResult
  func joins(_ name: String, _ text: String) throws -> (took: Duration, stdout: String) {
    let began = ContinuousClock.now
    let result = try cluster.sh(name, text)
    let took = ContinuousClock.now - began
    #expect(result.exitStatus == 0, "\(name): \(result.stdout)\(result.stderr)")
    print("\(name) joined in \(took)")
    return (took, result.stdout)
  }

  func run() throws {
    let key = "--control-plane --certificate-key"
    let wrongKey = String(repeating: "ab", count: 32)
    // A wrong certificate key: the Secret is read, decryption fails, nothing is written.
    try fails(
      "cp2", joinCommand("\(key) \(wrongKey)"),
      with: "error execution phase control-plane-prepare/download-certs: error downloading "
        + "certs: error decoding secret data with provided key: cipher: message authentication failed"
    )
    #expect(
      try cluster.sh("cp2", "ls -A /etc/kubernetes/pki | wc -l").stdout == "0\n",
      "a failed download writes nothing")
    // A CA hash that is not the cluster's.
    let wrongHash = "sha256:" + String(repeating: "0", count: 64)
    try fails(
      "w1", joinCommand(hash: wrongHash),
      with: "error execution phase preflight: couldn't validate the identity of the API Server: "
        + "cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "
        + "\"\(first.hash)\" are pinned")

    let controlPlaneJoin = try joins("cp2", joinCommand("\(key) \(first.certificateKey)"))
    let workerJoin = try joins("w1", joinCommand())
    print("control-plane join: \(controlPlaneJoin.took), worker join: \(workerJoin.took)")
    try checkJoinText(controlPlane: controlPlaneJoin.stdout, worker: workerJoin.stdout)

    // Two hours later the certificates Secret is gone with its token.
    _ = try cluster.lab.advance(seconds: 3 * 3600)
    try fails(
      "cp3", joinCommand("\(key) \(first.certificateKey)"),
      with: "error execution phase control-plane-prepare/download-certs: error downloading "
        + "certs: error downloading the secret: Secret \"kubeadm-certs\" was not found in the "
        + "\"kube-system\" Namespace. This Secret might have expired. Please, run `kubeadm init "
        + "phase upload-certs --upload-certs` on a control plane to generate a new one")
    // Without a key, the shared files must be there.
    let missing = try cluster.sh("cp3", joinCommand("--control-plane"), check: false)
    #expect(missing.exitStatus == 1)
    #expect(
      missing.stderr.hasPrefix(
        "error execution phase preflight: \nOne or more conditions for hosting a new control "
          + "plane instance is not satisfied.\n\n[failure loading certificate for CA: couldn't "
          + "load the certificate file /etc/kubernetes/pki/ca.crt: open /etc/kubernetes/pki/"
          + "ca.crt: no such file or directory, failure loading key for service account: "),
      "\(missing.stderr)")
    #expect(
      missing.stderr.hasSuffix(
        "Please ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The "
          + "certificates that must be shared among control plane instances are provided.\n\n\n"
          + "To see the stack trace of this error execute with --v=5 or higher\n"))
    try copySharedFiles(to: "cp3")
    try joins("cp3", joinCommand("--control-plane"))

    try checkCluster()
    try checkFiles()

    // Joining again: preflight, before any network.
    let again = try cluster.sh("w1", joinCommand(), check: false)
    #expect(again.exitStatus == 1)
    #expect(
      again.stderr.hasPrefix(
        "error execution phase preflight: [preflight] Some fatal errors occurred:\n"
          + "\t[ERROR FileAvailable--etc-kubernetes-kubelet.conf]: /etc/kubernetes/kubelet.conf "
          + "already exists\n\t[ERROR FileAvailable--etc-kubernetes-pki-ca.crt]: "
          + "/etc/kubernetes/pki/ca.crt already exists\n"), "\(again.stderr)")

    // The load balancer down: discovery cannot reach the endpoint.
    try cluster.sh("w1", "kubeadm reset -f")
    _ = try cluster.lab.stop(["lb"])
    try fails(
      "w1", joinCommand(timeout: "3s"),
      with: "error execution phase preflight: couldn't validate the identity of the API Server: "
        + "failed to request the cluster-info ConfigMap: Get \"https://\(endpoint)/api/v1/"
        + "namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp \(endpoint): "
        + "connect: connection refused")
    _ = try cluster.lab.start(["lb"])

    // 25 hours after init the token has expired: its signature is gone from cluster-info.
    _ = try cluster.lab.advance(seconds: 22 * 3600)
    try fails(
      "w1", joinCommand(timeout: "3s"),
      with: "error execution phase preflight: couldn't validate the identity of the API Server: "
        + "could not find a JWS signature in the cluster-info ConfigMap for token ID "
        + "\"\(first.token.prefix(6))\"")
    // A new token: the reset worker joins again.
    let fresh = try first.newToken()
    try joins("w1", joinCommand(token: fresh))

    try rejoinControlPlane(token: fresh)
  }

  /// The join texts, line by line as LAB-FIDELITY §3.2's v1.32.7 control-plane transcript
  /// (the seven `[certs] Generating` lines in any order, as there) and the v1.31.3 worker
  /// transcript with v1.32's two preflight lines; durations aside. The worker's kubelet
  /// certificate came from the cluster CA through a CSR.
  func checkJoinText(controlPlane: String, worker: String) throws {
    let (cp2, lb) = (cluster.address("cp2"), cluster.address("lb"))
    let reading = [
      "[preflight] Running pre-flight checks",
      "[preflight] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...",
      "[preflight] Use 'kubeadm init phase upload-config --config your-config.yaml' to re-upload it.",
    ]
    let kubeletStart = [
      "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
      "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
      "[kubelet-start] Starting the kubelet",
      "[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s",
      "[kubelet-check] The kubelet is healthy after D",
      "[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap",
    ]
    let generated = Set([
      "[certs] Generating \"apiserver\" certificate and key",
      "[certs] apiserver serving cert is signed for DNS names [cp2 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 \(cp2) \(lb)]",
      "[certs] Generating \"apiserver-kubelet-client\" certificate and key",
      "[certs] Generating \"front-proxy-client\" certificate and key",
      "[certs] Generating \"etcd/server\" certificate and key",
      "[certs] etcd/server serving cert is signed for DNS names [cp2 localhost] and IPs [\(cp2) 127.0.0.1 ::1]",
      "[certs] Generating \"etcd/peer\" certificate and key",
      "[certs] etcd/peer serving cert is signed for DNS names [cp2 localhost] and IPs [\(cp2) 127.0.0.1 ::1]",
      "[certs] Generating \"etcd/healthcheck-client\" certificate and key",
      "[certs] Generating \"apiserver-etcd-client\" certificate and key",
    ])
    let expected =
      reading + [
        "[preflight] Running pre-flight checks before initializing the new control plane instance",
        "[preflight] Pulling images required for setting up a Kubernetes cluster",
        "[preflight] This might take a minute or two, depending on the speed of your internet connection",
        "[preflight] You can also perform this action beforehand using 'kubeadm config images pull'",
        "[download-certs] Downloading the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace",
        "[download-certs] Saving the certificates to the folder: \"/etc/kubernetes/pki\"",
        "[certs] Using certificateDir folder \"/etc/kubernetes/pki\"",
      ] + Array(repeating: "GENERATED", count: generated.count) + [
        "[certs] Valid certificates and keys now exist in \"/etc/kubernetes/pki\"",
        "[certs] Using the existing \"sa\" key",
        "[kubeconfig] Generating kubeconfig files",
        "[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"",
        "[kubeconfig] Writing \"admin.conf\" kubeconfig file",
        "[kubeconfig] Writing \"controller-manager.conf\" kubeconfig file",
        "[kubeconfig] Writing \"scheduler.conf\" kubeconfig file",
        "[control-plane] Using manifest folder \"/etc/kubernetes/manifests\"",
        "[control-plane] Creating static Pod manifest for \"kube-apiserver\"",
        "[control-plane] Creating static Pod manifest for \"kube-controller-manager\"",
        "[control-plane] Creating static Pod manifest for \"kube-scheduler\"",
        "[check-etcd] Checking that the etcd cluster is healthy",
      ] + kubeletStart + [
        "[etcd] Announced new etcd member joining to the existing etcd cluster",
        "[etcd] Creating static Pod manifest for \"etcd\"",
        "[etcd] Waiting for the new etcd member to join the cluster. This can take up to 40s",
        "[mark-control-plane] Marking the node cp2 as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]",
        "[mark-control-plane] Marking the node cp2 as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]",
      ]
    let done = JoinText.controlPlaneDone(localEtcd: true)
    #expect(controlPlane.hasSuffix(done), "\(controlPlane)")
    var actual = Cluster.normalized(String(controlPlane.dropLast(done.count)))
    if actual.last == "" { actual.removeLast() }
    let generatedLines = actual.filter { generated.contains($0) }
    #expect(Set(generatedLines) == generated && generatedLines.count == generated.count)
    actual = actual.map { generated.contains($0) ? "GENERATED" : $0 }
    Self.compare(actual, expected, "cp2")

    #expect(worker.hasSuffix(JoinText.workerDone), "\(worker)")
    var workerLines = Cluster.normalized(String(worker.dropLast(JoinText.workerDone.count)))
    if workerLines.last == "" { workerLines.removeLast() }
    Self.compare(workerLines, reading + kubeletStart, "w1")

    let conf = try cluster.sh("w1", "cat /etc/kubernetes/kubelet.conf").stdout
    #expect(conf.contains("client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem"))
    // The worker's kubelet certificate was issued by the cluster CA through a CSR.
    let verify = try cluster.sh(
      "w1",
      "openssl verify -CAfile /etc/kubernetes/pki/ca.crt /var/lib/kubelet/pki/kubelet-client-current.pem "
        + "&& openssl x509 -noout -subject -in /var/lib/kubelet/pki/kubelet-client-current.pem",
      check: false)
    #expect(verify.stdout.contains(": OK\n"), "\(verify.stdout)\(verify.stderr)")
    #expect(verify.stdout.contains("O = system:nodes, CN = system:node:w1"), "\(verify.stdout)")
  }

  /// Records the first line of `actual` that differs from `expected`, and a count mismatch.
  static func compare(
    _ actual: [String], _ expected: [String], _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (index, line) in expected.enumerated() where index < actual.count && actual[index] != line {
      Issue.record(
        "\(name) line \(index + 1): \(actual[index])\nexpected: \(line)",
        sourceLocation: sourceLocation)
      break
    }
    #expect(
      actual.count == expected.count, "\(name):\n\(actual.joined(separator: "\n"))",
      sourceLocation: sourceLocation)
  }

  /// etcd has three started voting members, all healthy; kubectl lists the nodes and roles.
  func checkCluster() throws {
    let pki = "/etc/kubernetes/pki"
    let flags =
      "--cacert \(pki)/etcd/ca.crt --cert \(pki)/apiserver-etcd-client.crt "
      + "--key \(pki)/apiserver-etcd-client.key --endpoints https://\(cluster.address("cp1")):2379"
    let list = try cluster.sh("cp1", "ETCDCTL_API=3 etcdctl \(flags) member list").stdout
    let members = EtcdClient.parseMembers(list)
    #expect(members.map(\.name).sorted() == ["cp1", "cp2", "cp3"], "\(list)")
    #expect(members.allSatisfy { $0.status == "started" && !$0.isLearner }, "\(list)")
    let health = try cluster.sh(
      "cp3", "ETCDCTL_API=3 etcdctl \(flags) endpoint health --cluster 2>&1"
    ).stdout
    #expect(Cluster.healthy(health).count == 3, "\(health)")

    let nodes = try cluster.sh(
      "cp2", "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes"
    ).stdout
    let rows = nodes.split(separator: "\n").dropFirst().map {
      $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }
    #expect(rows.map { $0[0] } == ["cp1", "cp2", "cp3", "w1"], "\(nodes)")
    #expect(rows.map { $0[2] } == ["control-plane", "control-plane", "control-plane", "<none>"])
    let pods = try cluster.sh(
      "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -n kube-system"
    ).stdout
    for name in ["etcd-cp2", "kube-apiserver-cp3", "kube-scheduler-cp2"] {
      #expect(pods.contains(name), "\(pods)")
    }
  }

  /// Each host's PKI: files and modes as LAB-FIDELITY §1.6 and §1.2.
  func checkFiles() throws {
    let list =
      "cd /etc/kubernetes && find pki -type f -printf '%p %m\\n' | sort && ls *.conf"
    let joined = try cluster.sh("cp2", list).stdout
    #expect(
      joined == """
        pki/apiserver-etcd-client.crt 644
        pki/apiserver-etcd-client.key 600
        pki/apiserver-kubelet-client.crt 644
        pki/apiserver-kubelet-client.key 600
        pki/apiserver.crt 644
        pki/apiserver.key 600
        pki/ca.crt 644
        pki/ca.key 600
        pki/etcd/ca.crt 644
        pki/etcd/ca.key 600
        pki/etcd/healthcheck-client.crt 644
        pki/etcd/healthcheck-client.key 600
        pki/etcd/peer.crt 644
        pki/etcd/peer.key 600
        pki/etcd/server.crt 644
        pki/etcd/server.key 600
        pki/front-proxy-ca.crt 644
        pki/front-proxy-ca.key 600
        pki/front-proxy-client.crt 644
        pki/front-proxy-client.key 600
        pki/sa.key 600
        pki/sa.pub 644
        admin.conf
        controller-manager.conf
        kubelet.conf
        scheduler.conf

        """, "\(joined)")
    #expect(try cluster.sh("w1", list).stdout == "pki/ca.crt 644\nkubelet.conf\n")
    let kubelet = try cluster.sh(
      "w1",
      "stat -c '%n %a' /var/lib/kubelet/config.yaml /var/lib/kubelet/kubeadm-flags.env "
        + "/var/lib/kubelet/pki/kubelet-client-current.pem /etc/kubernetes/kubelet.conf; "
        + "test -e /etc/kubernetes/bootstrap-kubelet.conf || echo no-bootstrap"
    ).stdout
    #expect(
      kubelet == "/var/lib/kubelet/config.yaml 644\n/var/lib/kubelet/kubeadm-flags.env 644\n"
        + "/var/lib/kubelet/pki/kubelet-client-current.pem 600\n/etc/kubernetes/kubelet.conf 600\n"
        + "no-bootstrap\n")
  }

  /// The docs' list of files a control plane joining without `--certificate-key` needs,
  /// copied from cp1 as an operator would (scp, then moved into place as root).
  func copySharedFiles(to name: String) throws {
    let from = KubeadmHost(root: cluster.lab.files.fs("cp1"))
    let to = KubeadmHost(root: cluster.lab.files.fs(name))
    for file in [
      "ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
      "etcd/ca.crt", "etcd/ca.key",
    ] {
      let path = "/etc/kubernetes/pki/" + file
      try to.write(try from.read(path), to: path, mode: file.hasSuffix(".key") ? 0o600 : 0o644)
    }
  }

  /// A control plane reset and joined again. When its etcd member stays listed (a reset that
  /// could not remove it), the join fails at check-etcd, as kubeadm's does, until the
  /// operator removes the member with etcdctl and resets the node again; then it works.
  func rejoinControlPlane(token: String) throws {
    let key = try first.uploadCerts()
    try cluster.sh("cp2", "kubeadm reset -f")
    let command = joinCommand(token: token, "--control-plane --certificate-key \(key)")
    // A reset that could not remove the member leaves it listed (its etcd stopped).
    if let member = try first.memberID("cp2", required: false) {
      try fails(
        "cp2", command,
        with: "error execution phase check-etcd: etcd cluster is not healthy: failed to dial "
          + "endpoint https://\(cluster.address("cp2")):2379 with maintenance client: context "
          + "deadline exceeded")
      try cluster.sh("cp2", "kubeadm reset -f")
      try first.etcdctl("member remove \(member)")
    } else {
      print("reset removed cp2's etcd member itself")
    }
    try joins("cp2", command)
    let list = EtcdClient.parseMembers(try first.etcdctl("member list"))
    #expect(list.map(\.name).sorted() == ["cp1", "cp2", "cp3"], "\(list)")
    #expect(list.allSatisfy { $0.status == "started" && !$0.isLearner }, "\(list)")
  }
}
