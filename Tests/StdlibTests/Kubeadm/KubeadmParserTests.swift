import Testing

@testable import Stdlib

/// `kubeadm.parse_init`, `parse_join_command` and `parse_upload_certs` on every output
/// published in the kubeadm reference (each case names its file; the file's `# source:` line
/// names where it was published) and on init transcripts of every layout since v1.13.
@Suite struct KubeadmParserTests {
  typealias Parser = KubeadmOutputParser

  /// What reading a published output must give.
  enum Expected: Sendable {
    /// A join: endpoint, token, hash, control plane, certificate key.
    case join(String, String, String, cp: Bool = false, key: String? = nil)
    /// A certificate key.
    case key(String)
    /// An error whose message contains the text.
    case error(String)
  }

  /// `parse_join_command` on each published output.
  static let joinCommands: [(file: String, expected: Expected)] = [
    // CollegeBoreal data-plane.md, v1.18: a worker join typed at a prompt.
    (
      "join-01.txt",
      .join(
        "betelgeuse.boreal.codes:6443", "2pje0m.xl8voke0wisjymvp",
        "sha256:27c4b80df3d468bfe13517750a265bb3a3c560871e1bf177cafb323070b7b4a6")
    ),
    // kubernetes/kubernetes#80483: `kubeadm join --config …` has no endpoint on its line.
    ("join-02.txt", .error("no API server endpoint")),
    // labring/sealos#1783: sealos' "exec kubeadm join in <host> failed" is no join command.
    ("join-03.txt", .error("unexpected")),
    // kubernetes/kubeadm#1510: a failed download-certs, no join command.
    ("join-04.txt", .error("failed: error execution phase control-plane-prepare/download-certs")),
    // kubernetes/kubeadm#668: the reporter redacted the token to "<redacted>".
    ("join-05.txt", .error("placeholder '<redacted>'")),
    // kubernetes-sigs/kind#2798: klog lines, no join command.
    ("join-06.txt", .error("no join command")),
    // kubernetes/kubeadm#1974: a "^C" pasted into the hash.
    ("join-07.txt", .error("is not sha256: and 64 hex digits")),
    // kubernetes/website#17453: one error line.
    ("join-08.txt", .error("kubeadm token create --print-join-command failed")),
    // kubermatic/kubeone#308: `kubeadm join --config=… --experimental-control-plane`.
    ("join-09.txt", .error("no API server endpoint")),
    // kubealex/libvirt-k8s-provisioner#93: Ansible JSON, the command as a list of words.
    ("join-10.txt", .error("no join command")),
    // kubernetes/kubeadm#2656: a preflight failure.
    ("join-11.txt", .error("failed: error execution phase preflight")),
    // CollegeBoreal kubeadm-join.md, v1.18: klog line, 5-space gap, trailing space.
    (
      "tokencreate-01.txt",
      .join(
        "orion.boreal.codes:6443", "zlt7nb.lpd06ao1kxf4uwgm",
        "sha256:3aa3fe1dd88a80e7ea9e76408dd166947a606b7bd0f1ad089454ccf9a80c2365")
    ),
    // joshrosso/octetz ha-kubeadm.md, v1.14: reformatted by hand over three indented lines.
    (
      "tokencreate-02.txt",
      .join(
        "192.168.122.170:6443", "xaw58o.0fjg0xp0ohpucwhr",
        "sha256:5efac16c86e5f2ed6b20c6dbcbf3a9daa5bf75aa604097dbf49fdc3d1fd5ff7d")
    ),
    // kubernetes/kubeadm#1974: the reporter replaced the key with "xxx".
    ("tokencreate-03.txt", .error("--certificate-key (3 characters) is not 64 hex digits")),
    // code-index file 32748729196, v1.14/15: 5-space gap.
    (
      "tokencreate-04.txt",
      .join(
        "172.31.182.156:8443", "ortvag.ra0654faci8y8903",
        "sha256:04755ff1aa88e7db283c85589bee31fabb7d32186612778e53a536a297fc9010")
    ),
    // code-index file 42685121752, ≥ v1.21: single spaces, trailing blanks, a blank line.
    (
      "tokencreate-05.txt",
      .join(
        "10.0.0.116:6443", "tqrvur.24yq5f7cx9hyrymi",
        "sha256:e32215ab5ecf730c9c4a5a24a2f486e273aa05fa7c6b05c16d5485c672b783a4")
    ),
    // kubernetes/website create-cluster-kubeadm.md: the docs' placeholders.
    (
      "init-docs-placeholders.txt",
      .error("placeholder '<control-plane-host>:<control-plane-port>'")
    ),
    // kubernetes/kubernetes#75420, v1.14.0 samples: the first join is a worker's.
    (
      "init-partial-20.txt",
      .join(
        "172.17.0.2:6443", "abcdef.0123456789abcdef",
        "sha256:4d170b1dfb24229319e0439a052b3cb56d02b152fc5903a4e4753e4fa76f8aca")
    ),
    // kubernetes/kubernetes#87229: init refused `--config` with `--certificate-key`.
    (
      "init-partial-21.txt",
      .error("failed: can not mix '--config' with arguments [certificate-key]")
    ),
  ]

