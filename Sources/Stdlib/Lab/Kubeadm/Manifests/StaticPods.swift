import Foundation

/// The static pods kubeadm writes to `/etc/kubernetes/manifests`, which the lab's kubelet
/// runs as processes.
public enum StaticPodComponent: String, Sendable, CaseIterable {
  /// etcd (stacked topology).
  case etcd
  /// The API server.
  case apiServer = "kube-apiserver"
  /// The controller manager.
  case controllerManager = "kube-controller-manager"
  /// The scheduler.
  case scheduler = "kube-scheduler"

  /// The manifest's file name (`<component>.yaml`).
  public var fileName: String { rawValue + ".yaml" }
}

/// An etcd member as `--initial-cluster` lists it.
public struct EtcdMember: Sendable, Equatable {
  /// The member name (the node name; a nameless member goes by its hex ID).
  public var name: String
  /// Its peer URL.
  public var peerURL: String

  /// A member.
  public init(name: String, peerURL: String) {
    self.name = name
    self.peerURL = peerURL
  }
}

/// Builds and writes the static-pod manifests for one node: `0600` files in a `0700`
/// directory, command lines sorted by flag name with `extraArgs` applied.
public struct StaticPodWriter: Sendable {
  /// Where files go.
  public let host: KubeadmHost
  /// The node and cluster.
  public let config: InitConfiguration
  /// The release (image tags).
  public let release: KubeadmRelease

  /// The manifests directory.
  public static let directory = "/etc/kubernetes/manifests"

  /// A writer.
  public init(host: KubeadmHost, config: InitConfiguration, release: KubeadmRelease) {
    self.host = host
    self.config = config
    self.release = release
  }

  /// The path of a component's manifest.
  public static func path(_ component: StaticPodComponent) -> String {
    directory + "/" + component.fileName
  }

  /// The control plane's version (the configuration's, else the release's own).
  var version: String {
    let wanted = config.cluster.kubernetesVersion
    return wanted.hasPrefix("v") ? wanted : release.gitVersion
  }

  /// `https://<advertise>:<port>` with IPv6 bracketed.
  private func url(_ scheme: String, _ host: String, _ port: Int) -> String {
    scheme + "://" + HostPort.join(host, port)
  }

  private var loopback: String { config.node.advertiseAddress.contains(":") ? "::1" : "127.0.0.1" }

  // MARK: etcd

  /// etcd's command line. `members` is nil at init (this node alone); a joining member passes
  /// the list it got back from `member add`, and the state becomes `existing`.
  public func etcdCommand(members: [EtcdMember]? = nil) -> [String] {
    let local = config.cluster.etcd.local ?? LocalEtcd()
    let pki = config.cluster.certificatesDir + "/etcd"
    let node = config.node
    let peerURL = url("https", node.advertiseAddress, 2380)
    let cluster = (members ?? [EtcdMember(name: node.name, peerURL: peerURL)])
      .map { $0.name + "=" + $0.peerURL }.joined(separator: ",")
    var base: [(String, String)] = [
      ("advertise-client-urls", url("https", node.advertiseAddress, 2379)),
      ("cert-file", pki + "/server.crt"),
      ("client-cert-auth", "true"),
      ("data-dir", local.dataDir),
      ("experimental-initial-corrupt-check", "true"),
      ("experimental-watch-progress-notify-interval", "5s"),
      ("initial-advertise-peer-urls", peerURL),
      ("initial-cluster", cluster),
      ("key-file", pki + "/server.key"),
      (
        "listen-client-urls",
        url("https", loopback, 2379) + "," + url("https", node.advertiseAddress, 2379)
      ),
      ("listen-metrics-urls", url("http", loopback, 2381)),
      ("listen-peer-urls", peerURL),
      ("name", node.name),
      ("peer-cert-file", pki + "/peer.crt"),
      ("peer-client-cert-auth", "true"),
      ("peer-key-file", pki + "/peer.key"),
      ("peer-trusted-ca-file", pki + "/ca.crt"),
      ("snapshot-count", "10000"),
      ("trusted-ca-file", pki + "/ca.crt"),
    ]
    if members != nil { base.append(("initial-cluster-state", "existing")) }
    return ["etcd"] + Self.arguments(base, overrides: local.extraArgs)
  }

