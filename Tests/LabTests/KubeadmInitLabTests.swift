import Foundation
import Stdlib
import TestSupport
import Testing

@testable import Lab

/// `kubeadm init`, `init phase upload-certs`, `token create|list|delete` and `reset` against
/// the lab's API server, on one lab (127.0.0.142–.148: lb, cp1, cp2, etcd1–etcd3) for the
/// suite: a stacked init on cp1 behind haproxy, checked line by line against LAB-FIDELITY
/// §3.1 (the v1.31.3/v1.32.1 transcript) and templates/T02 (through `InitDoneText`, itself
/// pinned to T02 by `KubeadmTextTests`); the node, pods, tokens and `kubeadm-certs` as the
/// cluster holds them, the 2-hour expiry with `lab advance`, a join command Stdlib's
/// `kubeadm.parse_join_command` parser reads; then the external-etcd recipe on etcd1–3 and an
/// init on cp2 against it, first with a wrong etcd CA (fails in wait-control-plane as
/// kubeadm's does), then right.
@Suite(.serialized, .enabled(if: KubeletLab.canRun, "needs root, etcd and the haflow binary"))
struct KubeadmInitLabTests {
  @Test(.timeLimit(.minutes(15))) func initAndTokensOnALab() async throws {
    let options = LabOptions(
      shape: LabShape(controlPlanes: 2, workers: 0, etcd: 3), firstAddress: "127.0.0.142")
    try await KubeletLab.withCluster("inittest", options) { cluster, _ in
      let stacked = try cluster.stackedInit()
      try cluster.clusterState(after: stacked)
      try cluster.uploadCertsAndExpiry(after: stacked)
      try cluster.tokenCommands(after: stacked)
      try cluster.resetReadsTheCluster()
      try cluster.reinitWithGivenSecrets()
      try cluster.externalEtcdRecipe()
      try cluster.externalInit()
    }
  }
}

/// What a stacked init printed and made.
struct InitResult {
  var token: String
  var key: String
  var hash: String
}

