import Foundation
import TestSupport
import Testing

@testable import Lab

/// The API server stand-in against a real etcd with TLS from a real kubeadm PKI: health,
/// CRUD, authentication and authorization, bootstrap tokens with the lab clock, cluster-info's
/// JWS, persistence across a restart, a wrong etcd CA or client certificate, and the kubectl
/// stand-in's output. One lab for the whole test (PKI generation is slow in a debug build).
@Suite(.serialized, .timeLimit(.minutes(8)))
struct APIServerTests {
  @Test func apiServerAndKubectlAgainstRealEtcd() async throws {
    let lab = try await APIServerLab.start()
    do {
      try await health(lab)
      try await crud(lab)
      try await authentication(lab)
      try await bootstrapTokens(lab)
      try await wrongEtcdFiles(lab)
      try await restartKeepsState(lab)
      try await kubectlGoldens(lab)
      try await clientErrors(lab)
    } catch {
      Issue.record("\(error)\netcd log:\n\(lab.etcdLog.suffix(2000))")
    }
    await lab.stop()
  }

  private func health(_ lab: APIServerLab) async throws {
    let anonymous = try lab.anonymous()
    for path in ["/healthz", "/livez", "/readyz"] {
      #expect(try await anonymous.get(path) == .string("ok"), "\(path)")
    }
    let version = try await anonymous.get("/version")
    #expect(version["gitVersion"]?.string == "v1.32.0")
    #expect(version["minor"]?.string == "32")
  }

