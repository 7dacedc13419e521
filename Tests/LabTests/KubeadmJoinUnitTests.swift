import Foundation
import Testing
import X509
import _CryptoExtras

@testable import Lab

/// The parts of `kubeadm join` that need no cluster: the manually copied files' check
/// (kubeadm's `SharedCertificateExists` messages), the kubelet's kubeconfig, and the API
/// server's kubelet CSR signer.
@Suite struct KubeadmJoinUnitTests {
  @Test func missingSharedFilesAreNamedAsKubeadmNamesThem() async throws {
    let root = try KubeadmRoot()
    let stacked = SharedCertificates.problems(host: root.host, cluster: ClusterConfiguration())
    // A published transcript of a join --control-plane without the files (the four groups
    // in kubeadm's order: CA, service account, front-proxy CA, etcd CA).
    #expect(
      stacked == [
        "failure loading certificate for CA: couldn't load the certificate file "
          + "/etc/kubernetes/pki/ca.crt: open /etc/kubernetes/pki/ca.crt: no such file or directory",
        "failure loading key for service account: couldn't load the private key file "
          + "/etc/kubernetes/pki/sa.key: open /etc/kubernetes/pki/sa.key: no such file or directory",
        "failure loading certificate for front-proxy CA: couldn't load the certificate file "
          + "/etc/kubernetes/pki/front-proxy-ca.crt: open /etc/kubernetes/pki/front-proxy-ca.crt: "
          + "no such file or directory",
        "failure loading certificate for etcd CA: couldn't load the certificate file "
          + "/etc/kubernetes/pki/etcd/ca.crt: open /etc/kubernetes/pki/etcd/ca.crt: no such file "
          + "or directory",
      ])
    var external = ClusterConfiguration()
    external.etcd = .external(ExternalEtcd())
    for file in ["ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt"] {
      try root.host.write("x", to: "/etc/kubernetes/pki/" + file, mode: 0o600)
    }
    // External etcd: no etcd CA needed; a missing key is a key failure.
    #expect(
      SharedCertificates.problems(host: root.host, cluster: external) == [
        "failure loading key for front-proxy CA: couldn't load the private key file "
          + "/etc/kubernetes/pki/front-proxy-ca.key: open /etc/kubernetes/pki/front-proxy-ca.key: "
          + "no such file or directory"
      ])
  }

  @Test func theKubeletsKubeconfigNamesItsRotatedCertificate() throws {
    let text = KubeadmJoin.kubeletKubeconfig(server: "https://127.0.0.2:6443", caPEM: "CA")
    #expect(text.contains("current-context: default-context\n"))
    #expect(text.contains("- name: default-auth\n"))
    #expect(
      text.contains(
        "    client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem\n"
          + "    client-key: /var/lib/kubelet/pki/kubelet-client-current.pem\n"))
    #expect(text.contains("  name: default-cluster\n"))
  }

  @Test func theAPIServerSignsAKubeletsClientRequest() async throws {
    let (ca, nodeKey, otherKey) = try await offPool {
      (
        try CertificateFactory(now: Date(), cluster: ClusterConfiguration()).makeCA(
          commonName: "kubernetes"),
        try CertificateFactory.newKey(), try CertificateFactory.newKey()
      )
    }
    let signer = CSRSigner(ca: ca, clock: ClusterClock(stateFile: nil))
    func request(_ commonName: String, _ key: _RSA.Signing.PrivateKey, signerName: String)
      throws -> JSONValue
    {
      let csr = try CertificateSigningRequest(
        version: .v1,
        subject: try CertificateFactory.name(
          commonName: commonName, organizations: ["system:nodes"]),
        privateKey: Certificate.PrivateKey(key), attributes: CertificateSigningRequest.Attributes(),
        signatureAlgorithm: .sha256WithRSAEncryption)
      return .object([
        "spec": .object([
          "request": .string(Data(try csr.serializeAsPEM().pemString.utf8).base64EncodedString()),
          "signerName": .string(signerName),
        ])
      ])
    }
    let signed = signer.process(
      try request("system:node:w1", nodeKey, signerName: KubeletCSR.signerName))
    #expect(signed[path: ["status", "conditions"]]?.array?.first?["type"] == .string("Approved"))
    let encoded = try #require(signed[path: ["status", "certificate"]]?.string)
    let pem = String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
    let certificate = try Certificate(pemEncoded: pem)
    #expect(certificate.issuer == ca.certificate.subject)
    #expect(certificate.publicKey == Certificate.PublicKey(nodeKey.publicKey))
    let subject = String(describing: certificate.subject)
    #expect(
      subject.contains("CN=system:node:w1") && subject.contains("O=system:nodes"), "\(subject)")
    // Another signer, or another user, is stored as it came.
    let other = try request("system:node:w1", otherKey, signerName: "example.com/other")
    #expect(signer.process(other) == other)
    let user = try request("admin", otherKey, signerName: KubeletCSR.signerName)
    #expect(signer.process(user) == user)
  }
}
