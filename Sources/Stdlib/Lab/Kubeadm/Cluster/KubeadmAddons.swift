import Foundation

/// The objects kubeadm's addon phase applies: CoreDNS (ConfigMap `coredns`, Deployment
/// `coredns` with 2 replicas labelled `k8s-app: kube-dns`, Service `kube-dns` at the service
/// subnet's tenth address) and kube-proxy (ConfigMap `kube-proxy`, DaemonSet `kube-proxy`).
/// The API server shows the Deployment's pods Pending and the DaemonSet's Running on every
/// node until a CNI is applied (LAB-FIDELITY §5.1). Fields beyond those kubectl's columns and
/// `cluster-info` read are kept small.
public enum KubeadmAddons {
  /// CoreDNS's image tag for v1.31/v1.32 (`CoreDNSVersion`).
  public static let coreDNSVersion = "v1.11.3"

  /// One object and the collection path it is created in.
  public struct Object: Sendable {
    /// The collection to POST to.
    public let collection: String
    /// The object.
    public let object: JSONValue
    /// Its own path.
    public var path: String { collection + "/" + (ClusterObjects.name(object) ?? "") }
  }

  /// CoreDNS's objects, in the order kubeadm creates them.
  public static func coreDNS(cluster: ClusterConfiguration) -> [Object] {
    let dns = KubeletFiles.tenthAddress(of: cluster.serviceSubnet) ?? "10.96.0.10"
    let labels = ["k8s-app": "kube-dns"]
    let corefile = """
      .:53 {
          errors
          health {
             lameduck 5s
          }
          ready
          kubernetes \(cluster.dnsDomain) in-addr.arpa ip6.arpa {
             pods insecure
             fallthrough in-addr.arpa ip6.arpa
             ttl 30
          }
          prometheus :9153
          forward . /etc/resolv.conf {
             max_concurrent 1000
          }
          cache 30 {
             disable success \(cluster.dnsDomain)
             disable denial \(cluster.dnsDomain)
          }
          loop
          reload
          loadbalance
      }

      """
    let container: JSONValue = .object([
      "name": .string("coredns"),
      "image": .string(cluster.imageRepository + "/coredns/coredns:" + coreDNSVersion),
      "args": .array([.string("-conf"), .string("/etc/coredns/Corefile")]),
      "ports": .array([
        port("dns", 53, "UDP", key: "containerPort"),
        port("dns-tcp", 53, "TCP", key: "containerPort"),
        port("metrics", 9153, "TCP", key: "containerPort"),
      ]),
    ])
    return [
      Object(
        collection: collection("v1", "configmaps"),
        object: .object([
          "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
          "metadata": ClusterObjects.metadata(
            name: "coredns", namespace: ClusterObjects.kubeSystem),
          "data": .object(["Corefile": .string(corefile)]),
        ])),
      Object(
        collection: collection("apps/v1", "deployments"),
        object: .object([
          "apiVersion": .string("apps/v1"), "kind": .string("Deployment"),
          "metadata": ClusterObjects.metadata(
            name: "coredns", namespace: ClusterObjects.kubeSystem, labels: labels),
          "spec": .object([
            "replicas": .number(2),
            "selector": .object(["matchLabels": ClusterObjects.strings(labels)]),
            "template": .object([
              "metadata": .object(["labels": ClusterObjects.strings(labels)]),
              "spec": .object([
                "containers": .array([container]), "dnsPolicy": .string("Default"),
                "priorityClassName": .string("system-cluster-critical"),
                "serviceAccountName": .string("coredns"),
              ]),
            ]),
          ]),
        ])),
      Object(
        collection: collection("v1", "services"),
        object: .object([
          "apiVersion": .string("v1"), "kind": .string("Service"),
          "metadata": ClusterObjects.metadata(
            name: "kube-dns", namespace: ClusterObjects.kubeSystem,
            labels: [
              "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
              "kubernetes.io/name": "CoreDNS",
            ],
            annotations: ["prometheus.io/port": "9153", "prometheus.io/scrape": "true"]),
          "spec": .object([
            "clusterIP": .string(dns), "selector": ClusterObjects.strings(labels),
            "ports": .array([
              port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP"), port("metrics", 9153, "TCP"),
            ]),
          ]),
        ])),
    ]
  }

  /// kube-proxy's objects: its ConfigMap (the server it reaches: the control-plane URL) and
  /// its DaemonSet.
  public static func kubeProxy(config: InitConfiguration) -> [Object] {
    let cluster = config.cluster
    let labels = ["k8s-app": "kube-proxy"]
    var proxyConfig = """
      apiVersion: kubeproxy.config.k8s.io/v1alpha1
      bindAddress: 0.0.0.0
      clientConnection:
        kubeconfig: /var/lib/kube-proxy/kubeconfig.conf

      """
    if !cluster.podSubnet.isEmpty { proxyConfig += "clusterCIDR: \(cluster.podSubnet)\n" }
    proxyConfig += "kind: KubeProxyConfiguration\nmode: \"\"\n"
    let kubeconfig = """
      apiVersion: v1
      kind: Config
      clusters:
      - cluster:
          certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
          server: \(config.controlPlaneURL)
        name: default
      contexts:
      - context:
          cluster: default
          namespace: default
          user: default
        name: default
      current-context: default
      users:
      - name: default
        user:
          tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token

      """
    let container: JSONValue = .object([
      "name": .string("kube-proxy"),
      "image": .string(cluster.imageRepository + "/kube-proxy:" + cluster.kubernetesVersion),
      "command": .array([
        .string("/usr/local/bin/kube-proxy"), .string("--config=/var/lib/kube-proxy/config.conf"),
        .string("--hostname-override=$(NODE_NAME)"),
      ]),
    ])
    return [
      Object(
        collection: collection("v1", "configmaps"),
        object: .object([
          "apiVersion": .string("v1"), "kind": .string("ConfigMap"),
          "metadata": ClusterObjects.metadata(
            name: "kube-proxy", namespace: ClusterObjects.kubeSystem, labels: ["app": "kube-proxy"]),
          "data": .object([
            "config.conf": .string(proxyConfig), "kubeconfig.conf": .string(kubeconfig),
          ]),
        ])),
      Object(
        collection: collection("apps/v1", "daemonsets"),
        object: .object([
          "apiVersion": .string("apps/v1"), "kind": .string("DaemonSet"),
          "metadata": ClusterObjects.metadata(
            name: "kube-proxy", namespace: ClusterObjects.kubeSystem, labels: labels),
          "spec": .object([
            "selector": .object(["matchLabels": ClusterObjects.strings(labels)]),
            "template": .object([
              "metadata": .object(["labels": ClusterObjects.strings(labels)]),
              "spec": .object([
                "containers": .array([container]), "hostNetwork": .bool(true),
                "priorityClassName": .string("system-node-critical"),
                "serviceAccountName": .string("kube-proxy"),
              ]),
            ]),
          ]),
        ])),
    ]
  }

  private static func collection(_ apiVersion: String, _ resource: String) -> String {
    KubeAPIPath.collection(
      apiVersion: apiVersion, resource: resource, namespace: ClusterObjects.kubeSystem)
  }

  /// A container port (`key: "containerPort"`) or a Service port.
  private static func port(_ name: String, _ number: Int, _ proto: String, key: String = "port")
    -> JSONValue
  {
    var port: JSONValue = .object([
      "name": .string(name), key: .number(Double(number)), "protocol": .string(proto),
    ])
    if key == "port" { port["targetPort"] = .number(Double(number)) }
    return port
  }
}
