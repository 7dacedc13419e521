import Foundation
import Testing

@testable import Lab

/// The init and join transcripts of LAB-FIDELITY.md §3.1/§3.2 (the v1.31.3 init, the v1.31.3
/// worker join and the v1.32.7 control-plane join), rebuilt from the stand-in's pieces, and the
/// `kubeadm-certs` Secret (§6.2, FORMATS.md §4).
@Suite struct KubeadmTranscriptTests {
  /// The lines of the first code block after `heading` in LAB-FIDELITY.md.
  static func block(after heading: String, skip: Int = 0) throws -> [String] {
    let text = try String(
      contentsOfFile: KubeadmFixtures.referenceDirectory + "/LAB-FIDELITY.md", encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    let start = try #require(lines.firstIndex { $0.hasPrefix(heading) }, "no \(heading)")
    var fences = lines.indices.filter { $0 > start && lines[$0].hasPrefix("```") }
    fences.removeFirst(skip * 2)
    return Array(lines[(fences[0] + 1)..<fences[1]])
  }

  /// Whether `line` matches the transcript's `pattern`, where `<…>` and `[...]` stand for
  /// anything and durations differ.
  static func matches(_ line: String, _ pattern: String) -> Bool {
    if line == pattern { return true }
    if pattern == "<64 lowercase hex>" { return CertificateKey(line)?.text == line.lowercased() }
    for marker in ["<", "[...]", "healthy after "] {
      if let range = pattern.range(of: marker), range.lowerBound > pattern.startIndex {
        return line.hasPrefix(String(pattern[..<range.lowerBound]))
      }
    }
    return false
  }

  @Test func initPhasesPrintInTheTranscriptsOrder() async throws {
    let root = try KubeadmRoot()
    let config = KubeadmFixtures.stacked(node: "node", address: "192.168.56.100", endpoint: "")
    var lines = [InitPhaseText.version("v1.31.3")] + InitPhaseText.preflight
    lines += try await offPool {
      try PKIWriter(host: root.host, config: config, now: KubeadmFixtures.now).certsPhase()
        + KubeconfigWriter(host: root.host, config: config, now: KubeadmFixtures.now)
        .write(KubeconfigKind.initFiles)
    }
    let pods = StaticPodWriter(host: root.host, config: config, release: .v131)
    lines += try pods.writeEtcd() + pods.writeControlPlane()
    lines += InitPhaseText.kubeletStart
    lines += InitPhaseText.waitControlPlane(
      kubeletHealthyAfter: 1.001214919, apiServerHealthyAfter: 12.501387894)
    lines += InitPhaseText.uploadConfig
    lines += UploadCertsText.uploaded(key: CertificateKey.generate().text)
    lines += InitPhaseText.markControlPlane("node")
    lines += InitPhaseText.bootstrapToken("abcdef.0123456789abcdef")
    lines += InitPhaseText.finish
    let transcript = try Self.block(after: "### 3.1").filter { !$0.hasPrefix("\t[WARNING") }
    let end = try #require(transcript.firstIndex(of: ""))
    let expected = Array(transcript[..<end])
    #expect(
      lines.count == expected.count, "\(lines.count) lines, the transcript has \(expected.count)")
    for (ours, theirs) in zip(lines, expected) {
      #expect(Self.matches(ours, theirs), "\n  ours:   \(ours)\n  theirs: \(theirs)")
    }
    #expect(lines.contains("[kubelet-check] The kubelet is healthy after 1.001214919s"))
    #expect(lines.contains("[api-check] The API server is healthy after 12.501387894s"))
  }

  @Test func workerJoinPrintsTheV131Transcript() async throws {
    let transcript = try Self.block(after: "### 3.2")
    var lines = JoinText.preflight(.v131) + JoinText.kubeletStart(healthyAfter: 1.050735187)
    lines += JoinText.workerDone.components(separatedBy: "\n").dropLast()
    #expect(lines.count == transcript.count)
    for (ours, theirs) in zip(lines, transcript) {
      #expect(Self.matches(ours, theirs), "\n  ours:   \(ours)\n  theirs: \(theirs)")
    }
    #expect(lines.contains("[kubelet-check] The kubelet is healthy after 1.050735187s"))
  }