  /// The etcd manifest.
  public func etcdManifest(members: [EtcdMember]? = nil) -> String {
    let local = config.cluster.etcd.local ?? LocalEtcd()
    let pki = config.cluster.certificatesDir + "/etcd"
    let probe = { (path: String) -> YAMLText in
      .map([
        ("host", .string(loopback)), ("path", .string(path)), ("port", .int(2381)),
        ("scheme", .string("HTTP")),
      ])
    }
    return Self.pod(
      name: "etcd",
      annotations: [
        (
          "kubeadm.kubernetes.io/etcd.advertise-client-urls",
          url("https", config.node.advertiseAddress, 2379)
        )
      ],
      container: [
        ("command", .list(etcdCommand(members: members).map { .string($0) })),
        ("image", .string(config.cluster.imageRepository + "/etcd:" + release.etcdImageTag)),
        ("imagePullPolicy", .string("IfNotPresent")),
        ("livenessProbe", Self.probe(probe("/livez"), failures: 8, initialDelay: 10, period: 10)),
        ("name", .string("etcd")),
        ("readinessProbe", Self.probe(probe("/readyz"), failures: 3, initialDelay: nil, period: 1)),
        (
          "resources",
          .map([("requests", .map([("cpu", .string("100m")), ("memory", .string("100Mi"))]))])
        ),
        ("startupProbe", Self.probe(probe("/readyz"), failures: 24, initialDelay: 10, period: 10)),
        (
          "volumeMounts",
          .list([
            .map([("mountPath", .string(local.dataDir)), ("name", .string("etcd-data"))]),
            .map([("mountPath", .string(pki)), ("name", .string("etcd-certs"))]),
          ])
        ),
      ],
      volumes: [
        ("etcd-certs", pki, "DirectoryOrCreate"), ("etcd-data", local.dataDir, "DirectoryOrCreate"),
      ])
  }

  /// Writes `etcd.yaml` (init, or `init phase etcd local`).
  public func writeEtcd(members: [EtcdMember]? = nil) throws -> [String] {
    try write(etcdManifest(members: members), .etcd)
    if members != nil { return ["[etcd] Creating static Pod manifest for \"etcd\""] }
    return [
      "[etcd] Creating static Pod manifest for local etcd in \(GoQuote.quote(Self.directory))"
    ]
  }

  // MARK: control plane

  /// The API server's command line.
  public func apiServerCommand() -> [String] {
    let pki = config.cluster.certificatesDir
    var base: [(String, String)] = [
      ("advertise-address", config.node.advertiseAddress),
      ("allow-privileged", "true"),
      ("authorization-mode", "Node,RBAC"),
      ("client-ca-file", pki + "/ca.crt"),
      ("enable-admission-plugins", "NodeRestriction"),
      ("enable-bootstrap-token-auth", "true"),
      ("kubelet-client-certificate", pki + "/apiserver-kubelet-client.crt"),
      ("kubelet-client-key", pki + "/apiserver-kubelet-client.key"),
      ("kubelet-preferred-address-types", "InternalIP,ExternalIP,Hostname"),
      ("proxy-client-cert-file", pki + "/front-proxy-client.crt"),
      ("proxy-client-key-file", pki + "/front-proxy-client.key"),
      ("requestheader-allowed-names", "front-proxy-client"),
      ("requestheader-client-ca-file", pki + "/front-proxy-ca.crt"),
      ("requestheader-extra-headers-prefix", "X-Remote-Extra-"),
      ("requestheader-group-headers", "X-Remote-Group"),
      ("requestheader-username-headers", "X-Remote-User"),
      ("secure-port", String(config.node.bindPort)),
      ("service-account-issuer", "https://kubernetes.default.svc." + config.cluster.dnsDomain),
      ("service-account-key-file", pki + "/sa.pub"),
      ("service-account-signing-key-file", pki + "/sa.key"),
      ("service-cluster-ip-range", config.cluster.serviceSubnet),
      ("tls-cert-file", pki + "/apiserver.crt"),
      ("tls-private-key-file", pki + "/apiserver.key"),
    ]
    switch config.cluster.etcd {
    case .local:
      base += [
        ("etcd-cafile", pki + "/etcd/ca.crt"),
        ("etcd-certfile", pki + "/apiserver-etcd-client.crt"),
        ("etcd-keyfile", pki + "/apiserver-etcd-client.key"),
        ("etcd-servers", url("https", loopback, 2379)),
      ]
    case .external(let external):
      base.append(("etcd-servers", external.endpoints.joined(separator: ",")))
      if !external.caFile.isEmpty { base.append(("etcd-cafile", external.caFile)) }
      if !external.certFile.isEmpty, !external.keyFile.isEmpty {
        base += [("etcd-certfile", external.certFile), ("etcd-keyfile", external.keyFile)]
      }
    }
    return ["kube-apiserver"] + Self.arguments(base, overrides: config.cluster.apiServerExtraArgs)
  }

