import Foundation

/// What token discovery learns about the cluster: the API server to use (the `server` of
/// `cluster-info`'s kubeconfig) and the cluster CA, validated.
public struct DiscoveredCluster: Sendable, Equatable {
  /// `https://host:port`, from `cluster-info`.
  public var server: String
  /// The cluster CA certificate (PEM).
  public var certificateAuthorityPEM: String
}

/// `kubeadm join`'s token discovery over the network (LAB-FIDELITY §6.1, §4.3), as
/// `cmd/kubeadm/app/discovery/token` does it:
///
/// 1. an anonymous GET of `kube-public/cluster-info` through the endpoint, TLS unverified,
///    polled every `interval` until it carries a `jws-kubeconfig-<id>` signature or `timeout`
///    passes (then the last error, unchanged);
/// 2. the detached JWS checked with the token secret;
/// 3. the CA in its kubeconfig pinned by `--discovery-token-ca-cert-hash` (no pins: accepted,
///    as with `--discovery-token-unsafe-skip-ca-verification`);
/// 4. the same GET again over TLS verified against that CA, which must return the same bytes.
///
/// Every error is the cause kubeadm wraps as `couldn't validate the identity of the API
/// Server: <cause>`. Nothing secret is in them: the token's id only.
public struct TokenDiscovery: Sendable {
  /// `host:port` given to `kubeadm join`.
  public var endpoint: String
  /// The discovery token.
  public var token: BootstrapToken
  /// The CA pins; empty when the CA is not verified.
  public var pins: DiscoveryHashPins
  /// kubeadm's `DiscoveryRetryInterval` (5 s).
  public var interval: Duration = .seconds(5)
  /// How long the JWS signature is waited for (kubeadm: `timeouts.discovery`, 5 m).
  public var timeout: Duration

  /// Discovery of `endpoint` with `token`, pinned by `pins`, giving up after `timeout`.
  public init(endpoint: String, token: BootstrapToken, pins: DiscoveryHashPins, timeout: Duration) {
    self.endpoint = endpoint
    self.token = token
    self.pins = pins
    self.timeout = timeout
  }

  /// The path client-go requests, with the timeout kubeadm's client sets.
  static let clusterInfoPath =
    "/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s"

  /// Runs discovery; throws the cause kubeadm reports.
  public func run() async throws(KubeadmError) -> DiscoveredCluster {
    let url = "https://" + endpoint
    let insecure: KubeAPIClient
    do {
      insecure = try KubeAPIClient(
        server: url, credentials: .anonymous, trust: .insecureSkipVerify,
        connectTimeout: .seconds(10), requestTimeout: .seconds(10))
    } catch {
      throw KubeadmError("failed to request the cluster-info ConfigMap: \(error)")
    }
    let first = try await signedClusterInfo(insecure)
    guard let info = ClusterInfoConfigMap(configMap: first) else {
      throw KubeadmError(
        "there is no kubeconfig key in the cluster-info ConfigMap. This API Server isn't set up "
          + "for token bootstrapping, can't connect")
    }
    guard let signature = info.signatures[token.id], !signature.isEmpty else {
      throw KubeadmError(
        "token id \(GoQuote.quote(token.id)) is invalid for this cluster or it has expired. Use "
          + "\"kubeadm token create\" on the control-plane node to create a new valid token")
    }
    guard info.isSigned(by: token) else {
      throw KubeadmError(
        "failed to verify JWS signature of received cluster info object, can't trust this API Server"
      )
    }
    if pins.isEmpty {
      return DiscoveredCluster(
        server: info.server, certificateAuthorityPEM: info.certificateAuthorityPEM)
    }
    let hash: String
    do {
      hash = try DiscoveryHash.of(certificatePEM: info.certificateAuthorityPEM)
    } catch {
      throw KubeadmError("failed to parse cluster CA from the cluster-info ConfigMap: \(error)")
    }
    if let mismatch = pins.mismatch(actual: [hash]) {
      throw KubeadmError("cluster CA found in cluster-info ConfigMap is invalid: \(mismatch)")
    }
    let secure: KubeAPIClient
    do {
      secure = try KubeAPIClient(
        server: url, credentials: .anonymous,
        trust: .certificateAuthorities(pem: Array(info.certificateAuthorityPEM.utf8)))
    } catch {
      throw KubeadmError("failed to request the cluster-info ConfigMap: \(error)")
    }
    let second = try await signedClusterInfo(secure)
    guard second["data"]?["kubeconfig"]?.string == info.kubeconfig else {
      throw KubeadmError(
        "the second kubeconfig from the cluster-info ConfigMap (using validated TLS) was "
          + "different from the first")
    }
    return DiscoveredCluster(
      server: info.server, certificateAuthorityPEM: info.certificateAuthorityPEM)
  }

  /// `getClusterInfo`: polls until the ConfigMap has this token's JWS key; the last error
  /// when `timeout` passes.
  func signedClusterInfo(_ client: KubeAPIClient) async throws(KubeadmError) -> JSONValue {
    let deadline = ContinuousClock.now + timeout
    var lastError: KubeadmError
    while true {
      do throws(KubeAPIError) {
        let configMap = try await client.get(Self.clusterInfoPath)
        if configMap["data"]?["jws-kubeconfig-" + token.id] != nil { return configMap }
        lastError = KubeadmError(
          "could not find a JWS signature in the cluster-info ConfigMap for token ID "
            + GoQuote.quote(token.id))
      } catch {
        lastError = KubeadmError("failed to request the cluster-info ConfigMap: \(error)")
      }
      let now = ContinuousClock.now
      guard now + interval < deadline else { throw lastError }
      try? await Task.sleep(for: interval)
    }
  }
}
