import Foundation

/// The kubelet's files kubeadm writes in its `kubelet-start` phase (init and join):
/// `/var/lib/kubelet/config.yaml` (the `KubeletConfiguration`, kubeadm's defaults) and
/// `/var/lib/kubelet/kubeadm-flags.env` (`KUBELET_KUBEADM_ARGS`), both `0644` in a `0700`
/// directory. The init and join slices call `write`.
///
/// Sources: LAB-FIDELITY.md §1.6 and §3.1/§3.2 (which files, the phase lines); the
/// configuration's fields are those `cat /var/lib/kubelet/config.yaml` shows on kubeadm 1.30+
/// nodes in published transcripts (kubelet defaulting was not read in the source); 1.32 adds
/// `crashLoopBackOff: {}`. The flags: the CRI endpoint, `--hostname-override` when the node name
/// is not the hostname, and the pause image (`registry.k8s.io/pause:3.10` for 1.31/1.32).
public struct KubeletFiles {
  /// The node's filesystem.
  public var host: KubeadmHost
  /// The release played.
  public var release: KubeadmRelease

  /// Files for `host`.
  public init(host: KubeadmHost, release: KubeadmRelease) {
    self.host = host
    self.release = release
  }

  /// `/var/lib/kubelet/config.yaml`.
  public static let configPath = "/var/lib/kubelet/config.yaml"
  /// `/var/lib/kubelet/kubeadm-flags.env`.
  public static let flagsPath = "/var/lib/kubelet/kubeadm-flags.env"
  /// kubeadm's default CRI socket.
  public static let defaultCRISocket = "unix:///var/run/containerd/containerd.sock"

  /// The phase lines, in init's order (flags first) or join's (configuration first).
  public static func lines(join: Bool) -> [String] {
    let config =
      "[kubelet-start] Writing kubelet configuration to file \(GoQuote.quote(configPath))"
    let flags =
      "[kubelet-start] Writing kubelet environment file with flags to file \(GoQuote.quote(flagsPath))"
    return join ? [config, flags] : [flags, config]
  }

  /// Writes both files for `config`'s cluster and node, as the node `hostname` sees itself;
  /// returns the phase lines (without `Starting the kubelet`).
  public func write(config: InitConfiguration, hostname: String, join: Bool) throws -> [String] {
    try host.makeDirectory("/var/lib/kubelet", mode: 0o700)
    let flags = flagsText(nodeName: config.node.name, hostname: hostname)
    let configuration = configText(cluster: config.cluster)
    for line in Self.lines(join: join) {
      if line.contains("environment") {
        try host.write(flags, to: Self.flagsPath, mode: 0o644, directoryMode: 0o700)
      } else {
        try host.write(configuration, to: Self.configPath, mode: 0o644, directoryMode: 0o700)
      }
    }
    return Self.lines(join: join)
  }

  /// `KUBELET_KUBEADM_ARGS="…"`, the flags sorted by name.
  public func flagsText(nodeName: String, hostname: String, criSocket: String = defaultCRISocket)
    -> String
  {
    var flags = ["--container-runtime-endpoint=\(criSocket)"]
    if !nodeName.isEmpty, nodeName != hostname { flags.append("--hostname-override=\(nodeName)") }
    flags.append("--pod-infra-container-image=registry.k8s.io/pause:3.10")
    return "KUBELET_KUBEADM_ARGS=\"\(flags.joined(separator: " "))\"\n"
  }

  /// The `KubeletConfiguration`: cluster DNS is the service subnet's tenth address.
  public func configText(cluster: ClusterConfiguration) -> String {
    let dns = Self.tenthAddress(of: cluster.serviceSubnet) ?? "10.96.0.10"
    var lines = [
      "apiVersion: kubelet.config.k8s.io/v1beta1",
      "authentication:",
      "  anonymous:",
      "    enabled: false",
      "  webhook:",
      "    cacheTTL: 0s",
      "    enabled: true",
      "  x509:",
      "    clientCAFile: /etc/kubernetes/pki/ca.crt",
      "authorization:",
      "  mode: Webhook",
      "  webhook:",
      "    cacheAuthorizedTTL: 0s",
      "    cacheUnauthorizedTTL: 0s",
      "cgroupDriver: systemd",
      "clusterDNS:",
      "- \(dns)",
      "clusterDomain: \(cluster.dnsDomain)",
      "containerRuntimeEndpoint: \"\"",
      "cpuManagerReconcilePeriod: 0s",
    ]
    if release.minor >= 32 { lines.append("crashLoopBackOff: {}") }
    lines += [
      "evictionPressureTransitionPeriod: 0s",
      "fileCheckFrequency: 0s",
      "healthzBindAddress: 127.0.0.1",
      "healthzPort: 10248",
      "httpCheckFrequency: 0s",
      "imageMaximumGCAge: 0s",
      "imageMinimumGCAge: 0s",
      "kind: KubeletConfiguration",
      "logging:",
      "  flushFrequency: 0",
      "  options:",
      "    json:",
      "      infoBufferSize: \"0\"",
      "    text:",
      "      infoBufferSize: \"0\"",
      "  verbosity: 0",
      "memorySwap: {}",
      "nodeStatusReportFrequency: 0s",
      "nodeStatusUpdateFrequency: 0s",
      "rotateCertificates: true",
      "runtimeRequestTimeout: 0s",
      "shutdownGracePeriod: 0s",
      "shutdownGracePeriodCriticalPods: 0s",
      "staticPodPath: /etc/kubernetes/manifests",
      "streamingConnectionIdleTimeout: 0s",
      "syncFrequency: 0s",
      "volumeStatsAggPeriod: 0s",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// The tenth address of an IPv4 CIDR (`10.96.0.0/12` → `10.96.0.10`); the first subnet of a
  /// dual-stack list.
  static func tenthAddress(of cidr: String) -> String? {
    let first = cidr.split(separator: ",").first.map(String.init) ?? cidr
    let parts = first.split(separator: "/").first?.split(separator: ".").compactMap {
      UInt32($0)
    }
    guard let parts, parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
    let value = (parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]) + 10
    return [value >> 24, value >> 16 & 255, value >> 8 & 255, value & 255].map(String.init)
      .joined(separator: ".")
  }
}