extension Cluster {
  /// Durations (`after 1.2345s`, `after 501.2ms`) replaced by `after D`.
  static func normalized(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0).replacing(/after [0-9.]+(ns|µs|ms|s|m[0-9.]*s)/, with: "after D")
    }
  }

  /// A client of the cluster through `node`'s admin.conf, from this process.
  func admin(_ node: String) throws -> KubeadmClusterClient {
    try KubeadmClusterClient.fromKubeconfig(
      "/etc/kubernetes/admin.conf", host: KubeadmHost(root: lab.files.fs(node)))
  }

  /// `kubeadm init --control-plane-endpoint LB --upload-certs` on cp1: every line, the
  /// success text, the files.
  func stackedInit() throws -> InitResult {
    let (lb, cp1) = (address("lb"), address("cp1"))
    let began = ContinuousClock.now
    let run = try sh(
      "cp1",
      "kubeadm init --control-plane-endpoint \(lb):6443 --upload-certs --pod-network-cidr 10.244.0.0/16"
    )
    print("kubeadm init (stacked) on cp1: \(ContinuousClock.now - began)")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    let split = try #require(
      run.stdout.range(of: "\nYour Kubernetes control-plane has initialized"))
    let phases = String(run.stdout[..<split.lowerBound])
    let token = try #require(
      phases.firstMatch(of: /\[bootstrap-token\] Using token: ([a-z0-9]{6}\.[a-z0-9]{16})/)?.1)
    let key = try #require(
      phases.firstMatch(of: /\[upload-certs\] Using certificate key:\n([0-9a-f]{64})\n/)?.1)
    let hash = try DiscoveryHash.of(
      certificatePEM: try String(
        contentsOfFile: lab.files.fs("cp1") + "/etc/kubernetes/pki/ca.crt", encoding: .utf8))
    // LAB-FIDELITY §3.1, the v1.31.3 transcript (identical to v1.32.1), durations aside.
    let expected = [
      "[init] Using Kubernetes version: v1.32.0",
      "[preflight] Running pre-flight checks",
      "[preflight] Pulling images required for setting up a Kubernetes cluster",
      "[preflight] This might take a minute or two, depending on the speed of your internet connection",
      "[preflight] You can also perform this action beforehand using 'kubeadm config images pull'",
      "[certs] Using certificateDir folder \"/etc/kubernetes/pki\"",
      "[certs] Generating \"ca\" certificate and key",
      "[certs] Generating \"apiserver\" certificate and key",
      "[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 \(cp1) \(lb)]",
      "[certs] Generating \"apiserver-kubelet-client\" certificate and key",
      "[certs] Generating \"front-proxy-ca\" certificate and key",
      "[certs] Generating \"front-proxy-client\" certificate and key",
      "[certs] Generating \"etcd/ca\" certificate and key",
      "[certs] Generating \"etcd/server\" certificate and key",
      "[certs] etcd/server serving cert is signed for DNS names [cp1 localhost] and IPs [\(cp1) 127.0.0.1 ::1]",
      "[certs] Generating \"etcd/peer\" certificate and key",
      "[certs] etcd/peer serving cert is signed for DNS names [cp1 localhost] and IPs [\(cp1) 127.0.0.1 ::1]",
      "[certs] Generating \"etcd/healthcheck-client\" certificate and key",
      "[certs] Generating \"apiserver-etcd-client\" certificate and key",
      "[certs] Generating \"sa\" key and public key",
      "[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"",
      "[kubeconfig] Writing \"admin.conf\" kubeconfig file",
      "[kubeconfig] Writing \"super-admin.conf\" kubeconfig file",
      "[kubeconfig] Writing \"kubelet.conf\" kubeconfig file",
      "[kubeconfig] Writing \"controller-manager.conf\" kubeconfig file",
      "[kubeconfig] Writing \"scheduler.conf\" kubeconfig file",
      "[etcd] Creating static Pod manifest for local etcd in \"/etc/kubernetes/manifests\"",
      "[control-plane] Using manifest folder \"/etc/kubernetes/manifests\"",
      "[control-plane] Creating static Pod manifest for \"kube-apiserver\"",
      "[control-plane] Creating static Pod manifest for \"kube-controller-manager\"",
      "[control-plane] Creating static Pod manifest for \"kube-scheduler\"",
      "[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"",
      "[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"",
      "[kubelet-start] Starting the kubelet",
      "[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory \"/etc/kubernetes/manifests\"",
      "[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s",
      "[kubelet-check] The kubelet is healthy after D",
      "[api-check] Waiting for a healthy API server. This can take up to 4m0s",
      "[api-check] The API server is healthy after D",
      "[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace",
      "[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster",
      "[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace",
      "[upload-certs] Using certificate key:",
      String(key),
      "[mark-control-plane] Marking the node cp1 as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]",
      "[mark-control-plane] Marking the node cp1 as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]",
      "[bootstrap-token] Using token: \(token)",
      "[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles",
      "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes",
      "[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials",
      "[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token",
      "[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster",
      "[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace",
      "[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client certificate and key",
      "[addons] Applied essential addon: CoreDNS",
      "[addons] Applied essential addon: kube-proxy",
    ]
    // The phases end with their newline; the blank line before the success text is its.
    let actual = Self.normalized(String(phases.dropLast()))
    for (index, line) in expected.enumerated() where index < actual.count && actual[index] != line {
      Issue.record("line \(index + 1): \(actual[index])\nexpected: \(line)")
      break
    }
    #expect(actual.count == expected.count, "\(phases)")
    // The success text: templates/T02 with both join commands.
    let done = InitDoneText(
      release: .v132, hasControlPlaneEndpoint: true, uploadCerts: true,
      joinControlPlane: JoinCommand(
        endpoint: "\(lb):6443", token: String(token), caCertHashes: [hash], controlPlane: true,
        certificateKey: String(key)),
      joinWorker: JoinCommand(endpoint: "\(lb):6443", token: String(token), caCertHashes: [hash]))
    #expect(String(run.stdout[split.lowerBound...]) == done.text)
    // Stdlib's own parser of init's output reads it.
    let parsed = try KubeadmOutputParser.parseInit(run.stdout)
    #expect(parsed.endpoint == "\(lb):6443" && parsed.token == String(token))
    #expect(parsed.certificateKey == String(key) && parsed.discoveryTokenCACertHash == hash)
    // kubelet.conf points at the rotatable pair, as after kubelet-finalize.
    let kubelet = try sh(
      "cp1",
      "cat /etc/kubernetes/kubelet.conf; stat -c %a /var/lib/kubelet/pki/kubelet-client-current.pem"
    )
    #expect(
      kubelet.stdout.contains(
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n"))
    #expect(kubelet.stdout.hasSuffix("\n600\n"))
    // init again on the initialized node: preflight's errors, as in LAB-FIDELITY §4.2's
    // re-run transcript, for this node's address (nothing is changed) — but for
    // Port-10250: the lab kubelet holds no port (a stopped kubelet is a frozen process, which
    // would keep it bound).
    let again = try sh("cp1", "kubeadm init", check: false)
    #expect(again.exitStatus == 1)
    #expect(
      again.stdout
        == "[init] Using Kubernetes version: v1.32.0\n[preflight] Running pre-flight checks\n")
    let manifests = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"]
    let errors =
      [
        "Port-6443]: Port 6443 is in use", "Port-10259]: Port 10259 is in use",
        "Port-10257]: Port 10257 is in use",
      ]
      + manifests.map {
        "FileAvailable--etc-kubernetes-manifests-\($0).yaml]: /etc/kubernetes/manifests/\($0).yaml already exists"
      }
      + [
        "Port-2379]: Port 2379 is in use",
        "Port-2380]: Port 2380 is in use",
        "DirAvailable--var-lib-etcd]: /var/lib/etcd is not empty",
      ]
    #expect(
      again.stderr
        == "error execution phase preflight: [preflight] Some fatal errors occurred:\n"
        + errors.map { "\t[ERROR " + $0 + "\n" }.joined()
        + "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n"
        + "To see the stack trace of this error execute with --v=5 or higher\n", "\(again.stderr)")
    return InitResult(token: String(token), key: String(key), hash: hash)
  }

  /// kubectl's view: cp1 NotReady control-plane, the static pods' mirror pods, CoreDNS
  /// Pending, kube-proxy Running; `kubeadm-config` in the cluster.
  func clusterState(after result: InitResult) throws {
    let nodes = try sh("cp1", "KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes").stdout
    let rows = KubeadmClusterObjectsTests.rows(nodes)
    #expect(rows.first == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], "\(nodes)")
    #expect(
      rows.count == 2 && rows[1].prefix(3) == ["cp1", "NotReady", "control-plane"], "\(nodes)")
    #expect(rows.last?.last == "v1.32.0")
    let pods = try sh(
      "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -n kube-system"
    )
    .stdout
    let podRows = KubeadmClusterObjectsTests.rows(pods)
    for name in [
      "etcd-cp1", "kube-apiserver-cp1", "kube-controller-manager-cp1", "kube-scheduler-cp1",
    ] {
      #expect(podRows.contains { $0.prefix(3) == [name, "1/1", "Running"] }, "\(name)\n\(pods)")
    }
    #expect(
      podRows.filter { $0.first?.hasPrefix("coredns-") == true && $0[2] == "Pending" }.count == 2,
      "\(pods)")
    #expect(
      podRows.contains { $0.first?.hasPrefix("kube-proxy-") == true && $0[2] == "Running" },
      "\(pods)")
    let admin = try admin("cp1")
    let config = try blockingAPI { try await admin.kubeadmConfigMap() }
    let stored = try KubeadmConfigMap.cluster(from: config, release: .v132)
    #expect(stored.controlPlaneEndpoint == "\(address("lb")):6443")
    #expect(stored.podSubnet == "10.244.0.0/16" && stored.etcd.local != nil)
  }

  /// kubeadm-certs decrypts with the printed key; `upload-certs` again makes a new Secret
  /// with a new key; three hours later both are gone with their tokens.
  func uploadCertsAndExpiry(after result: InitResult) throws {
    let admin = try admin("cp1")
    let cp1 = KubeadmHost(root: lab.files.fs("cp1"))
    let first = try #require(try blockingAPI { try await admin.certsSecret() })
    let key = try #require(CertificateKey(result.key))
    let other = try KubeadmRoot()
    var cluster = ClusterConfiguration()
    _ = try first.install(host: other.host, cluster: cluster, key: key)
    for file in ["ca.key", "front-proxy-ca.key", "sa.key", "etcd/ca.key", "ca.crt"] {
      let path = "/etc/kubernetes/pki/" + file
      #expect(try other.host.read(path) == cp1.read(path), "\(file)")
    }
    let rerun = try sh("cp1", "kubeadm init phase upload-certs --upload-certs")
    let lines = rerun.stdout.split(separator: "\n").map(String.init)
    #expect(
      lines.count == 3
        && Array(lines.prefix(2)) == Array(UploadCertsText.uploaded(key: "").prefix(2)),
      "\(rerun.stdout)")
    let newKey = try #require(CertificateKey(lines.last ?? ""))
    #expect(newKey.text != result.key)
    let second = try #require(try blockingAPI { try await admin.certsSecret() })
    #expect(second.ownerUID != first.ownerUID)
    #expect(throws: KubeadmError.self) {
      _ = try second.install(host: other.host, cluster: cluster, key: key)
    }
    _ = try second.install(host: other.host, cluster: cluster, key: newKey)
    // Two upload tokens and the init token.
    let list = try sh("cp1", "kubeadm token list").stdout
    #expect(
      list.hasPrefix(
        "TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION                                                EXTRA GROUPS\n"
      ), "\(list)")
    let initRow = try #require(list.split(separator: "\n").first { $0.hasPrefix(result.token) })
    #expect(
      initRow.wholeMatch(
        of:
          /[a-z0-9.]{23}   23h         \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ   authentication,signing   The default bootstrap token generated by 'kubeadm init'\.   system:bootstrappers:kubeadm:default-node-token/
      ) != nil, "\(initRow)")
    let certRows = list.split(separator: "\n").filter { $0.contains("Proxy for managing TTL") }
    #expect(certRows.count == 2, "\(list)")
    // Spacing as the §3.4 sample's second row.
    #expect(
      certRows.allSatisfy {
        $0.contains("   1h          ")
          && $0.hasSuffix(
            "Z   <none>                   Proxy for managing TTL for the kubeadm-certs secret        <none>"
          )
      }, "\(list)")

    _ = try lab.advance(seconds: 3 * 3600)
    #expect(try blockingAPI { try await admin.certsSecret() } == nil)
    let later = try sh("cp1", "kubeadm token list").stdout
    #expect(later.split(separator: "\n").count == 2, "\(later)")
    #expect(later.contains(result.token + "   20h   "), "\(later)")
    cluster.etcd = .local(LocalEtcd())
  }

  /// `token create` (printed, `--print-join-command` parsed by Stdlib's parser, with a
  /// certificate key a control plane's), `token delete`, and their errors.
  func tokenCommands(after result: InitResult) throws {
    let lb = address("lb")
    let plain = try sh("cp1", "kubeadm token create --ttl 1h --description rehearsal").stdout
    let token = try #require(BootstrapToken(plain.trimmingCharacters(in: .newlines)))
    #expect(plain == token.description + "\n")
    let worker = try sh("cp1", "kubeadm token create --print-join-command").stdout
    let join = try KubeadmOutputParser.parseJoinCommand(worker)
    #expect(join.endpoint == "\(lb):6443" && !join.isControlPlane)
    #expect(join.caCertHashes.map { $0.lowercased() } == [result.hash])
    #expect(worker.hasSuffix(" \n"), "a worker's command keeps the space after its last hash")
    let key = CertificateKey.generate().text
    let controlPlane = try sh(
      "cp1", "kubeadm token create --print-join-command --certificate-key \(key)"
    ).stdout
    let cpJoin = try KubeadmOutputParser.parseJoinCommand(controlPlane)
    #expect(cpJoin.isControlPlane && cpJoin.certificateKey == key)
    let list = try sh("cp1", "kubeadm token list").stdout
    #expect(
      list.contains(token.description + "   59m   ")
        || list.contains(token.description + "   1h    "), "\(list)")
    #expect(list.contains("   authentication,signing   rehearsal   "), "\(list)")
    #expect(list.contains(join.token + "   23h   "), "\(list)")
    let deleted = try sh("cp1", "kubeadm token delete \(token.id) \(join.token)")
    #expect(
      deleted.stdout
        == "bootstrap token \"\(token.id)\" deleted\nbootstrap token \"\(join.token.prefix(6))\" deleted\n"
    )
    #expect(!(try sh("cp1", "kubeadm token list").stdout.contains(token.id)))
    // CreateNewTokens: a token whose ID exists is an error, not an update.
    let again = try sh("cp1", "kubeadm token create \(result.token)", check: false)
    #expect(again.exitStatus == 1 && again.stdout.isEmpty)
    #expect(
      again.stderr.hasPrefix("a token with id \"\(result.token.prefix(6))\" already exists\n"),
      "\(again.stderr)")
    // --certificate-key without --print-join-command: an error, after the token was made.
    let keyed = try sh(
      "cp1", "kubeadm token create uvwxyz.0123456789abcdef --certificate-key \(key)",
      check: false)
    #expect(keyed.exitStatus == 1 && keyed.stdout.isEmpty)
    #expect(
      keyed.stderr.hasPrefix("cannot use --certificate-key without --print-join-command\n"),
      "\(keyed.stderr)")
    #expect(try sh("cp1", "kubeadm token list").stdout.contains("\nuvwxyz.0123456789abcdef   "))
    let missing = try sh("cp1", "kubeadm token delete abcdef", check: false)
    #expect(missing.exitStatus == 1)
    #expect(
      missing.stderr.hasPrefix(
        "failed to delete bootstrap token \"abcdef\": secrets \"bootstrap-token-abcdef\" not found\n"
      ), "\(missing.stderr)")
    let elsewhere = try sh("cp1", "kubeadm token list --kubeconfig /nowhere.conf", check: false)
    #expect(elsewhere.exitStatus == 1)
    #expect(
      elsewhere.stderr.hasPrefix(
        "failed to load admin kubeconfig: open /nowhere.conf: no such file or directory\n"),
      "\(elsewhere.stderr)")
  }

  /// reset on cp1 reads kubeadm-config from the API server, leaves the etcd member, cleans.
  func resetReadsTheCluster() throws {
    let reset = try sh("cp1", "kubeadm reset -f")
    #expect(
      reset.stdout.hasPrefix(
        ResetText.readingConfiguration(.v132).joined(separator: "\n")
          + "\n[preflight] Running pre-flight checks\n"), "\(reset.stdout)")
    #expect(!reset.stderr.contains("Unable to fetch the kubeadm-config"), "\(reset.stderr)")
    #expect(reset.stderr.contains("[reset] Failed to remove etcd member: "), "\(reset.stderr)")
    #expect(
      reset.stdout.contains("[reset] Deleted contents of the etcd data directory: /var/lib/etcd\n"))
    #expect(try sh("cp1", "ls -A /etc/kubernetes/manifests").stdout.isEmpty)
  }

  /// init again on the reset cp1 with a given token, withheld from the output, that never
  /// expires; no control-plane endpoint, no `--upload-certs`, kube-proxy skipped: the
  /// withheld line and value as kubeadm's `--skip-token-print` leaves them. Then
  /// `init phase upload-certs` with a given key and `--skip-certificate-key-print`: the key
  /// is not printed and decrypts `kubeadm-certs`.
  func reinitWithGivenSecrets() throws {
    let cp1 = address("cp1")
    let token = "abcdef.0123456789abcdef"
    let key = CertificateKey.generate().text
    let run = try sh(
      "cp1",
      "kubeadm init --token \(token) --token-ttl 0 --skip-token-print "
        + "--skip-phases addon/kube-proxy")
    #expect(run.stderr.isEmpty, "\(run.stderr)")
    #expect(!run.stdout.contains(token), "\(run.stdout)")
    let lines = Self.normalized(run.stdout)
    #expect(!lines.contains { $0.hasPrefix("[bootstrap-token] Using token") })
    #expect(lines.contains(UploadCertsText.skipped), "without --upload-certs")
    #expect(!lines.contains { $0.hasPrefix("[upload-certs] Storing") })
    #expect(lines.contains("[addons] Applied essential addon: CoreDNS"))
    #expect(!lines.contains("[addons] Applied essential addon: kube-proxy"))
    // templates/T02 without a control-plane endpoint: the worker's command only, withheld.
    let hash = try DiscoveryHash.of(
      certificatePEM: try String(
        contentsOfFile: lab.files.fs("cp1") + "/etc/kubernetes/pki/ca.crt", encoding: .utf8))
    let withheld = "<value withheld>"
    let done = InitDoneText(
      release: .v132, hasControlPlaneEndpoint: false, uploadCerts: false,
      joinControlPlane: JoinCommand(
        endpoint: "\(cp1):6443", token: withheld, caCertHashes: [hash], controlPlane: true),
      joinWorker: JoinCommand(endpoint: "\(cp1):6443", token: withheld, caCertHashes: [hash]))
    #expect(run.stdout.hasSuffix("[addons] Applied essential addon: CoreDNS\n" + done.text))
    // upload-certs afterwards, with a given key, withheld: only the Storing line.
    let upload = try sh(
      "cp1",
      "kubeadm init phase upload-certs --upload-certs --certificate-key \(key) "
        + "--skip-certificate-key-print")
    #expect(upload.stdout == UploadCertsText.uploaded(key: key)[0] + "\n", "\(upload.stdout)")
    // The given token, never expiring; the given key opens kubeadm-certs.
    let list = try sh("cp1", "kubeadm token list").stdout
    let row = try #require(list.split(separator: "\n").first { $0.hasPrefix(token) })
    #expect(
      row.wholeMatch(
        of:
          /abcdef\.0123456789abcdef   <forever>   <never> +authentication,signing   The default bootstrap token generated by 'kubeadm init'\.   system:bootstrappers:kubeadm:default-node-token/
      ) != nil, "\(list)")
    let admin = try admin("cp1")
    let secret = try #require(try blockingAPI { try await admin.certsSecret() })
    let other = try KubeadmRoot()
    _ = try secret.install(
      host: other.host, cluster: ClusterConfiguration(), key: try #require(CertificateKey(key)))
    #expect(
      try other.host.read("/etc/kubernetes/pki/ca.key")
        == KubeadmHost(root: lab.files.fs("cp1")).read("/etc/kubernetes/pki/ca.key"))
    let pods = try sh(
      "cp1", "kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -n kube-system"
    )
    .stdout
    #expect(!pods.contains("kube-proxy-"), "\(pods)")
    #expect(pods.contains("coredns-"), "\(pods)")
    try sh("cp1", "kubeadm reset -f")
  }

  /// The etcd CA and the API server's client pair from etcd1 on `node`, as the HA-etcd page
  /// says to copy them.
  func copyEtcdClientFiles(to node: String) throws {
    let from = KubeadmHost(root: lab.files.fs("etcd1"))
    let to = KubeadmHost(root: lab.files.fs(node))
    for (file, mode) in [
      ("etcd/ca.crt", mode_t(0o644)), ("apiserver-etcd-client.crt", 0o644),
      ("apiserver-etcd-client.key", 0o600),
    ] {
      let path = "/etc/kubernetes/pki/" + file
      try to.write(try from.read(path), to: path, mode: mode)
    }
  }

  /// init on cp2 with `etcd.external` against etcd1–3: a wrong CA, then a client pair the
  /// etcd CA did not sign, fail in wait-control-plane as kubeadm's does; the right one comes up, keeping its state in the
  /// external etcd.
  func externalInit() throws {
    let endpoints = ["etcd1", "etcd2", "etcd3"].map { "    - https://\(address($0)):2379" }
      .joined(separator: "\n")
    let tokens = ["ghijkl.0123456789abcdef", "mnopqr.0123456789abcdef"]
    let key = CertificateKey.generate().text
    func config(ca: String, client: String = "apiserver-etcd-client") -> String {
      """
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: InitConfiguration
      bootstrapTokens:
      - token: \(tokens[0])
      - token: \(tokens[1])
        ttl: 1h
        description: second
      certificateKey: \(key)
      timeouts:
        controlPlaneComponentHealthCheck: 15s
      ---
      apiVersion: kubeadm.k8s.io/v1beta4
      kind: ClusterConfiguration
      etcd:
        external:
          endpoints:
      \(endpoints)
          caFile: \(ca)
          certFile: /etc/kubernetes/pki/\(client).crt
          keyFile: /etc/kubernetes/pki/\(client).key

      """
    }
    try copyEtcdClientFiles(to: "cp2")
    let cp2 = KubeadmHost(root: lab.files.fs("cp2"))
    try cp2.write(config(ca: "/etc/kubernetes/pki/ca.crt"), to: "/root/wrong.yaml", mode: 0o600)
    try cp2.write(
      config(ca: "/etc/kubernetes/pki/etcd/ca.crt"), to: "/root/external.yaml", mode: 0o600)
    // A client pair the etcd CA did not sign (init's own, from the cluster CA).
    try cp2.write(
      config(ca: "/etc/kubernetes/pki/etcd/ca.crt", client: "apiserver-kubelet-client"),
      to: "/root/wrong-cert.yaml", mode: 0o600)
    let failed =
      "error execution phase wait-control-plane: could not initialize a Kubernetes cluster\n"
      + "To see the stack trace of this error execute with --v=5 or higher\n"
    let wrong = try sh("cp2", "kubeadm init --config /root/wrong.yaml", check: false)
    #expect(wrong.exitStatus == 1)
    #expect(wrong.stderr == failed, "\(wrong.stderr)")
    let lines = Self.normalized(wrong.stdout)
    #expect(lines.contains("[api-check] Waiting for a healthy API server. This can take up to 15s"))
    #expect(lines.contains("[api-check] The API server is not healthy after D"), "\(wrong.stdout)")
    #expect(
      wrong.stdout.contains(
        "\nUnfortunately, an error has occurred:\n\tcontext deadline exceeded\n\nThis error is likely caused by:\n"
      ))
    // kubeletFailTempl ends with its last line: no blank line after it.
    #expect(
      wrong.stdout.hasSuffix(
        "\t- 'crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock logs CONTAINERID'\n"
      ), "\(wrong.stdout)")
    #expect(!wrong.stdout.contains("[etcd]"), "no local etcd with etcd.external")
    // The API server said why, in its log (the kubelet keeps restarting it).
    #expect(status("cp2")?.pod("kube-apiserver") != nil)

    try sh("cp2", "kubeadm reset -f")
    try copyEtcdClientFiles(to: "cp2")
    let wrongCert = try sh("cp2", "kubeadm init --config /root/wrong-cert.yaml", check: false)
    #expect(wrongCert.exitStatus == 1)
    #expect(wrongCert.stderr == failed, "\(wrongCert.stderr)")
    #expect(
      Self.normalized(wrongCert.stdout).contains(
        "[api-check] The API server is not healthy after D"))

    try sh("cp2", "kubeadm reset -f")
    try copyEtcdClientFiles(to: "cp2")
    let began = ContinuousClock.now
    let right = try sh("cp2", "kubeadm init --config /root/external.yaml --upload-certs")
    print("kubeadm init (external etcd) on cp2: \(ContinuousClock.now - began)")
    #expect(right.stdout.contains("[api-check] The API server is healthy after"))
    #expect(!right.stdout.contains("[etcd] Creating"))
    #expect(
      !FileManager.default.fileExists(
        atPath: lab.files.fs("cp2") + "/etc/kubernetes/manifests/etcd.yaml"))
    let parsed = try KubeadmOutputParser.parseInit(right.stdout)
    #expect(parsed.endpoint == "\(address("cp2")):6443")
    // The config's tokens (both printed, the first in the join commands) and its key.
    #expect(
      right.stdout.contains("\n[bootstrap-token] Using tokens: [\(tokens[0]) \(tokens[1])]\n"))
    #expect(parsed.token == tokens[0] && parsed.certificateKey == key)
    let list = try sh("cp2", "kubeadm token list").stdout
    #expect(list.contains(tokens[0] + "   23h   "), "\(list)")
    #expect(
      list.contains(tokens[1] + "   59m         ") || list.contains(tokens[1] + "   1h          "),
      "\(list)")
    #expect(list.contains("   authentication,signing   second   "), "\(list)")
    let admin = try admin("cp2")
    let secret = try #require(try blockingAPI { try await admin.certsSecret() })
    #expect(
      Set(secret.data.keys).isSuperset(of: [
        "external-etcd-ca.crt", "external-etcd.crt", "external-etcd.key",
      ]))
    #expect(secret.data["etcd-ca.crt"] == nil)
    let nodes = try sh("cp2", "KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes").stdout
    #expect(
      KubeadmClusterObjectsTests.rows(nodes).contains {
        $0.prefix(3) == ["cp2", "NotReady", "control-plane"]
      }, "\(nodes)")
    // The state is in the external etcd.
    let keys = try sh(
      "etcd1",
      "etcdctl --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key "
        + "--cacert /etc/kubernetes/pki/etcd/ca.crt --endpoints https://\(address("etcd1")):2379 "
        + "get /registry/configmaps/kube-system/kubeadm-config --keys-only"
    ).stdout
    #expect(keys.contains("/registry/configmaps/kube-system/kubeadm-config"), "\(keys)")
  }
}
