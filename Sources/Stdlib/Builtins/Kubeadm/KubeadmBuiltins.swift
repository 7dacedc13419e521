import Interpreter

/// The `kubeadm` module: reading what kubeadm prints, and making what it would make.
enum KubeadmBuiltins {
  static let family = BuiltinFamily(
    title: "kubeadm", module: "kubeadm",
    help:
      "Reads kubeadm's output (join commands, tokens, certificate keys, as secrets) and makes "
      + "what kubeadm would make (tokens, keys, CA hashes, v1beta4 config files).",
    builtins: parsers + generators + configs + limits)

  static let parsers: [Builtin] = [
    Builtin(
      "kubeadm.parse_init", [.req("output"), .opt("at", "nil"), .opt("token_ttl", "24h")],
      help:
        "The join data of `kubeadm init`'s output (text or result): a map of endpoint, token "
        + "(secret), discovery_token_ca_cert_hash, certificate_key (secret, nil without "
        + "--upload-certs), control_plane_join (nil without a controlPlaneEndpoint), "
        + "worker_join (commands), and when the uploaded certificates and the token run out "
        + "(certificate_key_expires_at: `at` + 2h, token_expires_at: `at` + token_ttl; `at` "
        + "is when kubeadm printed it, seconds since 1970, now by default). Fails naming what "
        + "is missing or cut short.",
      resolve: { param in
        let (output, at, ttl) = (param["output"], param["at"], param["token_ttl"])
        return { call in
          let text = try call.text(output).text
          let seen = try seenAt(call, at)
          let tokenLife = try tokenTTL(call, ttl)
          let parsed = try parse(call) { () throws(KubeadmParseError) in
            try KubeadmOutputParser.parseInit(text)
          }
          return .map([
            "endpoint": .string(parsed.endpoint),
            "token": tokenSecret(parsed.token),
            "discovery_token_ca_cert_hash": .string(parsed.discoveryTokenCACertHash),
            "certificate_key": parsed.certificateKey.map(keySecret) ?? .nil,
            "control_plane_join": parsed.controlPlaneJoin.map { .command($0.commandValue) } ?? .nil,
            "worker_join": .command(parsed.workerJoin.commandValue),
            KubeadmTimeLimits.keyExpiresKey: parsed.certificateKey == nil
              ? .nil : .float(seen + KubeadmTimeLimits.certificateWindow),
            KubeadmTimeLimits.tokenExpiresKey: KubeadmTimeLimits.tokenExpiry(
              madeAt: seen, ttl: tokenLife),
          ])
        }
      }),
    Builtin(
      "kubeadm.parse_join_command", [.req("output"), .opt("at", "nil"), .opt("token_ttl", "24h")],
      help:
        "The join command `kubeadm token create --print-join-command` printed: a map of "
        + "endpoint, token (secret), discovery_token_ca_cert_hash, certificate_key (secret or "
        + "nil), control_plane (bool), command, token_expires_at (`at` + token_ttl) and "
        + "certificate_key_expires_at (nil: not known from this output).",
      resolve: { param in
        let (output, at, ttl) = (param["output"], param["at"], param["token_ttl"])
        return { call in
          let text = try call.text(output).text
          let seen = try seenAt(call, at)
          let tokenLife = try tokenTTL(call, ttl)
          let join = try parse(call) { () throws(KubeadmParseError) in
            try KubeadmOutputParser.parseJoinCommand(text)
          }
          return .map([
            "endpoint": .string(join.endpoint),
            "token": tokenSecret(join.token),
            "discovery_token_ca_cert_hash": .string(join.caCertHashes[0].lowercased()),
            "certificate_key": join.certificateKey.map(keySecret) ?? .nil,
            "control_plane": .bool(join.isControlPlane),
            "command": .command(join.commandValue),
            KubeadmTimeLimits.tokenExpiresKey: KubeadmTimeLimits.tokenExpiry(
              madeAt: seen, ttl: tokenLife),
            KubeadmTimeLimits.keyExpiresKey: .nil,
          ])
        }
      }),
    Builtin(
      "kubeadm.parse_upload_certs", [.req("output"), .opt("join", "nil"), .opt("at", "nil")],
      help:
        "The certificate key (a secret) `kubeadm init phase upload-certs --upload-certs` "
        + "printed after `[upload-certs] Using certificate key:`. Given a `join` map, returns "
        + "that map with this key (in its control-plane join too) and "
        + "certificate_key_expires_at = `at` (now by default) + 2h.",
      resolve: { param in
        let (output, join, at) = (param["output"], param["join"], param["at"])
        return { call in
          let text = try call.text(output).text
          let seen = try seenAt(call, at)
          let key = try parse(call) { () throws(KubeadmParseError) in
            try KubeadmOutputParser.parseUploadCerts(text)
          }
          guard call.optionalValue(join) != nil else { return keySecret(key) }
          return .map(
            KubeadmTimeLimits.withCertificateKey(
              Secret(key, label: KubeadmFormats.certificateKeyLabel), uploadedAt: seen,
              in: try call.map(join)))
        }
      }),
  ]

