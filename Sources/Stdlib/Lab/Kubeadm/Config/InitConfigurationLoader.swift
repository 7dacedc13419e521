import Foundation

/// A failure with the exit status kubeadm gives it: 1 for most, 3 for a configuration that
/// fails validation (a `utilerrors.Aggregate`).
public struct KubeadmFailure: Error, Sendable, Equatable {
  /// The message.
  public let message: String
  /// The exit status.
  public let status: Int32

  /// A failure.
  public init(_ message: String, status: Int32 = 1) {
    self.message = message
    self.status = status
  }

  /// Exit status of validation errors (`ValidationExitCode`).
  public static let validationStatus: Int32 = 3
}

/// The settings `kubeadm init` (and its phases) take from flags; nil means "not given".
public struct InitFlags: Sendable, Equatable {
  /// `--apiserver-advertise-address`.
  public var advertiseAddress: String?
  /// `--apiserver-bind-port`.
  public var bindPort: Int?
  /// `--control-plane-endpoint`.
  public var controlPlaneEndpoint: String?
  /// `--pod-network-cidr`.
  public var podNetworkCIDR: String?
  /// `--service-cidr`.
  public var serviceCIDR: String?
  /// `--service-dns-domain`.
  public var serviceDNSDomain: String?
  /// `--kubernetes-version`.
  public var kubernetesVersion: String?
  /// `--apiserver-cert-extra-sans`.
  public var certSANs: [String]?
  /// `--node-name`.
  public var nodeName: String?
  /// `--cert-dir`.
  public var certDir: String?
  /// `--token`.
  public var token: String?
  /// `--token-ttl`, in seconds.
  public var tokenTTL: TimeInterval?
  /// `--certificate-key`.
  public var certificateKey: String?

  /// No flags.
  public init() {}
}

/// Combines flags, a config file and kubeadm's defaults into an `InitConfiguration`, and
/// validates it as `kubeadm init` does, with its messages and exit statuses.
public struct InitConfigurationLoader: Sendable {
  /// This machine's hostname (the default node name).
  public var hostname: String
  /// The address to advertise when none is configured (the lab's host address), if known.
  public var defaultAdvertiseAddress: String?
  /// The release (its version stands in for version labels such as `stable`).
  public var release: KubeadmRelease

  /// A loader.
  public init(hostname: String, defaultAdvertiseAddress: String?, release: KubeadmRelease) {
    self.hostname = hostname
    self.defaultAdvertiseAddress = defaultAdvertiseAddress
    self.release = release
  }

