import Foundation
import Testing

@testable import Lab

/// The PKI `kubeadm init` writes (LAB-FIDELITY.md §1.1–1.4, §1.6), checked with openssl.
@Suite struct KubeadmPKITests {
  static let stackedFiles = [
    "ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client",
    "etcd/ca",
    "etcd/server", "etcd/peer", "etcd/healthcheck-client", "apiserver-etcd-client",
  ]

  @Test func initWritesEveryFileWithKubeadmsModes() async throws {
    let root = try KubeadmRoot()
    let writer = PKIWriter(
      host: root.host, config: KubeadmFixtures.stacked(), now: KubeadmFixtures.now)
    let lines = try await offPool { try writer.certsPhase() }
    let pki = "/etc/kubernetes/pki"
    for base in Self.stackedFiles {
      #expect(try root.mode("\(pki)/\(base).crt") == 0o644, "\(base).crt")
      #expect(try root.mode("\(pki)/\(base).key") == 0o600, "\(base).key")
      #expect(try root.text("\(pki)/\(base).key").hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
      #expect(try root.text("\(pki)/\(base).crt").hasPrefix("-----BEGIN CERTIFICATE-----\n"))
    }
    #expect(try root.mode("\(pki)/sa.key") == 0o600)
    #expect(try root.mode("\(pki)/sa.pub") == 0o600)
    #expect(try root.text("\(pki)/sa.pub").hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
    #expect(try root.mode(pki) == 0o755)
    #expect(try root.mode("\(pki)/etcd") == 0o755)
    let listed = try FileManager.default.subpathsOfDirectory(atPath: root.real(pki)).sorted()
    #expect(listed.count == 2 * Self.stackedFiles.count + 2 + 1, "\(listed)")  // + sa pair + etcd/

    // The lines, in the order of LAB-FIDELITY.md §3.1.
    #expect(
      lines == [
        #"[certs] Using certificateDir folder "/etc/kubernetes/pki""#,
        #"[certs] Generating "ca" certificate and key"#,
        #"[certs] Generating "apiserver" certificate and key"#,
        "[certs] apiserver serving cert is signed for DNS names [cp1 kubernetes kubernetes.default "
          + "kubernetes.default.svc kubernetes.default.svc.cluster.local lb.lab] and IPs [10.96.0.1 10.0.0.11]",
        #"[certs] Generating "apiserver-kubelet-client" certificate and key"#,
        #"[certs] Generating "front-proxy-ca" certificate and key"#,
        #"[certs] Generating "front-proxy-client" certificate and key"#,
        #"[certs] Generating "etcd/ca" certificate and key"#,
        #"[certs] Generating "etcd/server" certificate and key"#,
        "[certs] etcd/server serving cert is signed for DNS names [cp1 localhost] and IPs [10.0.0.11 127.0.0.1 ::1]",
        #"[certs] Generating "etcd/peer" certificate and key"#,
        "[certs] etcd/peer serving cert is signed for DNS names [cp1 localhost] and IPs [10.0.0.11 127.0.0.1 ::1]",
        #"[certs] Generating "etcd/healthcheck-client" certificate and key"#,
        #"[certs] Generating "apiserver-etcd-client" certificate and key"#,
        #"[certs] Generating "sa" key and public key"#,
      ])

