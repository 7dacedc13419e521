import Foundation
import X509
import _CryptoExtras

/// A worker kubelet's TLS bootstrap (LAB-FIDELITY §6.1): a new key, a PKCS#10 request for
/// `system:node:<name>` in `system:nodes`, posted as a CertificateSigningRequest with the
/// bootstrap token (signer `kubernetes.io/kube-apiserver-client-kubelet`), and the certificate
/// the cluster issues for it (the lab's API server approves and signs such requests at once,
/// as kube-controller-manager's csrapprover and signer would).
enum KubeletCSR {
  /// The kubelet's client signer.
  static let signerName = "kubernetes.io/kube-apiserver-client-kubelet"

  /// The certificate and key (PEM, one file as the kubelet keeps them) for node `name`.
  static func request(for name: String, bootstrap: KubeAPIClient, limit: Duration = .seconds(20))
    throws -> String
  {
    let key = try CertificateFactory.newKey()
    let subject = try CertificateFactory.name(
      commonName: "system:node:" + name, organizations: ["system:nodes"])
    let csr = try CertificateSigningRequest(
      version: .v1, subject: subject, privateKey: Certificate.PrivateKey(key),
      attributes: CertificateSigningRequest.Attributes(),
      signatureAlgorithm: .sha256WithRSAEncryption)
    let pem = try csr.serializeAsPEM().pemString + "\n"
    let object: JSONValue = .object([
      "apiVersion": .string("certificates.k8s.io/v1"),
      "kind": .string("CertificateSigningRequest"),
      "metadata": .object(["generateName": .string("csr-")]),
      "spec": .object([
        "request": .string(Data(pem.utf8).base64EncodedString()),
        "signerName": .string(signerName),
        "usages": .array([.string("digital signature"), .string("client auth")]),
      ]),
    ])
    let collection = KubeAPIPath.collection(
      apiVersion: "certificates.k8s.io/v1", resource: "certificatesigningrequests",
      namespace: nil)
    var current = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
      try await bootstrap.create(collection, object)
    }
    let deadline = ContinuousClock.now + limit
    while true {
      if let encoded = current[path: ["status", "certificate"]]?.string,
        let data = Data(base64Encoded: encoded)
      {
        return String(decoding: data, as: UTF8.self) + key.pemRepresentation + "\n"
      }
      guard ContinuousClock.now < deadline,
        let created = current[path: ["metadata", "name"]]?.string
      else {
        throw KubeadmError(
          "error waiting for the kubelet's client certificate: the CertificateSigningRequest "
            + "was not approved and signed within \(limit)")
      }
      usleep(500_000)
      let path = collection + "/" + created
      current = try blockingAPI { () async throws(KubeAPIError) -> JSONValue in
        try await bootstrap.get(path)
      }
    }
  }
}
