import Foundation
import Testing

@testable import Lab

/// The stand-in's command line, in process: flags, output, kubeadm's errors and exit statuses
/// (LAB-FIDELITY.md §3.5, §3.6, §4.1, §4.3).
@Suite struct KubeadmCommandLineTests {
  let hint = "To see the stack trace of this error execute with --v=5 or higher\n"

  @Test func versionAndGenerators() async throws {
    let root = try KubeadmRoot()
    #expect(await kubeadm("version", root: root).out == KubeadmRelease.v132.versionLine)
    #expect(
      await kubeadm("version", root: root, release: .v131).out == KubeadmRelease.v131.versionLine)
    #expect(await kubeadm("version", "-o", "short", root: root).out == "v1.32.0\n")
    #expect(
      await kubeadm("version", "--output=yaml", root: root).out.hasPrefix(
        "clientVersion:\n  buildDate: \"2024-12-11T18:04:20Z\"\n"))
    #expect(
      await kubeadm("version", "-o", "json", root: root).out.contains("\"gitVersion\": \"v1.32.0\"")
    )
    let bad = await kubeadm("version", "-o", "xml", root: root)
    #expect(bad.status == 1 && bad.out.isEmpty && bad.err == "invalid output format: xml\n" + hint)
    // templates/T13: the key alone, then a newline.
    let key = await kubeadm("certs", "certificate-key", root: root)
    #expect(
      key.status == 0 && key.out.count == 65 && CertificateKey(String(key.out.dropLast())) != nil)
    let token = await kubeadm("token", "generate", root: root)
    #expect(
      token.status == 0 && BootstrapToken(String(token.out.dropLast())) != nil
        && token.out.hasSuffix("\n"))
  }

  @Test func badCommandLinesFailAsKubeadmDoes() async throws {
    let root = try KubeadmRoot()
    let unknown = await kubeadm("init", "--bogus", root: root)
    #expect(unknown.status == 1 && unknown.err == "unknown flag: --bogus\n" + hint)
    let short = await kubeadm("reset", "-x", root: root)
    #expect(short.err == "unknown shorthand flag: 'x' in -x\n" + hint)
    let missing = await kubeadm("init", "--token", root: root)
    #expect(missing.err == "flag needs an argument: --token\n" + hint)
    let boolean = await kubeadm("init", "--upload-certs=maybe", root: root)
    #expect(
      boolean.err
        == #"invalid argument "maybe" for "--upload-certs" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#
        + "\n" + hint)
    let ttl = await kubeadm("token", "create", "--ttl", "2d", root: root)
    #expect(
      ttl.err == #"invalid argument "2d" for "--ttl" flag: time: unknown unit "d" in duration "2d""#
        + "\n" + hint)
    let command = await kubeadm("inti", root: root)
    #expect(command.status == 1)
    #expect(
      command.err.hasPrefix(
        "unknown command \"inti\" for \"kubeadm\"\n\nDid you mean this?\n\tinit\n"))
    let extra = await kubeadm("version", "now", root: root)
    #expect(extra.err == "unknown command \"now\" for \"kubeadm version\"\n" + hint)
    // At --v=5 kubeadm prints its stack trace instead of the hint; the stand-in has none.
    let verbose = await kubeadm("version", "-o", "xml", "--v=5", root: root)
    #expect(verbose.err == "invalid output format: xml\n")
    // A flag error comes before klog's level is known: the hint stays.
    #expect(
      await kubeadm("init", "--bogus", "--v=5", root: root).err == "unknown flag: --bogus\n" + hint)
  }

  @Test func configAndCertificateKeyDoNotMix() async throws {
    // outputs/init-partial-21.txt: kubeadm's own words and the hint, exit status 1.
    let root = try KubeadmRoot()
    let published = try KubeadmFixtures.output("init-partial-21.txt")
    let config = root.path + "/kubeadm.conf"
    try "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n".write(
      toFile: config, atomically: true, encoding: .utf8)
    let result = await kubeadm(
      "init", "--config", config, "--upload-certs", "--certificate-key",
      "5cf38ca270d75eb11fac6b3ef77b0e1ef7318d56a1edf3ad0687c72281c89aca", root: root)
    #expect(result.status == 1)
    #expect(result.err == published.dropFirst().joined(separator: "\n") + "\n")
    let two = await kubeadm(
      "join", "--config", config, "--control-plane", "--certificate-key", "x", root: root)
    #expect(
      two.err == "can not mix '--config' with arguments [certificate-key control-plane]\n" + hint)
  }

  @Test func initValidatesItsArgumentsAndADryRunStopsAfterPreflight() async throws {
    let root = try KubeadmRoot()
    let token = await kubeadm("init", "--token", "Bad.Token", root: root)
    #expect(token.status == 1)
    #expect(token.err == BootstrapToken.formatError("Bad.Token") + "\n" + hint)
    let key = await kubeadm("init", "--upload-certs", "--certificate-key", "abcd", root: root)
    #expect(key.status == 3)
    #expect(
      key.err
        == #"certificateKey: Invalid value: "abcd": invalid certificate key size 2, the key must be an AES key of size 32"#
        + "\n" + hint)
    let address = await kubeadm("init", "--apiserver-advertise-address", "cp1.lab", root: root)
    #expect(
      address.err.hasPrefix(
        #"couldn't use "cp1.lab" as "apiserver-advertise-address", must be ipv4 or ipv6 address"#))
    let endpoint = await kubeadm("init", "--control-plane-endpoint", "lb:notaport", root: root)
    #expect(
      endpoint.status == 3
        && endpoint.err.hasPrefix(
          #"controlPlaneEndpoint: Invalid value: "lb:notaport": endpoint is not valid"#)
    )
    let good = await kubeadm(
      "init", "--control-plane-endpoint", "lb.lab:6443", "--upload-certs", "--pod-network-cidr",
      "10.244.0.0/16",
      "--certificate-key", CertificateKey.generate().text, "--token", "abcdef.0123456789abcdef",
      "--dry-run", root: root)
    #expect(good.status == KubeadmCLI.notBuiltStatus)
    // Preflight runs (and passes on a fresh node) before the dry run's stop.
    #expect(
      good.out
        == "[init] Using Kubernetes version: v1.32.0\n[preflight] Running pre-flight checks\n"
        + InitPhaseText.preflight.dropFirst().joined(separator: "\n") + "\n")
    #expect(good.err.contains("stops after preflight"))
    #expect(
      !FileManager.default.fileExists(atPath: root.real("/etc/kubernetes")), "nothing is written")
  }

  @Test func joinValidatesAsKubeadmDoes() async throws {
    let root = try KubeadmRoot()
    let hash = "sha256:" + String(repeating: "ab", count: 32)
    let badToken = await kubeadm(
      "join", "10.0.0.10:6443", "--token", "bad", "--discovery-token-ca-cert-hash", hash, root: root
    )
    #expect(badToken.status == 3)
    #expect(
      badToken.err
        == #"[discovery.bootstrapToken.token: Invalid value: "bad": the bootstrap token is invalid, discovery.tlsBootstrapToken: Invalid value: "bad": the bootstrap token is invalid]"#
        + "\n" + hint)
    let noHash = await kubeadm(
      "join", "10.0.0.10:6443", "--token", "abcdef.0123456789abcdef", root: root)
    #expect(
      noHash.status == 3
        && noHash.err.hasPrefix(
          #"discovery.bootstrapToken.caCertHashes: Invalid value: "": using token-based discovery without caCertHashes can be unsafe."#
        ))
    let noPort = await kubeadm(
      "join", "10.0.0.10", "--token", "abcdef.0123456789abcdef", "--discovery-token-ca-cert-hash",
      hash, root: root)
    #expect(
      noPort.err.hasPrefix(
        #"discovery.bootstrapToken.apiServerEndpoint: Invalid value: "10.0.0.10": address 10.0.0.10: missing port in address"#
      ))
    let badKey = await kubeadm(
      "join", "10.0.0.10:6443", "--token", "abcdef.0123456789abcdef",
      "--discovery-token-ca-cert-hash", hash,
      "--control-plane", "--certificate-key", "nothex", root: root)
    #expect(badKey.status == 3)
    #expect(
      badKey.err.hasPrefix(
        #"controlPlane.certificateKey: Invalid value: "nothex": certificate key decoding error: encoding/hex: invalid byte: U+006E 'n'"#
      ))
    // A worker ignores --certificate-key, as kubeadm does: it goes on to discovery (nothing
    // answers on 127.0.0.1:9).
    let worker = await kubeadm(
      "join", "127.0.0.1:9", "--token", "abcdef.0123456789abcdef",
      "--discovery-token-ca-cert-hash", hash,
      "--certificate-key", "nothex", root: root)
    #expect(worker.status == 1)
    #expect(
      worker.err.hasPrefix(
        "error execution phase preflight: couldn't validate the identity of the API Server: "
          + "failed to request the cluster-info ConfigMap: Get \"https://127.0.0.1:9/api/v1/"
          + "namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp 127.0.0.1:9: "
          + "connect: connection refused\n"), "\(worker.err)")
    let two = await kubeadm("join", "a:1", "b:2", root: root)
    #expect(two.err == "accepts at most 1 arg(s), received 2\n" + hint)
  }

  @Test func tokenCreateChecksItsArguments() async throws {
    let root = try KubeadmRoot()
    // kubeadm checks --certificate-key against --print-join-command only after creating the
    // token: without admin.conf, the client's error comes first.
    let keyAlone = await kubeadm(
      "token", "create", "--certificate-key", CertificateKey.generate().text, root: root)
    #expect(
      keyAlone.status == 1 && keyAlone.err.hasPrefix("failed to load admin kubeconfig: "))
    let badToken = await kubeadm("token", "create", "nope", root: root)
    #expect(badToken.err == BootstrapToken.formatError("nope") + "\n" + hint)
    // Valid, but no admin.conf on this node: kubeadm's error, exit status 1.
    let fine = await kubeadm("token", "create", "--print-join-command", "--ttl", "2h", root: root)
    #expect(fine.status == 1)
    #expect(
      fine.err
        == "failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\n"
        + hint)
    let list = await kubeadm("token", "list", root: root)
    #expect(list.status == 1 && list.err.hasPrefix("failed to load admin kubeconfig: "))
    let delete = await kubeadm("token", "delete", root: root)
    #expect(
      delete.status == 1
        && delete.err.hasPrefix("missing argument; 'token delete' is missing token of form"))
    // The client comes before the arguments are read, as in kubeadm's command.
    let badID = await kubeadm("token", "delete", "ABC", root: root)
    #expect(badID.status == 1 && badID.err.hasPrefix("failed to load admin kubeconfig: "))
  }

  /// With admin.conf naming an address where nothing listens, the token commands and
  /// upload-certs fail with kubeadm's wording around client-go's dial error, exit status 1
  /// (token.go: `failed to list bootstrap tokens`, `failed to delete bootstrap token %q`).
  @Test func tokenCommandsReportAnUnreachableAPIServer() async throws {
    let root = try KubeadmRoot()
    let address = "127.0.0.149"
    let certs = await kubeadm("init", "phase", "certs", "all", root: root, address: address)
    let admin = await kubeadm("init", "phase", "kubeconfig", "admin", root: root, address: address)
    #expect(certs.status == 0 && admin.status == 0, "\(certs.err)\(admin.err)")
    let server = "https://\(address):6443"
    let refused = "dial tcp \(address):6443: connect: connection refused"
    let list = await kubeadm("token", "list", root: root)
    #expect(list.status == 1 && list.out.isEmpty)
    #expect(
      list.err
        == "failed to list bootstrap tokens: Get \"\(server)/api/v1/namespaces/kube-system/secrets?fieldSelector=type%3Dbootstrap.kubernetes.io%2Ftoken\": \(refused)\n"
        + hint)
    let delete = await kubeadm("token", "delete", "abcdef", root: root)
    #expect(
      delete.status == 1
        && delete.err
          == "failed to delete bootstrap token \"abcdef\": Delete \"\(server)/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef\": \(refused)\n"
          + hint
    )
    let create = await kubeadm("token", "create", "abcdef.0123456789abcdef", root: root)
    #expect(create.status == 1 && create.out.isEmpty)
    #expect(
      create.err.hasPrefix(
        "failed to create or update bootstrap token with name bootstrap-token-abcdef: "),
      "\(create.err)")
    #expect(create.err.contains(refused) && !create.err.contains("0123456789abcdef"))
    let upload = await kubeadm("init", "phase", "upload-certs", "--upload-certs", root: root)
    // copycerts.go prints its Storing line before the work.
    #expect(upload.status == 1 && upload.out == UploadCertsText.uploaded(key: "")[0] + "\n")
    #expect(
      upload.err.hasPrefix(
        "error execution phase upload-certs: error uploading certs: error creating token: "
          + "failed to create or update bootstrap token with name bootstrap-token-"),
      "\(upload.err)")
    #expect(upload.err.contains(refused))
  }

  @Test func phaseCertsWritesThePKIAndReportsAMissingCA() async throws {
    let root = try KubeadmRoot()
    let missing = await kubeadm("init", "phase", "certs", "etcd-server", root: root)
    #expect(missing.status == 1)
    #expect(
      missing.err
        == "error execution phase certs/etcd-server: couldn't load CA certificate etcd-ca: couldn't load the "
        + "certificate file /etc/kubernetes/pki/etcd/ca.crt: open /etc/kubernetes/pki/etcd/ca.crt: no such file or directory\n"
        + hint)
    let ca = await kubeadm("init", "phase", "certs", "etcd-ca", root: root)
    #expect(ca.status == 0 && ca.out == "[certs] Generating \"etcd/ca\" certificate and key\n")
    let all = await kubeadm(
      "init", "phase", "certs", "all", "--control-plane-endpoint", "lb.lab:6443", root: root)
    #expect(all.status == 0, "\(all.err)")
    let lines = all.out.split(separator: "\n").map(String.init)
    #expect(lines.first == #"[certs] Using certificateDir folder "/etc/kubernetes/pki""#)
    #expect(lines.contains("[certs] Using existing etcd/ca certificate authority"))
    #expect(lines.contains(#"[certs] Generating "apiserver" certificate and key"#))
    #expect(try root.mode("/etc/kubernetes/pki/apiserver.key") == 0o600)
    let kubeconfig = await kubeadm("init", "phase", "kubeconfig", "admin", root: root)
    #expect(kubeconfig.out == "[kubeconfig] Writing \"admin.conf\" kubeconfig file\n")
    let upload = await kubeadm("init", "phase", "upload-certs", root: root)
    #expect(upload.status == 0 && upload.out == UploadCertsText.skipped + "\n")
  }

  @Test func theExternalEtcdRecipeRunsItsPhases() async throws {
    // setup-ha-etcd-with-kubeadm.en.md: etcd-ca once, then each member's certificates and
    // manifest from its own config file.
    let root = try KubeadmRoot()
    let config = root.path + "/kubeadmcfg.yaml"
    try """
    apiVersion: "kubeadm.k8s.io/v1beta4"
    kind: InitConfiguration
    nodeRegistration:
        name: infra1
    localAPIEndpoint:
        advertiseAddress: 10.0.0.7
    ---
    apiVersion: "kubeadm.k8s.io/v1beta4"
    kind: ClusterConfiguration
    etcd:
        local:
            serverCertSANs:
            - "10.0.0.7"
            peerCertSANs:
            - "10.0.0.7"
    """.write(toFile: config, atomically: true, encoding: .utf8)
    #expect(
      await kubeadm("init", "phase", "certs", "etcd-ca", root: root, address: "10.0.0.6").status
        == 0)
    for phase in ["etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client"] {
      let result = await kubeadm(
        "init", "phase", "certs", phase, "--config=\(config)", root: root, address: nil)
      #expect(result.status == 0, "\(phase): \(result.err)")
    }
    let server = root.real("/etc/kubernetes/pki/etcd/server.crt")
    let sans = OpenSSL.field(try OpenSSL.text(server), after: "X509v3 Subject Alternative Name")
    #expect(
      sans?.hasPrefix("DNS:infra1, DNS:localhost, IP Address:10.0.0.7, IP Address:127.0.0.1")
        == true)
    let etcd = await kubeadm(
      "init", "phase", "etcd", "local", "--config=\(config)", root: root, address: nil)
    #expect(
      etcd.out
        == "[etcd] Creating static Pod manifest for local etcd in \"/etc/kubernetes/manifests\"\n")
    #expect(try root.text("/etc/kubernetes/manifests/etcd.yaml").contains("    - --name=infra1\n"))
    let unreadable = await kubeadm(
      "init", "phase", "etcd", "local", "--config=/nonexistent.yaml", root: root)
    #expect(
      unreadable.err
        == #"unable to read config from "/nonexistent.yaml" : open /nonexistent.yaml: no such file or directory"#
        + "\n" + hint)
  }
}