  static let generators: [Builtin] = [
    Builtin(
      "kubeadm.token", [],
      help:
        "A new bootstrap token (a secret), `[a-z0-9]{6}.[a-z0-9]{16}`, like `kubeadm token generate`.",
      body: { _ in tokenSecret(KubeadmGenerators.token()) }),
    Builtin(
      "kubeadm.certificate_key", [],
      help:
        "A new certificate key (a secret): 32 random bytes as hex, like `kubeadm certs certificate-key`.",
      body: { _ in keySecret(KubeadmGenerators.certificateKey()) }),
    Builtin(
      "kubeadm.ca_cert_hash", [.req("pem")],
      help:
        "The `sha256:…` pin of a CA certificate (PEM text): what `--discovery-token-ca-cert-hash` takes.",
      resolve: { param in
        let pem = param["pem"]
        return { call in
          let text = try call.text(pem).text
          return .string(
            try parse(call) { () throws(KubeadmParseError) in
              try KubeadmGenerators.caCertHash(pem: text)
            })
        }
      }),
  ]

  static let configs: [Builtin] = [
    Builtin(
      "kubeadm.config",
      [
        .req("endpoint"), .opt("kubernetes_version", "nil"), .opt("pod_subnet", "nil"),
        .opt("service_subnet", "nil"), .opt("etcd", "nil"), .opt("certificate_key", "nil"),
        .opt("token", "nil"), .opt("advertise_address", "nil"),
      ],
      help:
        "The v1beta4 InitConfiguration and ClusterConfiguration for `kubeadm init --config` "
        + "(YAML; a secret when a secret went in). `etcd: {endpoints: […], ca_file:, "
        + "cert_file:, key_file:}` selects external etcd (files default to the HA guide's).",
      resolve: { param in
        let (endpoint, version, pods, services) = (
          param["endpoint"], param["kubernetes_version"], param["pod_subnet"],
          param["service_subnet"]
        )
        let (etcd, key, token, address) = (
          param["etcd"], param["certificate_key"], param["token"], param["advertise_address"]
        )
        return { call in
          let endpointText = try call.string(endpoint)
          guard KubeadmValidation.isControlPlaneEndpoint(endpointText) else {
            throw call.badArgument(endpoint, "'\(endpointText)' is not host:port")
          }
          let podSubnet = try call.optionalString(pods)
          if let podSubnet, !KubeadmValidation.isCIDR(podSubnet) {
            throw call.badArgument(pods, "'\(podSubnet)' is not a CIDR (10.244.0.0/16)")
          }
          let serviceSubnet = try call.optionalString(services)
          if let serviceSubnet, !KubeadmValidation.isCIDR(serviceSubnet) {
            throw call.badArgument(services, "'\(serviceSubnet)' is not a CIDR (10.96.0.0/12)")
          }
          return try KubeadmConfig.render(
            KubeadmConfig.Init(
              endpoint: endpointText, kubernetesVersion: try call.optionalString(version),
              podSubnet: podSubnet, serviceSubnet: serviceSubnet,
              etcd: try externalEtcd(call, etcd),
              certificateKey: try checkedKey(call, key), token: try checkedToken(call, token),
              advertiseAddress: try call.optionalString(address)))
        }
      }),
    Builtin(
      "kubeadm.join_config",
      [
        .req("endpoint"), .req("token"), .req("ca_cert_hash"), .opt("control_plane", "false"),
        .opt("certificate_key", "nil"), .opt("advertise_address", "nil"),
      ],
      help:
        "The v1beta4 JoinConfiguration for `kubeadm join --config` (YAML, a secret: it holds "
        + "the token); `ca_cert_hash` is one hash or a list.",
      resolve: { param in
        let (endpoint, token, hash, controlPlane) = (
          param["endpoint"], param["token"], param["ca_cert_hash"], param["control_plane"]
        )
        let (key, address) = (param["certificate_key"], param["advertise_address"])
        return { call in
          let endpointText = try call.string(endpoint)
          guard KubeadmJoinCommand.looksLikeEndpoint(endpointText) else {
            throw call.badArgument(endpoint, "'\(endpointText)' is not host:port")
          }
          var hashes: [String] = []
          switch try call.value(hash) {
          case .string(let one): hashes = [one]
          case .list(let items):
            for (index, item) in items.enumerated() {
              guard case .string(let text) = item else {
                throw call.badArgument(hash, item: index, "hashes must be strings")
              }
              hashes.append(text)
            }
          case let other: throw call.typeError(hash, expected: "string or list", got: other)
          }
          if let bad = hashes.first(where: { !KubeadmFormats.isDiscoveryHash($0) }) {
            throw call.badArgument(hash, "'\(bad)' is not sha256: and 64 hex digits")
          }
          guard let tokenValue = try checkedToken(call, token) else {
            throw call.typeError(token, expected: "bootstrap token", got: .nil)
          }
          let isControlPlane = try call.optionalBool(controlPlane, default: false)
          let keyValue = try checkedKey(call, key)
          if keyValue != nil && !isControlPlane {
            throw call.badArgument(key, "a certificate key needs control_plane: true")
          }
          return try KubeadmConfig.render(
            KubeadmConfig.Join(
              endpoint: endpointText, token: tokenValue, caCertHashes: hashes,
              controlPlane: isControlPlane, certificateKey: keyValue,
              advertiseAddress: try call.optionalString(address)))
        }
      }),
  ]