  /// The configuration. With a config file, the flags are ignored (the caller has refused
  /// mixed flags already); without one, flags override the defaults.
  public func load(flags: InitFlags, file: KubeadmConfigFile?) throws(KubeadmFailure)
    -> InitConfiguration
  {
    if let file, file.initConfiguration == nil, file.clusterConfiguration == nil {
      throw KubeadmFailure(
        "no InitConfiguration or ClusterConfiguration kind was found in the YAML file")
    }
    var cluster = ClusterConfiguration()
    var nodeName = ""
    var advertise = ""
    var bindPort = 6443
    var tokens: [BootstrapTokenSpec] = []
    var certificateKey = ""
    var tokenErrors: [String] = []
    var timeouts: (controlPlane: TimeInterval, kubelet: TimeInterval) = (240, 240)

    if let file {
      if let document = file.clusterConfiguration { try apply(document, to: &cluster) }
      let initDocument = file.initConfiguration
      nodeName = initDocument?.nodeRegistration?.name ?? ""
      advertise = initDocument?.localAPIEndpoint?.advertiseAddress ?? ""
      bindPort = initDocument?.localAPIEndpoint?.bindPort ?? 6443
      certificateKey = initDocument?.certificateKey ?? ""
      for (text, slot) in [
        (initDocument?.timeouts?.controlPlaneComponentHealthCheck, 0),
        (initDocument?.timeouts?.kubeletHealthCheck, 1),
      ] {
        guard let text else { continue }
        switch GoDuration.parse(text) {
        case .success(let seconds):
          if slot == 0 { timeouts.controlPlane = seconds } else { timeouts.kubelet = seconds }
        case .failure(let error): throw KubeadmFailure(error.message)
        }
      }
      for (index, entry) in (initDocument?.bootstrapTokens ?? []).enumerated() {
        guard let text = entry.token, !text.isEmpty else {
          tokens.append(BootstrapTokenSpec(token: BootstrapToken.generate()))
          continue
        }
        guard let token = BootstrapToken(text) else {
          tokenErrors.append(
            FieldError.invalid(
              "bootstrapTokens[\(index)].token", text, "the bootstrap token is invalid"))
          continue
        }
        var spec = BootstrapTokenSpec(token: token)
        if let ttl = entry.ttl, case .success(let seconds) = GoDuration.parse(ttl) {
          spec.ttl = seconds == 0 ? nil : seconds
        }
        spec.description = entry.description ?? ""
        spec.usages = entry.usages ?? spec.usages
        spec.groups = entry.groups ?? spec.groups
        tokens.append(spec)
      }
      if initDocument?.bootstrapTokens == nil {
        tokens = [BootstrapTokenSpec(token: BootstrapToken.generate())]
      }
    } else {
      cluster.controlPlaneEndpoint = flags.controlPlaneEndpoint ?? ""
      cluster.podSubnet = flags.podNetworkCIDR ?? ""
      cluster.serviceSubnet = flags.serviceCIDR ?? cluster.serviceSubnet
      cluster.dnsDomain = flags.serviceDNSDomain ?? cluster.dnsDomain
      cluster.kubernetesVersion = flags.kubernetesVersion ?? ""
      cluster.certSANs = flags.certSANs ?? []
      cluster.certificatesDir = flags.certDir ?? cluster.certificatesDir
      nodeName = flags.nodeName ?? ""
      advertise = flags.advertiseAddress ?? ""
      bindPort = flags.bindPort ?? 6443
      certificateKey = flags.certificateKey ?? ""
      var spec = BootstrapTokenSpec(token: BootstrapToken.generate())
      if let text = flags.token, !text.isEmpty {
        guard let token = BootstrapToken(text) else {
          throw KubeadmFailure(BootstrapToken.formatError(text))
        }
        spec.token = token
      }
      if let ttl = flags.tokenTTL { spec.ttl = ttl == 0 ? nil : ttl }
      spec.description = BootstrapTokenSpec.initDescription
      tokens = [spec]
    }

    // Dynamic defaults.
    if nodeName.isEmpty { nodeName = hostname.lowercased().trimmingCharacters(in: .whitespaces) }
    if !advertise.isEmpty, IPAddress(advertise) == nil {
      throw KubeadmFailure(
        "couldn't use \"\(advertise)\" as \"apiserver-advertise-address\", must be ipv4 or ipv6 address"
      )
    }
    if advertise.isEmpty || advertise == "0.0.0.0" || advertise == "::" {
      guard let found = defaultAdvertiseAddress, !found.isEmpty else {
        throw KubeadmFailure(
          "unable to select an IP from default routes.: set --apiserver-advertise-address, "
            + "localAPIEndpoint.advertiseAddress or HAFLOW_KUBEADM_ADVERTISE_ADDRESS")
      }
      advertise = found
    }
    cluster.kubernetesVersion = try KubernetesVersion.normalize(
      cluster.kubernetesVersion, release: release)
    if !cluster.controlPlaneEndpoint.isEmpty,
      let split = HostPort.split(cluster.controlPlaneEndpoint), split.port == nil
    {
      cluster.controlPlaneEndpoint = HostPort.join(split.host, bindPort)
    }
    cluster.certSANs = cluster.certSANs.map { $0.lowercased() }

    var config = InitConfiguration(
      node: NodeSettings(name: nodeName, advertiseAddress: advertise, bindPort: bindPort),
      cluster: cluster)
    config.bootstrapTokens = tokens
    config.certificateKey = certificateKey
    config.controlPlaneHealthTimeout = timeouts.controlPlane
    config.kubeletHealthTimeout = timeouts.kubelet

    let errors = validate(config, tokenErrors: tokenErrors)
    if let message = FieldError.aggregate(errors) {
      throw KubeadmFailure(message, status: KubeadmFailure.validationStatus)
    }
    return config
  }

  func apply(_ document: ClusterDocument, to cluster: inout ClusterConfiguration)
    throws(KubeadmFailure)
  {
    cluster.kubernetesVersion = document.kubernetesVersion ?? ""
    cluster.controlPlaneEndpoint = document.controlPlaneEndpoint ?? ""
    cluster.serviceSubnet = document.networking?.serviceSubnet ?? cluster.serviceSubnet
    cluster.podSubnet = document.networking?.podSubnet ?? ""
    cluster.dnsDomain = document.networking?.dnsDomain ?? cluster.dnsDomain
    cluster.certSANs = document.apiServer?.certSANs ?? []
    cluster.apiServerExtraArgs = document.apiServer?.extraArgs?.arguments ?? []
    cluster.controllerManagerExtraArgs = document.controllerManager?.extraArgs?.arguments ?? []
    cluster.schedulerExtraArgs = document.scheduler?.extraArgs?.arguments ?? []
    cluster.certificatesDir = document.certificatesDir ?? cluster.certificatesDir
    cluster.clusterName = document.clusterName ?? cluster.clusterName
    cluster.imageRepository = document.imageRepository ?? cluster.imageRepository
    for (text, keyPath) in [
      (document.certificateValidityPeriod, \ClusterConfiguration.certificateValidity),
      (document.caCertificateValidityPeriod, \ClusterConfiguration.caCertificateValidity),
    ] {
      guard let text else { continue }
      switch GoDuration.parse(text) {
      case .success(let seconds): cluster[keyPath: keyPath] = seconds
      case .failure(let error): throw KubeadmFailure(error.message)
      }
    }
    if let external = document.etcd?.external {
      if document.etcd?.local != nil {
        throw KubeadmFailure(
          FieldError.invalid("etcd", "", ".Etcd.Local and .Etcd.External are mutually exclusive"),
          status: KubeadmFailure.validationStatus)
      }
      var etcd = ExternalEtcd()
      etcd.endpoints = external.endpoints ?? []
      etcd.caFile = external.caFile ?? ""
      etcd.certFile = external.certFile ?? ""
      etcd.keyFile = external.keyFile ?? ""
      cluster.etcd = .external(etcd)
    } else if let local = document.etcd?.local {
      var etcd = LocalEtcd()
      etcd.dataDir = local.dataDir ?? etcd.dataDir
      etcd.serverCertSANs = local.serverCertSANs ?? []
      etcd.peerCertSANs = local.peerCertSANs ?? []
      etcd.extraArgs = local.extraArgs?.arguments ?? []
      cluster.etcd = .local(etcd)
    }
  }