  @Test func controlPlaneJoinPrintsTheV132Transcript() async throws {
    let root = try KubeadmRoot()
    let first = KubeadmFixtures.stacked()
    _ = try await offPool {
      try PKIWriter(host: root.host, config: first, now: KubeadmFixtures.now).certsPhase()
    }
    for name in [
      "apiserver", "apiserver-kubelet-client", "front-proxy-client", "etcd/server", "etcd/peer",
      "etcd/healthcheck-client", "apiserver-etcd-client",
    ] {
      try FileManager.default.removeItem(atPath: root.real("/etc/kubernetes/pki/\(name).crt"))
    }
    let config = KubeadmFixtures.stacked(node: "cp2", address: "10.0.0.12")
    var lines = JoinText.preflight(.v132) + JoinText.controlPlanePreflight
    lines.append(JoinText.downloadingCerts)
    lines.append("[download-certs] Saving the certificates to the folder: \"/etc/kubernetes/pki\"")
    let certs = try await offPool {
      try PKIWriter(host: root.host, config: config, now: KubeadmFixtures.now)
        .joinControlPlaneCerts()
    }
    lines += certs.filter { !$0.contains("serving cert is signed") }
    lines.append("[kubeconfig] Generating kubeconfig files")
    lines += try await offPool {
      try KubeconfigWriter(host: root.host, config: config, now: KubeadmFixtures.now)
        .write(KubeconfigKind.joinControlPlaneFiles)
    }
    let pods = StaticPodWriter(host: root.host, config: config, release: .v132)
    lines += try pods.writeControlPlane()
    lines.append(JoinText.checkEtcd)
    lines += JoinText.kubeletStart(healthyAfter: 0.501761616)
    lines.append(JoinText.etcdMemberAnnounced)
    lines += try pods.writeEtcd(members: [
      EtcdMember(name: "cp1", peerURL: "https://10.0.0.11:2380")
    ])
    lines.append(JoinText.etcdWaiting)
    lines += InitPhaseText.markControlPlane("cp2")
    lines += JoinText.controlPlaneDone(localEtcd: true).components(separatedBy: "\n").dropLast()
    // The transcript lists the seven leaves as one line and shows an etcd client warning.
    let transcript = try Self.block(after: "### 3.2", skip: 1).filter {
      !$0.hasPrefix("{\"level\"")
    }
    let leaves = try #require(transcript.firstIndex { $0.hasPrefix("[certs] Generating \"...\"") })
    let expected =
      Array(transcript[..<leaves]) + Array(repeating: transcript[leaves], count: 7)
      + Array(transcript[(leaves + 1)...])
    #expect(
      lines.count == expected.count, "\(lines.count) lines, the transcript has \(expected.count)")
    for (ours, theirs) in zip(lines, expected) {
      let pattern =
        theirs.hasPrefix("[certs] Generating \"...\"") ? "[certs] Generating \"<" : theirs
      #expect(Self.matches(ours, pattern), "\n  ours:   \(ours)\n  theirs: \(theirs)")
    }
    #expect(!FileManager.default.fileExists(atPath: root.real("/etc/kubernetes/super-admin.conf")))
    #expect(JoinText.controlPlaneDone(localEtcd: false).contains("etcd") == false)
  }

  @Test func uploadedCertsRoundTripWithKubeadmsModesAndErrors() async throws {
    let first = try KubeadmRoot()
    let cluster = KubeadmFixtures.stacked().cluster
    _ = try await offPool {
      try PKIWriter(host: first.host, config: KubeadmFixtures.stacked(), now: KubeadmFixtures.now)
        .certsPhase()
    }
    // FORMATS.md §4 / kubernetes/kubeadm#2158: the eight keys of a stacked cluster.
    #expect(
      Set(UploadedCerts.entries(cluster).map(\.secretKey)) == [
        "front-proxy-ca.crt", "front-proxy-ca.key", "sa.key", "sa.pub", "ca.crt", "ca.key",
        "etcd-ca.crt",
        "etcd-ca.key",
      ])
    #expect(
      UploadedCerts.entries(KubeadmFixtures.external().cluster).suffix(3).map(\.secretKey) == [
        "external-etcd-ca.crt", "external-etcd.crt", "external-etcd.key",
      ])
    let key = CertificateKey.generate()
    let data = try UploadedCerts.secretData(host: first.host, cluster: cluster, key: key)
    let plain = try first.host.read("/etc/kubernetes/pki/ca.key")
    let sealed = try #require(data["ca.key"])
    #expect(sealed.count == 12 + plain.count + 16, "nonce, ciphertext, tag")
    #expect(sealed != plain)

    let second = try KubeadmRoot()
    let lines = try UploadedCerts.install(data, host: second.host, cluster: cluster, key: key)
    #expect(
      lines == [#"[download-certs] Saving the certificates to the folder: "/etc/kubernetes/pki""#])
    #expect(try second.host.read("/etc/kubernetes/pki/ca.key") == plain)
    #expect(try second.mode("/etc/kubernetes/pki/ca.key") == 0o600)
    #expect(try second.mode("/etc/kubernetes/pki/etcd/ca.key") == 0o600)
    #expect(try second.mode("/etc/kubernetes/pki/ca.crt") == 0o644)
    #expect(
      try second.mode("/etc/kubernetes/pki/sa.pub") == 0o644,
      "written as a certificate on joined nodes")

    let wrong = try KubeadmRoot()
    #expect(
      throws: KubeadmError(
        "error decoding secret data with provided key: cipher: message authentication failed")
    ) {
      _ = try UploadedCerts.install(
        data, host: wrong.host, cluster: cluster, key: CertificateKey.generate())
    }
    var partial = data
    partial["etcd-ca.crt"] = nil
    #expect(
      throws: KubeadmError(
        "the Secret does not include the required certificate or key - name: etcd-ca.crt, path: /etc/kubernetes/pki/etcd/ca.crt"
      )
    ) { _ = try UploadedCerts.install(partial, host: wrong.host, cluster: cluster, key: key) }
    var empty = data
    empty["sa.pub"] = []
    _ = try UploadedCerts.install(empty, host: wrong.host, cluster: cluster, key: key)
    #expect(!wrong.host.exists("/etc/kubernetes/pki/sa.pub"), "an empty entry is skipped")
  }
}