  private func crud(_ lab: APIServerLab) async throws {
    let admin = try lab.admin()
    let collection = "/api/v1/namespaces/default/configmaps"
    let created = try await admin.create(
      collection,
      .object([
        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
        "metadata": .object(["name": .string("demo")]), "data": .object(["a": .string("1")]),
      ]))
    #expect(created[path: ["metadata", "uid"]]?.string?.count == 36)
    #expect(created[path: ["metadata", "namespace"]]?.string == "default")
    #expect(created[path: ["metadata", "resourceVersion"]]?.string != nil)
    do throws(KubeAPIError) {
      _ = try await admin.create(collection, created)
      Issue.record("a second create succeeded")
    } catch {
      #expect(
        error
          == .status(
            code: 409, reason: "AlreadyExists", message: "configmaps \"demo\" already exists"))
    }
    var changed = created
    changed["data"]?["a"] = .string("2")
    _ = try await admin.replace(collection + "/demo", changed)
    #expect(try await admin.get(collection + "/demo")["data"]?["a"]?.string == "2")
    let list = try await admin.get(collection)
    #expect(list["kind"]?.string == "ConfigMapList")
    #expect(
      list["items"]?.array?.compactMap { $0[path: ["metadata", "name"]]?.string } == ["demo"])
    // A resource of another group, stored generically.
    let crd = "/apis/example.com/v1/namespaces/default/widgets"
    _ = try await admin.create(
      crd,
      .object([
        "apiVersion": .string("example.com/v1"), "kind": .string("Widget"),
        "metadata": .object(["name": .string("w")]),
      ]))
    #expect(try await admin.get(crd + "/w")["kind"]?.string == "Widget")
    #expect(try await admin.getIfPresent(collection + "/absent") == nil)
    var upserted = created
    upserted["metadata"]?["name"] = .string("upserted")
    try await admin.createOrReplace(collection + "/upserted", upserted)
    upserted["data"]?["a"] = .string("3")
    try await admin.createOrReplace(collection + "/upserted", upserted)
    #expect(try await admin.getIfPresent(collection + "/upserted")?["data"]?["a"] == .string("3"))
    try await admin.delete(collection + "/demo")
    do throws(KubeAPIError) {
      _ = try await admin.get(collection + "/demo")
      Issue.record("deleted object still there")
    } catch {
      #expect(
        error == .status(code: 404, reason: "NotFound", message: "configmaps \"demo\" not found"))
    }
    do throws(KubeAPIError) {
      _ = try await admin.get(crd + "/gone")
      Issue.record("missing object found")
    } catch {
      #expect(error.description == "widgets.example.com \"gone\" not found")
    }
  }

  private func authentication(_ lab: APIServerLab) async throws {
    let anonymous = try lab.anonymous()
    do throws(KubeAPIError) {
      _ = try await anonymous.get("/api/v1/namespaces/kube-system/secrets")
      Issue.record("anonymous listed secrets")
    } catch {
      #expect(
        error
          == .status(
            code: 403, reason: "Forbidden",
            message:
              "secrets is forbidden: User \"system:anonymous\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\""
          ))
    }
    let unknown = try lab.bearer("abcdef.0123456789abcdef")
    do throws(KubeAPIError) {
      _ = try await unknown.get("/api/v1/nodes")
      Issue.record("an unknown token was accepted")
    } catch {
      #expect(error.code == 401)
      #expect(error.description == "Unauthorized")
    }
  }

  private func bootstrapTokens(_ lab: APIServerLab) async throws {
    let admin = try lab.admin()
    let expiration = ClusterClock.rfc3339(
      ClusterClock(stateFile: lab.clockFile).now().addingTimeInterval(3600))
    let token = try await admin.create(
      "/api/v1/namespaces/kube-system/secrets",
      .object([
        "apiVersion": .string("v1"), "kind": .string("Secret"),
        "type": .string("bootstrap.kubernetes.io/token"),
        "metadata": .object(["name": .string("bootstrap-token-abcdef")]),
        "stringData": .object([
          "token-id": .string("abcdef"), "token-secret": .string("0123456789abcdef"),
          "expiration": .string(expiration), "usage-bootstrap-authentication": .string("true"),
          "usage-bootstrap-signing": .string("true"),
          "auth-extra-groups": .string("system:bootstrappers:kubeadm:default-node-token"),
        ]),
      ]))
    #expect(token["data"]?["token-id"]?.string == "YWJjZGVm")
    _ = try await admin.create(
      "/api/v1/namespaces/kube-system/secrets",
      .object([
        "apiVersion": .string("v1"), "kind": .string("Secret"),
        "metadata": .object([
          "name": .string("kubeadm-certs"),
          "ownerReferences": .array([
            .object([
              "apiVersion": .string("v1"), "kind": .string("Secret"),
              "name": .string("bootstrap-token-abcdef"), "uid": token[path: ["metadata", "uid"]]!,
              "controller": .bool(true), "blockOwnerDeletion": .bool(true),
            ])
          ]),
        ]),
        "data": .object(["ca.crt": .string("")]),
      ]))
    let kubeconfig = "apiVersion: v1\nclusters: []\n"
    _ = try await admin.create(
      "/api/v1/namespaces/kube-public/configmaps",
      .object([
        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
        "metadata": .object(["name": .string("cluster-info")]),
        "data": .object(["kubeconfig": .string(kubeconfig)]),
      ]))
    // Anonymous: cluster-info, signed for the token.
    let info = try await lab.anonymous().get(
      "/api/v1/namespaces/kube-public/configmaps/cluster-info")
    let jws = try #require(info["data"]?["jws-kubeconfig-abcdef"]?.string)
    try verifyJWS(jws, content: kubeconfig, id: "abcdef", secret: "0123456789abcdef")
    // The token reads what join needs, and nothing else.
    let bootstrap = try lab.bearer("abcdef.0123456789abcdef")
    #expect(
      try await bootstrap.get("/api/v1/namespaces/kube-system/secrets/kubeadm-certs")[path: [
        "metadata", "name",
      ]] == .string("kubeadm-certs"))
    do throws(KubeAPIError) {
      _ = try await bootstrap.get("/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef")
      Issue.record("a bootstrap token read token secrets")
    } catch {
      #expect(
        error.description.hasPrefix(
          "secrets \"bootstrap-token-abcdef\" is forbidden: User \"system:bootstrap:abcdef\" cannot get resource \"secrets\""
        ))
    }
    // Past its expiry on the lab clock: refused, deleted, and kubeadm-certs with it.
    try lab.setClockOffset(2 * 3600)
    do throws(KubeAPIError) {
      _ = try await bootstrap.get("/api/v1/namespaces/kube-system/secrets/kubeadm-certs")
      Issue.record("an expired token was accepted")
    } catch {
      #expect(error.code == 401)
    }
    for name in ["bootstrap-token-abcdef", "kubeadm-certs"] {
      do throws(KubeAPIError) {
        _ = try await admin.get("/api/v1/namespaces/kube-system/secrets/" + name)
        Issue.record("\(name) outlived the token")
      } catch {
        #expect(error.isNotFound, "\(name): \(error)")
      }
    }
    let unsigned = try await lab.anonymous().get(
      "/api/v1/namespaces/kube-public/configmaps/cluster-info")
    #expect(unsigned["data"]?["jws-kubeconfig-abcdef"] == nil)
    try lab.setClockOffset(0)
  }

  /// Checks a detached JWS with openssl's HMAC, not our own code.
  private func verifyJWS(_ jws: String, content: String, id: String, secret: String) throws {
    let parts = jws.components(separatedBy: ".")
    #expect(parts.count == 3 && parts[1].isEmpty, "not detached: \(jws)")
    #expect(base64URLDecode(parts[0]) == "{\"alg\":\"HS256\",\"kid\":\"\(id)\"}")
    let payload = BootstrapTokens.base64URL(Array(content.utf8))
    let result = try OpenSSL.run(
      ["dgst", "-sha256", "-hmac", secret, "-hex"], input: parts[0] + "." + payload)
    let hex = result.output.components(separatedBy: "= ").last?.trimmingCharacters(
      in: .whitespacesAndNewlines)
    let signature = Data(base64Encoded: base64Padded(parts[2])).map {
      $0.map { String(format: "%02x", $0) }.joined()
    }
    #expect(hex == signature, "openssl: \(result.output)")
  }

  private func base64Padded(_ text: String) -> String {
    var text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
      of: "_", with: "/")
    while text.count % 4 != 0 { text += "=" }
    return text
  }

  private func base64URLDecode(_ text: String) -> String? {
    Data(base64Encoded: base64Padded(text)).map { String(decoding: $0, as: UTF8.self) }
  }

  private func wrongEtcdFiles(_ lab: APIServerLab) async throws {
    do throws(APIServerFailure) {
      _ = try await KubeAPIServer.start(
        lab.options(etcdCA: lab.pki("ca.crt"), port: 6444), environment: lab.environment,
        etcdStartupTimeout: .seconds(20))
      Issue.record("started with the wrong etcd CA")
    } catch {
      #expect(
        error.message.hasPrefix(
          "cannot use etcd at https://\(lab.address):2379 with --etcd-cafile=\(lab.pki("ca.crt"))"))
      #expect(
        error.message.hasSuffix(
          "tls: failed to verify certificate: x509: certificate signed by unknown authority"),
        "\(error.message)")
    }
    do throws(APIServerFailure) {
      _ = try await KubeAPIServer.start(
        lab.options(etcdCert: lab.pki("apiserver-kubelet-client.crt"), port: 6444),
        environment: lab.environment, etcdStartupTimeout: .seconds(20))
      Issue.record("started with a client certificate etcd does not trust")
    } catch {
      #expect(error.message.contains("tls: "), "\(error.message)")
    }
    // And as a program: exit status 1 with the message.
    let errors = CapturedOutput()
    let options = lab.options(etcdCA: lab.pki("ca.crt"), port: 6444)
    let address = lab.address
    let arguments = [
      "--advertise-address=\(address)", "--secure-port=6444",
      "--tls-cert-file=\(options.tlsCertFile!)",
      "--tls-private-key-file=\(options.tlsPrivateKeyFile!)",
      "--client-ca-file=\(options.clientCAFile!)", "--etcd-servers=https://\(lab.address):2379",
      "--etcd-cafile=\(lab.pki("ca.crt"))", "--etcd-certfile=\(options.etcdCertFile!)",
      "--etcd-keyfile=\(options.etcdKeyFile!)", "--allow-privileged=true",
      "--enable-admission-plugins=NodeRestriction",
    ]
    let environment = lab.environment
    let status = try await offPool {
      KubeAPIServer.main(arguments: arguments, environment: environment, err: errors.output.err)
    }
    #expect(status == 1)
    #expect(errors.err.hasPrefix("kube-apiserver: cannot use etcd at"))
  }

  private func restartKeepsState(_ lab: APIServerLab) async throws {
    let admin = try lab.admin()
    _ = try await admin.create(
      "/api/v1/namespaces/kube-system/configmaps",
      .object([
        "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
        "metadata": .object(["name": .string("kubeadm-config")]),
        "data": .object(["ClusterConfiguration": .string("kind: ClusterConfiguration\n")]),
      ]))
    await lab.stopServer()
    do throws(KubeAPIError) {
      _ = try await admin.get("/healthz")
      Issue.record("the stopped server answered")
    } catch {
      // A new connection is refused; a kept-alive one the stopping server closed is reset.
      #expect(
        [
          "dial tcp \(lab.address):6443: connect: connection refused",
          "read: connection reset by peer",
        ].contains(error.cause), "\(error.cause)")
    }
    // Back, with a dead etcd endpoint listed first: the next one serves.
    try await lab.startServer(deadEtcdFirst: true)
    let config = try await admin.get("/api/v1/namespaces/kube-system/configmaps/kubeadm-config")
    #expect(config["data"]?["ClusterConfiguration"]?.string == "kind: ClusterConfiguration\n")
  }

  private func kubectlGoldens(_ lab: APIServerLab) async throws {
    let admin = try lab.admin()
    for (name, role) in [("cp1", true), ("w1", false)] {
      var labels: [String: JSONValue] = ["kubernetes.io/hostname": .string(name)]
      if role { labels["node-role.kubernetes.io/control-plane"] = .string("") }
      _ = try await admin.create(
        "/api/v1/nodes",
        .object([
          "apiVersion": .string("v1"), "kind": .string("Node"),
          "metadata": .object(["name": .string(name), "labels": .object(labels)]),
          "status": .object(["nodeInfo": .object(["kubeletVersion": .string("v1.32.0")])]),
        ]))
    }
    for component in ["etcd", "kube-apiserver"] {
      _ = try await admin.create(
        "/api/v1/namespaces/kube-system/pods",
        .object([
          "apiVersion": .string("v1"), "kind": .string("Pod"),
          "metadata": .object(["name": .string("\(component)-cp1")]),
          "spec": .object([
            "nodeName": .string("cp1"),
            "containers": .array([.object(["name": .string(component)])]),
          ]),
          "status": .object([
            "phase": .string("Running"),
            "containerStatuses": .array([
              .object([
                "name": .string(component), "ready": .bool(true), "restartCount": .number(0),
              ])
            ]),
          ]),
        ]))
    }
    // kubeadm's addons: kube-proxy (a DaemonSet, not a CNI) and CoreDNS (a Deployment).
    _ = try await admin.create(
      "/apis/apps/v1/namespaces/kube-system/daemonsets",
      .object([
        "apiVersion": .string("apps/v1"), "kind": .string("DaemonSet"),
        "metadata": .object(["name": .string("kube-proxy")]),
        "spec": .object([
          "template": .object([
            "spec": .object(["containers": .array([.object(["name": .string("kube-proxy")])])])
          ])
        ]),
      ]))
    _ = try await admin.create(
      "/apis/apps/v1/namespaces/kube-system/deployments",
      .object([
        "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
        "metadata": .object(["name": .string("coredns")]),
        "spec": .object([
          "replicas": .number(2),
          "template": .object([
            "spec": .object(["containers": .array([.object(["name": .string("coredns")])])])
          ]),
        ]),
      ]))
    try lab.setClockOffset(21 * 60)
    var pods = await lab.kubectl("get", "pods", "-n", "kube-system")
    try expectPods(
      pods.out,
      [
        ("coredns-", "0/1     Pending"), ("coredns-", "0/1     Pending"),
        ("etcd-cp1 ", "1/1     Running"), ("kube-apiserver-cp1 ", "1/1     Running"),
        ("kube-proxy-", "1/1     Running"), ("kube-proxy-", "1/1     Running"),
      ])
    var result = await lab.kubectl("get", "nodes")
    #expect(result.status == 0, "\(result.err)")
    #expect(
      result.out == """
        NAME   STATUS     ROLES           AGE   VERSION
        cp1    NotReady   control-plane   21m   v1.32.0
        w1     NotReady   <none>          21m   v1.32.0

        """)
    result = await lab.kubectl("wait", "--for=condition=Ready", "node", "--all", "--timeout=2s")
    #expect(result.status == 1)
    #expect(result.err == "error: timed out waiting for the condition on nodes/cp1\n")
    let manifest = lab.root.path + "/flannel.yaml"
    try """
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: kube-flannel
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: flannel
    rules: []
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: flannel
      namespace: kube-flannel
    ---
    apiVersion: apps/v1
    kind: DaemonSet
    metadata:
      name: kube-flannel-ds
      namespace: kube-flannel
    spec:
      template:
        spec:
          containers:
          - name: kube-flannel
            image: docker.io/flannel/flannel:v0.26.1
    """.write(toFile: manifest, atomically: true, encoding: .utf8)
    result = await lab.kubectl("apply", "-f", manifest)
    #expect(result.status == 0, "\(result.err)")
    #expect(
      result.out == """
        namespace/kube-flannel created
        clusterrole.rbac.authorization.k8s.io/flannel created
        serviceaccount/flannel created
        daemonset.apps/kube-flannel-ds created

        """)
    result = await lab.kubectl("apply", "-f", manifest)
    #expect(
      result.out.components(separatedBy: "\n").filter { !$0.isEmpty }.allSatisfy {
        $0.hasSuffix(" unchanged")
      }, "\(result.out)")
    try String(contentsOfFile: manifest, encoding: .utf8).replacingOccurrences(
      of: "v0.26.1", with: "v0.26.2"
    )
    .write(toFile: manifest, atomically: true, encoding: .utf8)
    // By URL: the lab's copy of the manifest (HAFLOW_LAB_MANIFESTS).
    result = await lab.kubectl(
      "apply", "-f", "https://github.com/flannel-io/flannel/releases/latest/download/flannel.yaml")
    #expect(
      result.out.contains("daemonset.apps/kube-flannel-ds configured\n"),
      "\(result.out) \(result.err)")
    #expect(result.out.contains("namespace/kube-flannel unchanged\n"))
    result = await lab.kubectl("get", "nodes")
    #expect(
      result.out == """
        NAME   STATUS   ROLES           AGE   VERSION
        cp1    Ready    control-plane   21m   v1.32.0
        w1     Ready    <none>          21m   v1.32.0

        """)
    result = await lab.kubectl("get", "nodes", "-o", "wide")
    #expect(
      result.out.components(separatedBy: "\n")[0...1] == [
        "NAME   STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE    KERNEL-VERSION   CONTAINER-RUNTIME",
        "cp1    Ready    control-plane   21m   v1.32.0   <none>        <none>        <unknown>   <unknown>        <unknown>",
      ], "\(result.out)")
    result = await lab.kubectl("wait", "--for=condition=Ready", "node", "--all", "--timeout=30s")
    #expect(result.status == 0)
    #expect(result.out == "node/cp1 condition met\nnode/w1 condition met\n")
    pods = await lab.kubectl("get", "pods", "-n", "kube-system")
    try expectPods(
      pods.out,
      [
        ("coredns-", "1/1     Running"), ("coredns-", "1/1     Running"),
        ("etcd-cp1 ", "1/1     Running"), ("kube-apiserver-cp1 ", "1/1     Running"),
        ("kube-proxy-", "1/1     Running"), ("kube-proxy-", "1/1     Running"),
      ])
    result = await lab.kubectl("get", "pods", "-n", "kube-flannel")
    let rows = result.out.components(separatedBy: "\n").dropFirst().filter { !$0.isEmpty }
    #expect(rows.count == 2, "\(result.out)")
    #expect(
      rows.allSatisfy { $0.hasPrefix("kube-flannel-ds-") && $0.contains("1/1     Running   0") },
      "\(result.out)")
    result = await lab.kubectl("get", "pods", "-n", "empty")
    #expect(result.status == 0 && result.out.isEmpty)
    #expect(result.err == "No resources found in empty namespace.\n")
    // The docs' `kubectl -n kube-system get cm kubeadm-config -oyaml`.
    result = await lab.kubectl("-n", "kube-system", "get", "cm", "kubeadm-config", "-oyaml")
    #expect(result.status == 0, "\(result.err)")
    #expect(
      result.out.hasPrefix(
        "apiVersion: v1\ndata:\n  ClusterConfiguration: |\n    kind: ClusterConfiguration\nkind: ConfigMap\nmetadata:\n  creationTimestamp: \""
      ), "\(result.out)")
    #expect(
      result.out.contains(
        "\n  name: kubeadm-config\n  namespace: kube-system\n  resourceVersion: \""))
    result = await lab.kubectl("get", "nodes", "-o", "json")
    let list = JSONValue.parse(Array(result.out.utf8))
    #expect(list?["kind"]?.string == "List")
    #expect(list?["items"]?.array?.count == 2)
    #expect(
      result.out.hasPrefix("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"), "\(result.out)")
    result = await lab.kubectl("cluster-info")
    #expect(
      result.out
        == "\u{1B}[0;32mKubernetes control plane\u{1B}[0m is running at \u{1B}[0;33mhttps://\(lab.address):6443\u{1B}[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )
    // drain cordons, delete removes; a missing node is NotFound unless --ignore-not-found.
    let last = try #require(list?["items"]?.array?.last?[path: ["metadata", "name"]]?.string)
    result = await lab.kubectl(
      "drain", last, "--delete-emptydir-data", "--force", "--ignore-daemonsets")
    #expect(result.status == 0 && result.out == "node/\(last) cordoned\nnode/\(last) drained\n")
    result = await lab.kubectl("get", "nodes")
    #expect(result.out.contains(",SchedulingDisabled"), "\(result.out)")
    result = await lab.kubectl("delete", "node", last)
    #expect(result.status == 0 && result.out == "node \"\(last)\" deleted\n", "\(result.err)")
    result = await lab.kubectl("delete", "node", last)
    #expect(result.status == 1)
    #expect(result.err == "Error from server (NotFound): nodes \"\(last)\" not found\n")
    result = await lab.kubectl("delete", "node", last, "--ignore-not-found")
    #expect(result.status == 0 && result.out.isEmpty && result.err.isEmpty)
    result = await lab.kubectl("get", "nodes", "-o", "name")
    #expect(!result.out.contains(last), "\(result.out)")
    try lab.setClockOffset(0)
  }

  /// `get pods` rows: each starts with its name prefix and shows READY and STATUS; the
  /// header is kubectl's, the layout aligned, AGE the lab clock's 21m.
  private func expectPods(_ text: String, _ expected: [(String, String)]) throws {
    let lines = text.components(separatedBy: "\n").filter { !$0.isEmpty }
    try #require(lines.count == expected.count + 1, "\(text)")
    let nameWidth = try #require(lines[0].range(of: "READY")).lowerBound.utf16Offset(in: lines[0])
    #expect(lines[0].hasSuffix("READY   STATUS    RESTARTS   AGE"), "\(text)")
    for (line, (prefix, state)) in zip(lines.dropFirst(), expected) {
      #expect(line.hasPrefix(prefix), "\(text)")
      #expect(line.dropFirst(nameWidth).hasPrefix(state + "   0          21m"), "\(text)")
    }
  }

  private func clientErrors(_ lab: APIServerLab) async throws {
    let refused = try KubeAPIClient(
      server: "https://\(lab.address):6449", credentials: .anonymous, trust: .insecureSkipVerify)
    do throws(KubeAPIError) {
      _ = try await refused.get("/api/v1/namespaces/kube-public/configmaps/cluster-info")
      Issue.record("connected to a closed port")
    } catch {
      #expect(
        error.description
          == "Get \"https://\(lab.address):6449/api/v1/namespaces/kube-public/configmaps/cluster-info\": dial tcp \(lab.address):6449: connect: connection refused"
      )
    }
    // The wrong CA: the cluster CA is not etcd's.
    let wrongCA = try KubeAPIClient(
      server: "https://\(lab.address):6443", credentials: .anonymous,
      trust: .certificateAuthorities(
        pem: Array(try Data(contentsOf: URL(fileURLWithPath: lab.pki("etcd/ca.crt"))))))
    do throws(KubeAPIError) {
      _ = try await wrongCA.get("/healthz")
      Issue.record("trusted a server signed by another CA")
    } catch {
      #expect(
        error.cause
          == "tls: failed to verify certificate: x509: certificate signed by unknown authority")
    }
  }
}