  /// The controller manager's command line.
  public func controllerManagerCommand() -> [String] {
    let pki = config.cluster.certificatesDir
    let kubeconfig = KubeconfigWriter.path(.controllerManager)
    var base: [(String, String)] = [
      ("authentication-kubeconfig", kubeconfig),
      ("authorization-kubeconfig", kubeconfig),
      ("bind-address", "127.0.0.1"),
      ("client-ca-file", pki + "/ca.crt"),
      ("cluster-name", config.cluster.clusterName),
      ("cluster-signing-cert-file", pki + "/ca.crt"),
      ("cluster-signing-key-file", pki + "/ca.key"),
      ("controllers", "*,bootstrapsigner,tokencleaner"),
      ("kubeconfig", kubeconfig),
      ("leader-elect", "true"),
      ("requestheader-client-ca-file", pki + "/front-proxy-ca.crt"),
      ("root-ca-file", pki + "/ca.crt"),
      ("service-account-private-key-file", pki + "/sa.key"),
      ("service-cluster-ip-range", config.cluster.serviceSubnet),
      ("use-service-account-credentials", "true"),
    ]
    if !config.cluster.podSubnet.isEmpty {
      base += [("allocate-node-cidrs", "true"), ("cluster-cidr", config.cluster.podSubnet)]
    }
    return ["kube-controller-manager"]
      + Self.arguments(base, overrides: config.cluster.controllerManagerExtraArgs)
  }

  /// The scheduler's command line.
  public func schedulerCommand() -> [String] {
    let kubeconfig = KubeconfigWriter.path(.scheduler)
    let base: [(String, String)] = [
      ("authentication-kubeconfig", kubeconfig),
      ("authorization-kubeconfig", kubeconfig),
      ("bind-address", "127.0.0.1"),
      ("kubeconfig", kubeconfig),
      ("leader-elect", "true"),
    ]
    return ["kube-scheduler"] + Self.arguments(base, overrides: config.cluster.schedulerExtraArgs)
  }

  /// A control-plane component's manifest.
  public func manifest(_ component: StaticPodComponent) -> String {
    let pki = config.cluster.certificatesDir
    let caVolumes: [(String, String, String)] = [
      ("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"),
      ("etc-ca-certificates", "/etc/ca-certificates", "DirectoryOrCreate"),
      ("k8s-certs", pki, "DirectoryOrCreate"),
      ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates", "DirectoryOrCreate"),
      ("usr-share-ca-certificates", "/usr/share/ca-certificates", "DirectoryOrCreate"),
    ]
    let httpGet = { (host: String, path: String, port: Int) -> YAMLText in
      .map([
        ("host", .string(host)), ("path", .string(path)), ("port", .int(port)),
        ("scheme", .string("HTTPS")),
      ])
    }
    let command: [String]
    let cpu: String
    var volumes = caVolumes
    let probes: [(String, YAMLText)]
    var annotations: [(String, String)] = []
    switch component {
    case .etcd:
      return etcdManifest()
    case .apiServer:
      command = apiServerCommand()
      cpu = "250m"
      let address = config.node.advertiseAddress
      let port = config.node.bindPort
      annotations = [
        (
          "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint",
          HostPort.join(address, port)
        )
      ]
      probes = [
        (
          "livenessProbe",
          Self.probe(httpGet(address, "/livez", port), failures: 8, initialDelay: 10, period: 10)
        ),
        (
          "readinessProbe",
          Self.probe(httpGet(address, "/readyz", port), failures: 3, initialDelay: nil, period: 1)
        ),
        (
          "startupProbe",
          Self.probe(httpGet(address, "/livez", port), failures: 24, initialDelay: 10, period: 10)
        ),
      ]
    case .controllerManager:
      command = controllerManagerCommand()
      cpu = "200m"
      volumes += [
        (
          "flexvolume-dir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
          "DirectoryOrCreate"
        ),
        ("kubeconfig", KubeconfigWriter.path(.controllerManager), "FileOrCreate"),
      ]
      probes = [
        (
          "livenessProbe",
          Self.probe(
            httpGet("127.0.0.1", "/healthz", 10257), failures: 8, initialDelay: 10, period: 10)
        ),
        (
          "startupProbe",
          Self.probe(
            httpGet("127.0.0.1", "/healthz", 10257), failures: 24, initialDelay: 10, period: 10)
        ),
      ]
    case .scheduler:
      command = schedulerCommand()
      cpu = "100m"
      volumes = [("kubeconfig", KubeconfigWriter.path(.scheduler), "FileOrCreate")]
      probes = [
        (
          "livenessProbe",
          Self.probe(
            httpGet("127.0.0.1", "/livez", 10259), failures: 8, initialDelay: 10, period: 10)
        ),
        (
          "readinessProbe",
          Self.probe(
            httpGet("127.0.0.1", "/readyz", 10259), failures: 3, initialDelay: nil, period: 1)
        ),
        (
          "startupProbe",
          Self.probe(
            httpGet("127.0.0.1", "/livez", 10259), failures: 24, initialDelay: 10, period: 10)
        ),
      ]
    }
    volumes.sort { $0.0 < $1.0 }
    let mounts: [YAMLText] = volumes.map { volume in
      .map([
        ("mountPath", .string(volume.1)), ("name", .string(volume.0)), ("readOnly", .bool(true)),
      ])
    }
    var container: [(String, YAMLText)] = [
      ("command", .list(command.map { .string($0) })),
      ("image", .string(config.cluster.imageRepository + "/" + component.rawValue + ":" + version)),
      ("imagePullPolicy", .string("IfNotPresent")),
      probes[0],
      ("name", .string(component.rawValue)),
    ]
    container += probes.dropFirst().filter { $0.0 == "readinessProbe" }
    container.append(("resources", .map([("requests", .map([("cpu", .string(cpu))]))])))
    container += probes.filter { $0.0 == "startupProbe" }
    container.append(("volumeMounts", .list(mounts)))
    return Self.pod(
      name: component.rawValue, annotations: annotations, container: container, volumes: volumes)
  }