  /// kubeadm's `ValidateInitConfiguration`, for the fields the stand-in knows, in its order.
  func validate(_ config: InitConfiguration, tokenErrors: [String]) -> [String] {
    var errors: [String] = []
    errors += Self.nodeNameErrors(config.node.name, field: "nodeRegistration.name")
    errors += tokenErrors
    let cluster = config.cluster
    if !cluster.serviceSubnet.isEmpty, Subnet.firstAddress(cluster.serviceSubnet) == nil {
      errors.append(
        FieldError.invalid(
          "networking.serviceSubnet", cluster.serviceSubnet, "couldn't parse subnet"))
    }
    if !cluster.podSubnet.isEmpty, Subnet.firstAddress(cluster.podSubnet) == nil {
      errors.append(
        FieldError.invalid("networking.podSubnet", cluster.podSubnet, "couldn't parse subnet"))
    }
    for san in cluster.certSANs
    where !DNSName.isSubdomain(san) && !DNSName.isWildcardSubdomain(san) && IPAddress(san) == nil {
      errors.append(
        FieldError.invalid(
          "apiServer.certSANs", san,
          "altname is not a valid IP address, DNS label or a DNS label with subdomain wildcards"))
    }
    if !cluster.controlPlaneEndpoint.isEmpty, HostPort.split(cluster.controlPlaneEndpoint) == nil {
      errors.append(
        FieldError.invalid(
          "controlPlaneEndpoint", cluster.controlPlaneEndpoint, "endpoint is not valid"))
    }
    if let external = cluster.etcd.external {
      errors += Self.externalEtcdErrors(external)
    }
    if IPAddress(config.node.advertiseAddress) == nil {
      errors.append(
        FieldError.invalid(
          "localAPIEndpoint.advertiseAddress", config.node.advertiseAddress,
          "ip address is not valid"))
    }
    if let error = CertificateKey.validationError(config.certificateKey, field: "certificateKey") {
      errors.append(error)
    }
    return errors
  }

  /// The node name rules (`nodeRegistration.name`).
  static func nodeNameErrors(_ name: String, field: String) -> [String] {
    if name.isEmpty {
      return [
        FieldError.required(
          "nodeRegistration",
          "--node-name or .nodeRegistration.name in the config file is a required value. It seems "
            + "like this value couldn't be automatically detected in your environment, please "
            + "specify the desired value using the CLI or config file.")
      ]
    }
    guard DNSName.isSubdomain(name) else {
      return [
        FieldError.invalid(
          field, name,
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
            + "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*')")
      ]
    }
    return []
  }

  static func externalEtcdErrors(_ external: ExternalEtcd) -> [String] {
    var errors: [String] = []
    let path = "etcd.external"
    let certs = [external.caFile, external.certFile, external.keyFile]
    let requireHTTPS = !certs.allSatisfy(\.isEmpty)
    if external.certFile.isEmpty != external.keyFile.isEmpty {
      errors.append(
        FieldError.invalid(
          path, "",
          "either both or none of .Etcd.External.CertFile and .Etcd.External.KeyFile must be set"))
    }
    if !external.certFile.isEmpty, !external.keyFile.isEmpty, external.caFile.isEmpty {
      errors.append(
        FieldError.invalid(
          path, "",
          "setting .Etcd.External.CertFile and .Etcd.External.KeyFile requires .Etcd.External.CAFile"
        ))
    }
    for endpoint in external.endpoints {
      let scheme = endpoint.range(of: "://").map { String(endpoint[..<$0.lowerBound]) } ?? ""
      if requireHTTPS, scheme != "https" {
        errors.append(
          FieldError.invalid(
            path + ".endpoints", endpoint, "the URL must be using the HTTPS scheme"))
      }
      if scheme.isEmpty {
        errors.append(
          FieldError.invalid(path + ".endpoints", endpoint, "the URL without scheme is not allowed")
        )
      }
    }
    for (field, value) in [
      ("caFile", external.caFile), ("certFile", external.certFile), ("keyFile", external.keyFile),
    ]
    where !value.isEmpty && !value.hasPrefix("/") {
      errors.append(FieldError.invalid(path + "." + field, value, "path is not absolute"))
    }
    return errors
  }
}