  /// `parse_init` on the published init outputs (all cut short or failed: the reference has
  /// no complete one; the rendered transcripts below are).
  static let inits: [(file: String, expected: Expected)] = [
    // labring/sealos#1355: sealos' host prefix on every line, ends after a heading.
    ("init-partial-18.txt", .error("without its join command: it was cut short")),
    // tibordp/terraform-hcloud-dualstack-k8s#19: terraform's prefix, ends after a heading.
    ("init-partial-19.txt", .error("without its join command: it was cut short")),
    // kubernetes/kubernetes#75420: the second sample ends after "Then you can join…".
    ("init-partial-20.txt", .error("'Then you can join any number of worker nodes")),
    // kubernetes/kubernetes#87229.
    ("init-partial-21.txt", .error("kubeadm init failed: can not mix")),
    ("init-docs-placeholders.txt", .error("placeholder")),
    // code-index file 42685121752: `kubeadm certs certificate-key` prints no join.
    ("certkey-01.txt", .error("no join command: expected 'kubeadm join <host:port>")),
    ("join-08.txt", .error("kubeadm init failed")),
    // A worker join alone (print-join-command) is a complete init output's worker part.
    (
      "tokencreate-04.txt",
      .join(
        "172.31.182.156:8443", "ortvag.ra0654faci8y8903",
        "sha256:04755ff1aa88e7db283c85589bee31fabb7d32186612778e53a536a297fc9010")
    ),
  ]

  /// `parse_upload_certs` on each published output.
  static let uploads: [(file: String, expected: Expected)] = [
    // joshrosso/octetz, v1.14: indented 4 spaces as markdown code.
    (
      "uploadcerts-01.txt", .key("9555b74008f24687eb964bd90a164ecb5760a89481d9c55a77c129b7db438168")
    ),
    // code-index file 10668209388, ~v1.15: "in Secret".
    (
      "uploadcerts-02.txt", .key("cb61bd061072b9b305e59a2fcd39bf3edd027b1ecc380fff3adf8babfb212132")
    ),
    // code-index file 14997925685, v1.15: deprecated-flag line, no "Storing" line.
    (
      "uploadcerts-03.txt", .key("431cc4152d1368bf954e948662d8a31a0bf6162901e68d3b99ab3e9fb76e593e")
    ),
    // code-index file 32748729196, v1.14: the author's command and prompt before.
    (
      "uploadcerts-04.txt", .key("f8d1c027c01baef6985ddf24266641b7c64f9fd922b15a32fce40b6b4b21e47d")
    ),
    // code-index file 42685121752: `kubeadm certs certificate-key` prints the bare key.
    ("certkey-01.txt", .key("61be2eebdd1668dd023897477e799033f1c4c0494457e6dcfc1a5a92bfd03020")),
    ("join-01.txt", .error("no certificate key")),
  ]

  @Test func everyPublishedOutputIsCovered() throws {
    let covered = Set((Self.joinCommands + Self.inits + Self.uploads).map(\.file))
    for name in try KubeadmReference.outputNames() {
      #expect(covered.contains(name), "\(name) is no test case")
    }
  }

  @Test(arguments: joinCommands.indices)
  func joinCommandOfPublishedOutput(_ index: Int) throws {
    let (file, expected) = Self.joinCommands[index]
    let (text, source) = try KubeadmReference.output(file)
    #expect(!source.isEmpty)
    Self.check(file, expected) { () throws(KubeadmParseError) in
      try Parser.parseJoinCommand(text)
    }
  }

  @Test(arguments: inits.indices)
  func initOfPublishedOutput(_ index: Int) throws {
    let (file, expected) = Self.inits[index]
    let (text, _) = try KubeadmReference.output(file)
    Self.check(file, expected) { () throws(KubeadmParseError) in
      try Parser.parseInit(text).workerJoin
    }
  }

