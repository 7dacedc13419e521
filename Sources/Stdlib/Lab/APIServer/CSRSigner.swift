import Foundation
import X509

/// What kube-controller-manager's `csrapproving` and `csrsigning` controllers do for a
/// kubelet's TLS bootstrap, done when the request is created (the lab runs no controller
/// manager): a CertificateSigningRequest for signer `kubernetes.io/kube-apiserver-client-kubelet`
/// whose PKCS#10 request names `system:node:<name>` in `system:nodes` is approved
/// (`AutoApproved`) and signed with the cluster CA — the files the controller manager's
/// `--cluster-signing-cert-file`/`--cluster-signing-key-file` name, `ca.crt` and `ca.key`
/// beside the API server's `--client-ca-file`. Any other request is stored as it came.
struct CSRSigner: Sendable {
  let ca: KeyPair
  let clock: ClusterClock

  /// The signer for the CA in `clientCAFile`'s directory; nil when its key is not there.
  static func load(clientCAFile: String, clock: ClusterClock) -> CSRSigner? {
    let directory = (clientCAFile as NSString).deletingLastPathComponent
    guard
      let certificate = try? String(contentsOfFile: clientCAFile, encoding: .utf8),
      let key = try? String(contentsOfFile: directory + "/ca.key", encoding: .utf8),
      let pair = try? KeyPair(certificatePEM: certificate, keyPEM: key)
    else { return nil }
    return CSRSigner(ca: pair, clock: clock)
  }

  /// `object` approved and signed when it is a kubelet's client request; else unchanged.
  func process(_ object: JSONValue) -> JSONValue {
    guard object[path: ["spec", "signerName"]]?.string == KubeletCSR.signerName,
      let encoded = object[path: ["spec", "request"]]?.string,
      let data = Data(base64Encoded: encoded),
      let request = try? CertificateSigningRequest(
        pemEncoded: String(decoding: data, as: UTF8.self)),
      request.publicKey.isValidSignature(request.signature, for: request)
    else { return object }
    let names = request.subject.flatMap { $0 }
    let commonNames = names.filter { $0.type == .RDNAttributeType.commonName }
      .map { String(describing: $0.value) }
    let organizations = names.filter { $0.type == .RDNAttributeType.organizationName }
      .map { String(describing: $0.value) }
    guard commonNames.count == 1, commonNames[0].hasPrefix("system:node:"),
      organizations == ["system:nodes"]
    else { return object }
    let factory = CertificateFactory(now: clock.now(), cluster: ClusterConfiguration())
    guard
      let certificate = try? factory.issueLeaf(
        commonName: commonNames[0], organizations: organizations, purposes: [.clientAuth],
        altNames: AltNames(), signer: ca, publicKey: request.publicKey),
      let pem = try? certificate.serializeAsPEM().pemString
    else { return object }
    var signed = object
    let now = ClusterClock.rfc3339(clock.now())
    signed["status"] = .object([
      "conditions": .array([
        .object([
          "type": .string("Approved"), "status": .string("True"),
          "reason": .string("AutoApproved"),
          "message": .string(
            "Auto approving kubelet client certificate after SubjectAccessReview."),
          "lastUpdateTime": .string(now), "lastTransitionTime": .string(now),
        ])
      ]),
      "certificate": .string(Data((pem + "\n").utf8).base64EncodedString()),
    ])
    return signed
  }
}