    // Run again: everything is reused.
    let again = try await offPool { try writer.certsPhase() }
    #expect(again.contains("[certs] Using existing ca certificate authority"))
    #expect(again.contains("[certs] Using existing apiserver certificate and key on disk"))
    #expect(again.contains(#"[certs] Using the existing "sa" key"#))
    #expect(!again.contains { $0.contains("Generating") })
  }

  @Test func certificatesHaveKubeadmsNamesUsagesAndChains() async throws {
    let root = try KubeadmRoot()
    let writer = PKIWriter(
      host: root.host, config: KubeadmFixtures.stacked(), now: KubeadmFixtures.now)
    _ = try await offPool { try writer.certsPhase() }
    let pki = root.real("/etc/kubernetes/pki")
    struct Expected {
      var base: String
      var ca: String
      var subject: String
      var usage: String?
    }
    let expected = [
      Expected(
        base: "apiserver", ca: "ca", subject: "CN=kube-apiserver",
        usage: "TLS Web Server Authentication"),
      Expected(
        base: "apiserver-kubelet-client", ca: "ca",
        subject: "O=kubeadm:cluster-admins, CN=kube-apiserver-kubelet-client",
        usage: "TLS Web Client Authentication"),
      Expected(
        base: "front-proxy-client", ca: "front-proxy-ca", subject: "CN=front-proxy-client",
        usage: "TLS Web Client Authentication"),
      Expected(
        base: "etcd/server", ca: "etcd/ca", subject: "CN=cp1",
        usage: "TLS Web Server Authentication, TLS Web Client Authentication"),
      Expected(
        base: "etcd/peer", ca: "etcd/ca", subject: "CN=cp1",
        usage: "TLS Web Server Authentication, TLS Web Client Authentication"),
      Expected(
        base: "etcd/healthcheck-client", ca: "etcd/ca", subject: "CN=kube-etcd-healthcheck-client",
        usage: "TLS Web Client Authentication"),
      Expected(
        base: "apiserver-etcd-client", ca: "etcd/ca", subject: "CN=kube-apiserver-etcd-client",
        usage: "TLS Web Client Authentication"),
    ]
    for item in expected {
      let certificate = "\(pki)/\(item.base).crt"
      let verify = try OpenSSL.run(["verify", "-CAfile", "\(pki)/\(item.ca).crt", certificate])
      #expect(
        verify.status == 0 && verify.output.hasSuffix("OK\n"), "\(item.base): \(verify.output)")
      let text = try OpenSSL.text(certificate)
      #expect(
        try OpenSSL.x509(certificate, "subject", ["-nameopt", "sep_comma_plus_space,sname"])
          == "subject=\(item.subject)")
      #expect(
        OpenSSL.field(text, after: "X509v3 Key Usage: critical")
          == "Digital Signature, Key Encipherment")
      #expect(OpenSSL.field(text, after: "X509v3 Extended Key Usage") == item.usage, "\(item.base)")
      #expect(OpenSSL.field(text, after: "X509v3 Basic Constraints: critical") == "CA:FALSE")
      #expect(text.contains("Public-Key: (2048 bit)"))
      #expect(text.contains("Signature Algorithm: sha256WithRSAEncryption"))
      // The key in the .key file is the certificate's.
      let fromCertificate = try OpenSSL.run(["x509", "-in", certificate, "-noout", "-pubkey"])
        .output
      let fromKey = try OpenSSL.run(["pkey", "-in", "\(pki)/\(item.base).key", "-pubout"]).output
      #expect(fromCertificate == fromKey, "\(item.base): key does not match")
      // One year from five minutes ago.
      #expect(try OpenSSL.x509(certificate, "startdate") == "notBefore=Dec 31 23:55:00 2025 GMT")
      #expect(try OpenSSL.x509(certificate, "enddate") == "notAfter=Jan  1 00:00:00 2027 GMT")
    }
    for (base, name) in [
      ("ca", "kubernetes"), ("front-proxy-ca", "front-proxy-ca"), ("etcd/ca", "etcd-ca"),
    ] {
      let certificate = "\(pki)/\(base).crt"
      let text = try OpenSSL.text(certificate)
      #expect(
        try OpenSSL.x509(certificate, "subject", ["-nameopt", "sep_comma_plus_space,sname"])
          == "subject=CN=\(name)")
      #expect(OpenSSL.field(text, after: "X509v3 Basic Constraints: critical") == "CA:TRUE")
      #expect(
        OpenSSL.field(text, after: "X509v3 Key Usage: critical")
          == "Digital Signature, Key Encipherment, Certificate Sign")
      #expect(OpenSSL.field(text, after: "X509v3 Subject Alternative Name") == "DNS:\(name)")
      #expect(try OpenSSL.x509(certificate, "enddate") == "notAfter=Dec 30 00:00:00 2035 GMT")
      let selfSigned = try OpenSSL.run(["verify", "-CAfile", certificate, certificate])
      #expect(selfSigned.status == 0, "\(base): \(selfSigned.output)")
    }
    // SANs in kubeadm's order: DNS names sorted, then IPs as added.
    let apiserver = try OpenSSL.text("\(pki)/apiserver.crt")
    #expect(
      OpenSSL.field(apiserver, after: "X509v3 Subject Alternative Name")
        == "DNS:cp1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, "
        + "DNS:kubernetes.default.svc.cluster.local, DNS:lb.lab, IP Address:10.96.0.1, IP Address:10.0.0.11"
    )
    let etcdServer = try OpenSSL.text("\(pki)/etcd/server.crt")
    #expect(
      OpenSSL.field(etcdServer, after: "X509v3 Subject Alternative Name")
        == "DNS:cp1, DNS:localhost, IP Address:10.0.0.11, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"
    )
    // The chain does not cross: an etcd certificate does not verify against the cluster CA.
    let crossed = try OpenSSL.run(["verify", "-CAfile", "\(pki)/ca.crt", "\(pki)/etcd/server.crt"])
    #expect(crossed.status != 0)
  }

  @Test func servingLinesMatchThePublishedTranscript() async throws {
    // LAB-FIDELITY.md §1.4, the real v1.31.3 lines for node "node" at 192.168.56.100.
    let config = InitConfiguration(
      node: NodeSettings(name: "node", advertiseAddress: "192.168.56.100"))
    #expect(
      AltNames.apiServer(config).names.servingLine(baseName: "apiserver")
        == "[certs] apiserver serving cert is signed for DNS names [kubernetes kubernetes.default "
        + "kubernetes.default.svc kubernetes.default.svc.cluster.local node] and IPs [10.96.0.1 192.168.56.100]"
    )
    #expect(
      AltNames.etcd(config, peer: false).names.servingLine(baseName: "etcd/server")
        == "[certs] etcd/server serving cert is signed for DNS names [localhost node] and IPs "
        + "[192.168.56.100 127.0.0.1 ::1]")
  }

  @Test func sansTakeTheEndpointCertSANsAndNoDuplicates() async throws {
    var config = KubeadmFixtures.stacked(endpoint: "10.0.0.10:6443")
    config.cluster.certSANs = ["api.example.com", "10.0.0.11", "192.0.2.7"]
    var local = LocalEtcd()
    local.serverCertSANs = ["10.0.0.11", "etcd.example.com"]
    config.cluster.etcd = .local(local)
    let api = AltNames.apiServer(config).names
    #expect(api.dnsNames.last == "kubernetes.default.svc.cluster.local")
    #expect(api.dnsNames.contains("api.example.com"))
    #expect(api.ips == ["10.96.0.1", "10.0.0.11", "10.0.0.10", "192.0.2.7"])
    let etcd = AltNames.etcd(config, peer: false).names
    #expect(etcd.dnsNames == ["cp1", "etcd.example.com", "localhost"])
    #expect(etcd.ips == ["10.0.0.11", "127.0.0.1", "::1"])
    #expect(AltNames.etcd(config, peer: true).names.dnsNames == ["cp1", "localhost"])
  }

  @Test func externalEtcdSkipsEtcdCertificates() async throws {
    let root = try KubeadmRoot()
    let writer = PKIWriter(
      host: root.host, config: KubeadmFixtures.external(), now: KubeadmFixtures.now)
    let lines = try await offPool { try writer.certsPhase() }
    let listed = try FileManager.default.subpathsOfDirectory(
      atPath: root.real("/etc/kubernetes/pki")
    ).sorted()
    #expect(
      listed == [
        "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key", "apiserver.crt",
        "apiserver.key",
        "ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "front-proxy-client.crt",
        "front-proxy-client.key", "sa.key", "sa.pub",
      ])
    #expect(
      lines.contains(
        "[certs] External etcd mode: Skipping etcd/ca certificate authority generation"))
    #expect(
      lines.contains(
        "[certs] External etcd mode: Skipping apiserver-etcd-client certificate generation"))
    #expect(lines.filter { $0.hasPrefix("[certs] External etcd mode") }.count == 5)
  }

  @Test func aJoiningControlPlaneMakesItsOwnLeavesFromTheSharedCAs() async throws {
    let first = try KubeadmRoot()
    _ = try await offPool {
      try PKIWriter(host: first.host, config: KubeadmFixtures.stacked(), now: KubeadmFixtures.now)
        .certsPhase()
    }
    // What the docs copy (or upload-certs shares): the CAs and the service-account pair.
    let second = try KubeadmRoot()
    let shared = [
      "ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "sa.pub", "sa.key",
      "etcd/ca.crt", "etcd/ca.key",
    ]
    for name in shared {
      let path = "/etc/kubernetes/pki/" + name
      try second.host.write(
        try first.host.read(path), to: path,
        mode: name.hasSuffix(".crt") || name == "sa.pub" ? 0o644 : 0o600)
    }
    let config = KubeadmFixtures.stacked(node: "cp2", address: "10.0.0.12")
    let writer = PKIWriter(host: second.host, config: config, now: KubeadmFixtures.now)
    let lines = try await offPool { try writer.joinControlPlaneCerts(order: CertsStep.joinLeaves) }
    #expect(lines.first == #"[certs] Using certificateDir folder "/etc/kubernetes/pki""#)
    #expect(
      lines.suffix(2) == [
        #"[certs] Valid certificates and keys now exist in "/etc/kubernetes/pki""#,
        #"[certs] Using the existing "sa" key"#,
      ])
    #expect(lines.filter { $0.contains("Generating") }.count == 7)
    let pki = second.real("/etc/kubernetes/pki")
    let verify = try OpenSSL.run(["verify", "-CAfile", "\(pki)/ca.crt", "\(pki)/apiserver.crt"])
    #expect(verify.status == 0, "\(verify.output)")
    let text = try OpenSSL.text("\(pki)/apiserver.crt")
    #expect(
      OpenSSL.field(text, after: "X509v3 Subject Alternative Name")?.contains("DNS:cp2") == true)
    #expect(
      OpenSSL.field(text, after: "X509v3 Subject Alternative Name")?.contains(
        "IP Address:10.0.0.12") == true)
    #expect(
      try OpenSSL.x509(
        "\(pki)/etcd/peer.crt", "subject", ["-nameopt", "sep_comma_plus_space,sname"])
        == "subject=CN=cp2")
    // The shared CA is the first node's: same discovery hash on both.
    #expect(
      try DiscoveryHash.of(certificatePEM: second.text("/etc/kubernetes/pki/ca.crt"))
        == DiscoveryHash.of(certificatePEM: first.text("/etc/kubernetes/pki/ca.crt")))
    // Without the CA, kubeadm's message.
    let empty = try KubeadmRoot()
    #expect(
      throws: KubeadmError(
        "failure loading certificate for CA: couldn't load the certificate file /etc/kubernetes/pki/ca.crt: "
          + "open /etc/kubernetes/pki/ca.crt: no such file or directory")
    ) {
      _ = try PKIWriter(host: empty.host, config: config, now: KubeadmFixtures.now)
        .joinControlPlaneCerts(order: CertsStep.joinLeaves)
    }
  }

  @Test func aWorkerGetsTheDiscoveredCAOnce() async throws {
    let root = try KubeadmRoot()
    let ca = try await offPool {
      try CertificateFactory(now: KubeadmFixtures.now).makeCA(commonName: "kubernetes")
    }
    let writer = PKIWriter(
      host: root.host, config: KubeadmFixtures.stacked(node: "w1"), now: KubeadmFixtures.now)
    try writer.writeWorkerCA(certificatePEM: try ca.certificatePEM())
    #expect(try root.mode("/etc/kubernetes/pki/ca.crt") == 0o644)
    try writer.writeWorkerCA(certificatePEM: "other")
    #expect(try root.text("/etc/kubernetes/pki/ca.crt") == (try ca.certificatePEM()))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: root.real("/etc/kubernetes/pki")) == [
        "ca.crt"
      ])
  }
}