  @Test(arguments: uploads.indices)
  func uploadCertsOfPublishedOutput(_ index: Int) throws {
    let (file, expected) = Self.uploads[index]
    let (text, _) = try KubeadmReference.output(file)
    switch (expected, Result { () throws(KubeadmParseError) in try Parser.parseUploadCerts(text) })
    {
    case (.key(let key), .success(let found)): #expect(found == key, "\(file)")
    case (.error(let part), .failure(let error)):
      #expect(error.message.contains(part), "\(file): \(error.message)")
    case (_, let outcome): Issue.record("\(file): expected \(expected), got \(outcome)")
    }
  }

  static func check(
    _ file: String, _ expected: Expected,
    _ parse: () throws(KubeadmParseError) -> KubeadmJoinCommand
  ) {
    switch (expected, Result(catching: parse)) {
    case (.join(let endpoint, let token, let hash, let cp, let key), .success(let join)):
      #expect(join.endpoint == endpoint, "\(file)")
      #expect(join.token == token, "\(file)")
      #expect(join.caCertHashes == [hash], "\(file)")
      #expect(join.isControlPlane == cp, "\(file)")
      #expect(join.certificateKey == key, "\(file)")
      #expect(!join.line.contains("  ") && !join.line.contains("\\"), "\(file): \(join.line)")
    case (.error(let part), .failure(let error)):
      #expect(error.message.contains(part), "\(file): \(error.message)")
    case (_, let outcome): Issue.record("\(file): expected \(expected), got \(outcome)")
    }
  }

  // MARK: - Rendered transcripts

