/// What `kubeadm join` checks before it contacts anything: mixed `--config` flags, then the
/// `JoinConfiguration` built from flags or the file (kubeadm's `ValidateJoinConfiguration`,
/// exit status 3 with every error found).
public struct JoinSettings: Sendable, Equatable {
  /// The API server endpoint to discover from (`host:port`).
  public var apiServerEndpoint = ""
  /// The discovery token.
  public var token = ""
  /// The TLS bootstrap token.
  public var tlsBootstrapToken = ""
  /// `--discovery-token-ca-cert-hash` values.
  public var caCertHashes: [String] = []
  /// `--discovery-token-unsafe-skip-ca-verification`.
  public var unsafeSkipCAVerification = false
  /// Whether this node joins as a control plane.
  public var controlPlane = false
  /// `--certificate-key` (control planes only).
  public var certificateKey = ""
  /// `--node-name` (else the hostname).
  public var nodeName = ""
  /// The control plane's advertise address, if given.
  public var advertiseAddress = ""
  /// The control plane's API server port (`--apiserver-bind-port`, 6443).
  public var bindPort = 6443

  /// Empty settings.
  public init() {}

  /// Every validation error, in kubeadm's order.
  public func validationErrors() -> [String] {
    var errors: [String] = []
    let discovery = "discovery.bootstrapToken"
    if apiServerEndpoint.isEmpty {
      errors.append(FieldError.required(discovery, "APIServerEndpoint is not set"))
    }
    if caCertHashes.isEmpty, !unsafeSkipCAVerification {
      errors.append(
        FieldError.invalid(
          discovery + ".caCertHashes", "",
          "using token-based discovery without caCertHashes can be unsafe. Set "
            + "unsafeSkipCAVerification as true in your kubeadm config file or pass "
            + "--discovery-token-unsafe-skip-ca-verification flag to continue"))
    }
    if BootstrapToken(token) == nil {
      errors.append(
        FieldError.invalid(discovery + ".token", token, "the bootstrap token is invalid"))
    }
    if let problem = Self.hostPortProblem(apiServerEndpoint) {
      errors.append(
        FieldError.invalid(discovery + ".apiServerEndpoint", apiServerEndpoint, problem))
    }
    if BootstrapToken(tlsBootstrapToken) == nil {
      errors.append(
        FieldError.invalid(
          "discovery.tlsBootstrapToken", tlsBootstrapToken, "the bootstrap token is invalid"))
    }
    errors += InitConfigurationLoader.nodeNameErrors(nodeName, field: "nodeRegistration.name")
    if controlPlane {
      if !advertiseAddress.isEmpty, IPAddress(advertiseAddress) == nil {
        errors.append(
          FieldError.invalid(
            "controlPlane.localAPIEndpoint.advertiseAddress", advertiseAddress,
            "ip address is not valid"))
      }
      if let error = CertificateKey.validationError(
        certificateKey, field: "controlPlane.certificateKey")
      {
        errors.append(error)
      }
    }
    return errors
  }

  /// Go's `net.SplitHostPort` complaint about `text`, if any.
  static func hostPortProblem(_ text: String) -> String? {
    let missing = "missing port in address"
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else {
        return "address \(text): missing ']' in address"
      }
      let rest = text[text.index(after: close)...]
      return rest.hasPrefix(":") ? nil : "address \(text): \(missing)"
    }
    let colons = text.filter { $0 == ":" }.count
    if colons == 0 { return text.isEmpty ? missing : "address \(text): \(missing)" }
    if colons > 1 { return "address \(text): too many colons in address" }
    return nil
  }
}

/// Builds `JoinSettings` from a join command line and checks it.
struct JoinValidation {
  let flags: ParsedFlags
  let context: KubeadmContext

  /// Checks the command line; returns the settings for what comes next (preflight).
  @discardableResult
  func validate() throws(KubeadmFailure) -> JoinSettings {
    let runner = KubeadmCommandRunner(
      context: context, output: KubeadmOutput(out: { _ in }, err: { _ in }), flags: flags)
    try runner.checkMixedArguments()
    var settings = JoinSettings()
    if let file = try runner.configFile() {
      guard let join = file.joinConfiguration else {
        throw KubeadmFailure("no JoinConfiguration kind was found in the YAML file")
      }
      let discovery = join.discovery?.bootstrapToken
      settings.apiServerEndpoint = discovery?.apiServerEndpoint ?? ""
      settings.token = discovery?.token ?? ""
      settings.tlsBootstrapToken = join.discovery?.tlsBootstrapToken ?? settings.token
      settings.caCertHashes = discovery?.caCertHashes ?? []
      settings.unsafeSkipCAVerification = discovery?.unsafeSkipCAVerification ?? false
      settings.controlPlane = join.controlPlane != nil
      settings.certificateKey = join.controlPlane?.certificateKey ?? ""
      settings.advertiseAddress = join.controlPlane?.localAPIEndpoint?.advertiseAddress ?? ""
      settings.bindPort = join.controlPlane?.localAPIEndpoint?.bindPort ?? 6443
      settings.nodeName = join.nodeRegistration?.name ?? ""
      if let endpoint = flags.arguments.first, settings.apiServerEndpoint.isEmpty {
        settings.apiServerEndpoint = endpoint
      }
    } else {
      settings.apiServerEndpoint = flags.arguments.first ?? ""
      let token = flags.string("token") ?? ""
      settings.token = flags.string("discovery-token") ?? token
      settings.tlsBootstrapToken = flags.string("tls-bootstrap-token") ?? token
      settings.caCertHashes = flags.list("discovery-token-ca-cert-hash")
      settings.unsafeSkipCAVerification = flags.bool("discovery-token-unsafe-skip-ca-verification")
      settings.controlPlane = flags.bool("control-plane")
      settings.certificateKey = flags.string("certificate-key") ?? ""
      settings.advertiseAddress = flags.string("apiserver-advertise-address") ?? ""
      settings.bindPort = flags.string("apiserver-bind-port").flatMap { Int($0) } ?? 6443
    }
    if let name = flags.string("node-name") { settings.nodeName = name }
    if settings.nodeName.isEmpty { settings.nodeName = context.hostname.lowercased() }
    if let message = FieldError.aggregate(settings.validationErrors()) {
      throw KubeadmFailure(message, status: KubeadmFailure.validationStatus)
    }
    return settings
  }
}
