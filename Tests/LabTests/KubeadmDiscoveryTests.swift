import Foundation
import TestSupport
import Testing

@testable import Lab

/// `kubeadm join`'s token discovery (LAB-FIDELITY §6.1) against the real API server stand-in
/// and real etcd (`APIServerLab`, one per suite): cluster-info read anonymously, its JWS
/// checked with the token secret, the CA pinned, read again over verified TLS; and every
/// cause of §4.3 — unknown token, expired token (lab clock), wrong secret, CA hash mismatch,
/// endpoint unreachable — worded as kubeadm's.
@Suite(.serialized, .enabled(if: KubeletLab.canRun, "needs root, etcd and the haflow binary"))
struct KubeadmDiscoveryTests {
  static let token = BootstrapToken("abcdef.0123456789abcdef")!

  /// A lab whose API server has `cluster-info` and one bootstrap token (24 h).
  static func seeded() async throws -> (APIServerLab, caPEM: String) {
    let lab = try await APIServerLab.start()
    let admin = try lab.admin()
    let ca = try String(contentsOfFile: lab.pki("ca.crt"), encoding: .utf8)
    let info = ClusterInfoConfigMap(
      server: "https://\(lab.address):6443", certificateAuthorityPEM: ca)
    try await admin.createOrReplace(ClusterInfoConfigMap.path, info.object)
    var spec = BootstrapTokenSpec(token: token)
    spec.description = BootstrapTokenSpec.initDescription
    let secret = BootstrapTokenSecret(spec: spec, now: Date())
    try await admin.createOrReplace(secret.path, secret.object)
    return (lab, ca)
  }

  func discover(
    _ lab: APIServerLab, endpoint: String? = nil, token: BootstrapToken = Self.token,
    pins: [String], timeout: Duration = .seconds(2)
  ) async -> Result<DiscoveredCluster, KubeadmError> {
    var discovery = TokenDiscovery(
      endpoint: endpoint ?? "\(lab.address):6443", token: token,
      pins: try! DiscoveryHashPins(pins), timeout: timeout)
    discovery.interval = .milliseconds(500)
    do throws(KubeadmError) {
      return .success(try await discovery.run())
    } catch {
      return .failure(error)
    }
  }

  @Test(.timeLimit(.minutes(3))) func discoveryFindsAndPinsTheCA() async throws {
    let (lab, ca) = try await Self.seeded()
    do {
      try await checks(lab, ca: ca)
    } catch {
      Issue.record("\(error)\netcd log:\n\(lab.etcdLog.suffix(2000))")
    }
    await lab.stop()
  }

  private func checks(_ lab: APIServerLab, ca: String) async throws {
    let hash = try DiscoveryHash.of(certificatePEM: ca)

    // Pinned: the server and CA of cluster-info.
    let found = try await discover(lab, pins: [hash]).get()
    #expect(found.server == "https://\(lab.address):6443")
    #expect(found.certificateAuthorityPEM == ca)
    // No pins (--discovery-token-unsafe-skip-ca-verification): the same, unverified.
    #expect(try await discover(lab, pins: []).get() == found)

    // A pin of another CA: kubeadm's message names the actual hash (§4.3, real line).
    let other = "sha256:" + String(repeating: "ab", count: 32)
    let mismatch = await discover(lab, pins: [other])
    #expect(
      mismatch.failure?.message
        == "cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "
        + "\"\(hash)\" are pinned")

    // An unknown token id: no signature for it, polled until the timeout, then the last error.
    let began = ContinuousClock.now
    let unknown = await discover(
      lab, token: BootstrapToken("zzzzzz.0123456789abcdef")!, pins: [hash])
    #expect(
      unknown.failure?.message
        == "could not find a JWS signature in the cluster-info ConfigMap for token ID \"zzzzzz\"")
    let waited = ContinuousClock.now - began
    #expect(waited >= .seconds(1) && waited < .seconds(15), "\(waited)")

    // The right id with a wrong secret: the signature does not verify.
    let forged = await discover(
      lab, token: BootstrapToken("abcdef.ffffffffffffffff")!, pins: [hash])
    #expect(
      forged.failure?.message
        == "failed to verify JWS signature of received cluster info object, can't trust this API Server"
    )

    // Nothing listening: Go's dial error, wrapped.
    let refused = await discover(lab, endpoint: "\(lab.address):6444", pins: [hash])
    #expect(
      refused.failure?.message
        == "failed to request the cluster-info ConfigMap: Get \"https://\(lab.address):6444/api/v1/"
        + "namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp "
        + "\(lab.address):6444: connect: connection refused")

    // 25 hours later on the lab clock, the token has expired: its signature is gone.
    try lab.setClockOffset(25 * 3600)
    let expired = await discover(lab, pins: [hash])
    #expect(
      expired.failure?.message
        == "could not find a JWS signature in the cluster-info ConfigMap for token ID \"abcdef\"")
  }
}

extension Result {
  /// The error, if it failed.
  var failure: Failure? {
    if case .failure(let error) = self { return error }
    return nil
  }
}