  /// A token as a secret shown `<secret bootstrap-token>`.
  static func tokenSecret(_ token: String) -> Value {
    .secret(Secret(token, label: KubeadmFormats.tokenLabel))
  }

  /// A certificate key as a secret shown `<secret certificate-key>`.
  static func keySecret(_ key: String) -> Value {
    .secret(Secret(key, label: KubeadmFormats.certificateKeyLabel))
  }

  /// Runs a parser, its error becoming a runtime error at the call.
  static func parse<T>(_ call: BuiltinCall, _ body: () throws(KubeadmParseError) -> T) throws -> T {
    do {
      return try body()
    } catch {
      throw RuntimeError("\(call.builtin.name): \(error.message)", at: call.span)
    }
  }

  /// A token argument (string or secret) in kubeadm's format, as given; nil when left out.
  static func checkedToken(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> Value? {
    guard let text = try call.optionalText(argument) else { return nil }
    guard KubeadmFormats.isToken(text.text) else {
      throw call.badArgument(argument, "not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16})")
    }
    return .secret(text.secret ?? Secret(text.text, label: KubeadmFormats.tokenLabel))
  }

  /// A certificate key argument in kubeadm's format, as a secret; nil when left out.
  static func checkedKey(_ call: BuiltinCall, _ argument: BuiltinArgument) throws -> Value? {
    guard let text = try call.optionalText(argument) else { return nil }
    guard KubeadmFormats.isCertificateKey(text.text) else {
      throw call.badArgument(argument, "not a certificate key (64 lowercase hex digits)")
    }
    return .secret(text.secret ?? Secret(text.text, label: KubeadmFormats.certificateKeyLabel))
  }

  /// The `etcd:` map as external etcd settings.
  static func externalEtcd(_ call: BuiltinCall, _ argument: BuiltinArgument) throws
    -> KubeadmConfig.ExternalEtcd?
  {
    guard call.optionalValue(argument) != nil else { return nil }
    let map = try call.map(argument)
    let known: Set = ["endpoints", "ca_file", "cert_file", "key_file"]
    if let unknown = map.keys.first(where: { !known.contains($0) }) {
      throw call.badArgument(
        argument, "unknown key '\(unknown)' (endpoints, ca_file, cert_file, key_file)")
    }
    guard case .list(let items)? = map["endpoints"], !items.isEmpty else {
      throw call.badArgument(argument, "etcd needs endpoints: a list of https://host:2379")
    }
    var endpoints: [String] = []
    for item in items {
      guard case .string(let text) = item else {
        throw call.badArgument(argument, "etcd endpoints must be strings")
      }
      endpoints.append(text)
    }
    func file(_ key: String, _ fallback: String) throws -> String {
      switch map[key] {
      case nil, .nil?: return fallback
      case .string(let text)?: return text
      case let other?: throw call.typeError(argument, expected: "\(key) as a string", got: other)
      }
    }
    return KubeadmConfig.ExternalEtcd(
      endpoints: endpoints, caFile: try file("ca_file", "/etc/kubernetes/pki/etcd/ca.crt"),
      certFile: try file("cert_file", "/etc/kubernetes/pki/apiserver-etcd-client.crt"),
      keyFile: try file("key_file", "/etc/kubernetes/pki/apiserver-etcd-client.key"))
  }
}