  /// Writes the three control-plane manifests, with the lines kubeadm prints.
  public func writeControlPlane() throws -> [String] {
    var lines = ["[control-plane] Using manifest folder \(GoQuote.quote(Self.directory))"]
    for component in [StaticPodComponent.apiServer, .controllerManager, .scheduler] {
      lines.append(
        "[control-plane] Creating static Pod manifest for \(GoQuote.quote(component.rawValue))")
      try write(manifest(component), component)
    }
    return lines
  }

  /// Writes one control-plane manifest (`init phase control-plane <component>`).
  public func writeControlPlane(only component: StaticPodComponent) throws -> [String] {
    try write(manifest(component), component)
    return ["[control-plane] Creating static Pod manifest for \(GoQuote.quote(component.rawValue))"]
  }

  private func write(_ text: String, _ component: StaticPodComponent) throws {
    try host.makeDirectory(Self.directory, mode: 0o700)
    try host.write(text, to: Self.path(component), mode: 0o600, directoryMode: 0o700)
  }

  // MARK: shared pieces

  /// `--name=value` for every argument, the defaults replaced by overrides of the same name,
  /// sorted by name (kubeadm's `ArgumentsToCommand`).
  static func arguments(_ base: [(String, String)], overrides: [KubeadmArgument]) -> [String] {
    let overridden = Set(overrides.map(\.name))
    let all = base.filter { !overridden.contains($0.0) } + overrides.map { ($0.name, $0.value) }
    return all.enumerated()
      .sorted { $0.element.0 == $1.element.0 ? $0.offset < $1.offset : $0.element.0 < $1.element.0 }
      .map { "--" + $0.element.0 + "=" + $0.element.1 }
  }

  private static func probe(_ httpGet: YAMLText, failures: Int, initialDelay: Int?, period: Int)
    -> YAMLText
  {
    var fields: [(String, YAMLText)] = [("failureThreshold", .int(failures)), ("httpGet", httpGet)]
    if let initialDelay { fields.append(("initialDelaySeconds", .int(initialDelay))) }
    fields += [("periodSeconds", .int(period)), ("timeoutSeconds", .int(15))]
    return .map(fields)
  }

  private static func pod(
    name: String, annotations: [(String, String)], container: [(String, YAMLText)],
    volumes: [(String, String, String)]
  ) -> String {
    var metadata: [(String, YAMLText)] = []
    if !annotations.isEmpty {
      metadata.append(("annotations", .map(annotations.map { ($0.0, .string($0.1)) })))
    }
    metadata += [
      ("creationTimestamp", .null),
      ("labels", .map([("component", .string(name)), ("tier", .string("control-plane"))])),
      ("name", .string(name)),
      ("namespace", .string("kube-system")),
    ]
    let volumeList: [YAMLText] = volumes.sorted { $0.0 < $1.0 }.map { volume in
      .map([
        ("hostPath", .map([("path", .string(volume.1)), ("type", .string(volume.2))])),
        ("name", .string(volume.0)),
      ])
    }
    let document = YAMLText.map([
      ("apiVersion", .string("v1")),
      ("kind", .string("Pod")),
      ("metadata", .map(metadata)),
      (
        "spec",
        .map([
          ("containers", .list([.map(container)])),
          ("hostNetwork", .bool(true)),
          ("priority", .int(2_000_001_000)),
          ("priorityClassName", .string("system-node-critical")),
          (
            "securityContext",
            .map([("seccompProfile", .map([("type", .string("RuntimeDefault"))]))])
          ),
          ("volumes", .list(volumeList)),
        ])
      ),
      ("status", .map([])),
    ])
    return document.render()
  }
}