  @Test(arguments: InitTranscript.allCases)
  func initWithUploadedCertificates(_ layout: InitTranscript) throws {
    let parsed = try Parser.parseInit(layout.render())
    #expect(parsed.endpoint == InitTranscript.endpoint)
    #expect(parsed.token == InitTranscript.token)
    #expect(parsed.discoveryTokenCACertHash == InitTranscript.hash)
    #expect(parsed.workerJoin.isControlPlane == false)
    #expect(
      parsed.workerJoin.line
        == "kubeadm join \(InitTranscript.endpoint) --token \(InitTranscript.token) "
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash)")
    if layout == .v113 {
      #expect(parsed.controlPlaneJoin == nil)
      #expect(parsed.certificateKey == nil)
      return
    }
    #expect(parsed.certificateKey == InitTranscript.key)
    let flag = layout.experimental ? "--experimental-control-plane" : "--control-plane"
    #expect(
      parsed.controlPlaneJoin?.line
        == "kubeadm join \(InitTranscript.endpoint) --token \(InitTranscript.token) "
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash) \(flag) --certificate-key "
        + InitTranscript.key)
    #expect(
      parsed.controlPlaneJoin?.redactedLine
        == "kubeadm join \(InitTranscript.endpoint) --token <secret bootstrap-token> "
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash) \(flag) --certificate-key "
        + "<secret certificate-key>")
    #expect(parsed.controlPlaneJoin?.commandValue.shellText == parsed.controlPlaneJoin?.line)
  }

  @Test(arguments: InitTranscript.allCases)
  func initWithoutUploadedCertificates(_ layout: InitTranscript) throws {
    let parsed = try Parser.parseInit(layout.render(key: nil))
    #expect(parsed.certificateKey == nil)
    #expect(parsed.token == InitTranscript.token)
    if layout != .v113 {
      #expect(parsed.controlPlaneJoin?.isControlPlane == true)
      #expect(parsed.controlPlaneJoin?.certificateKey == nil)
    }
  }

  @Test(arguments: InitTranscript.allCases)
  func initWithoutControlPlaneEndpoint(_ layout: InitTranscript) throws {
    let parsed = try Parser.parseInit(layout.render(controlPlaneEndpoint: false))
    #expect(parsed.controlPlaneJoin == nil)
    #expect(parsed.workerJoin.token == InitTranscript.token)
  }

  /// Other tools' prefixes on every line (sealos, terraform), Windows line ends.
  @Test(arguments: [
    "172.16.112.205:22: ", "module.k8s.null_resource.cluster_bootstrap (remote-exec): ", "[cp1] ",
  ])
  func initBehindAnotherToolsPrefix(_ prefix: String) throws {
    let text = InitTranscript.v124.render().split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map { prefix + $0 }.joined(separator: "\r\n")
    let parsed = try Parser.parseInit(text)
    #expect(parsed.certificateKey == InitTranscript.key)
    #expect(
      parsed.controlPlaneJoin?.line.hasSuffix("--certificate-key \(InitTranscript.key)") == true)
    #expect(parsed.workerJoin.line.hasPrefix("kubeadm join "))
  }

  /// Cut anywhere, the output gives the whole join data or an error: never part of a join.
  @Test(arguments: [InitTranscript.v113, .v118, .v132])
  func initCutShortIsAnErrorNeverAPartialJoin(_ layout: InitTranscript) throws {
    let text = layout.render()
    let full = try Parser.parseInit(text)
    var errors = 0
    var cut = text.startIndex
    while cut < text.endIndex {
      switch Result(catching: { () throws(KubeadmParseError) in
        try Parser.parseInit(String(text[..<cut]))
      }) {
      case .success(let parsed):
        #expect(parsed == full, "cut at \(text.distance(from: text.startIndex, to: cut))")
      case .failure: errors += 1
      }
      cut = text.index(after: cut)
    }
    #expect(errors > 0)
    // The cut that drops only the last line's end still gives everything.
    #expect(try Parser.parseInit(text.trimmingTrailingNewline()) == full)
  }

  @Test func withheldValuesAreAnError() {
    let text =
      "kubeadm join lb:6443 --token <value withheld> \\\n\t--discovery-token-ca-cert-hash "
      + InitTranscript.hash + " "
    #expect(
      Result { () throws(KubeadmParseError) in try Parser.parseJoinCommand(text) }
        .failureMessage?.contains("--skip-token-print") == true)
  }

  @Test func initsOfTwoClustersDisagree() {
    let a = InitTranscript.v124.render()
    let b = InitTranscript.v124.render().replacingFirst(
      InitTranscript.hash, with: "sha256:" + String(repeating: "0", count: 64))
    // b's control-plane join has another hash than its worker join.
    do {
      _ = try Parser.parseInit(b)
      Issue.record("no error")
    } catch {
      #expect(
        error.message.contains("different CA cert hashs") || error.message.contains("different"))
    }
    #expect((try? Parser.parseInit(a)) != nil)
  }

  @Test func flagsInAnyOrderAndWithEquals() throws {
    let join = try Parser.parseJoinCommand(
      "sudo kubeadm join --experimental-control-plane --certificate-key=\(InitTranscript.key) "
        + "--token=\(InitTranscript.token) [fd00::10]:6443 --node-name cp2 "
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash) "
        + "--discovery-token-ca-cert-hash sha256:\(String(repeating: "a", count: 64))")
    #expect(join.endpoint == "[fd00::10]:6443")
    #expect(join.token == InitTranscript.token)
    #expect(join.certificateKey == InitTranscript.key)
    #expect(join.isControlPlane)
    #expect(join.caCertHashes.count == 2)
    #expect(join.redactedLine.contains("--token=<secret bootstrap-token>"))
    #expect(join.redactedLine.contains("'[fd00::10]:6443'"))
  }

  /// A command pasted from a web page: no-break spaces between the words.
  @Test func noBreakSpacesSeparateWords() throws {
    let join = try Parser.parseJoinCommand(
      "kubeadm join lb:6443\u{00A0}--token \(InitTranscript.token)\u{00A0}\u{00A0}"
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash)")
    #expect(
      join.line == "kubeadm join lb:6443 --token \(InitTranscript.token) "
        + "--discovery-token-ca-cert-hash \(InitTranscript.hash)")
  }

  @Test func endpoints() {
    for good in ["10.0.0.1:6443", "lb.example.com:443", "[::1]:6443", "a:1"] {
      #expect(KubeadmJoinCommand.looksLikeEndpoint(good), "\(good)")
    }
    for bad in [
      "10.0.0.1", ":6443", "lb:0", "lb:65536", "lb:64x3", "::1:6443", "[::1]", "a b:1", "lb:",
    ] {
      #expect(!KubeadmJoinCommand.looksLikeEndpoint(bad), "\(bad)")
    }
  }
}

extension Result where Failure == KubeadmParseError {
  /// The error's message, nil on success.
  var failureMessage: String? {
    if case .failure(let error) = self { return error.message }
    return nil
  }
}

extension String {
  fileprivate func trimmingTrailingNewline() -> String {
    var copy = self
    while copy.last == "\n" { copy.removeLast() }
    return copy
  }

  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = firstRange(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
