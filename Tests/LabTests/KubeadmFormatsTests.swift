import Foundation
import Testing

@testable import Lab

/// Bootstrap tokens, certificate keys, discovery hashes and Go's text formats
/// (FORMATS.md §1–3).
@Suite struct KubeadmFormatsTests {
  @Test func tokensAreSixDotSixteenOfLowercaseAlphanumerics() async throws {
    let pattern = try Regex("^[a-z0-9]{6}\\.[a-z0-9]{16}$")
    var ids = Set<String>()
    for _ in 0..<200 {
      let token = BootstrapToken.generate()
      #expect(token.description.wholeMatch(of: pattern) != nil, "\(token)")
      #expect(BootstrapToken(token.description) == token)
      ids.insert(token.id)
    }
    #expect(ids.count > 190, "ids repeat: the generator is not random")
    #expect(BootstrapToken("abcdef.0123456789abcdef")?.secretName == "bootstrap-token-abcdef")
    for bad in [
      "", "abcdef", "abcdef.0123456789abcde", "ABCDEF.0123456789abcdef", "abcdef:0123456789abcdef",
      "abcdef.0123456789abcdef.", "abcdé.0123456789abcdef", " abcdef.0123456789abcdef",
    ] {
      #expect(BootstrapToken(bad) == nil, "\(bad) accepted")
    }
  }

  @Test func publishedTokensParse() async throws {
    // outputs/tokencreate-05.txt (kubeadm >= v1.21) and the HA guide's sample join command.
    let line = try #require(
      try KubeadmFixtures.output("tokencreate-05.txt").first { $0.hasPrefix("kubeadm join") })
    let words = line.split(separator: " ").map(String.init)
    let token = try #require(words.firstIndex(of: "--token").map { words[$0 + 1] })
    #expect(BootstrapToken(token)?.id == "tqrvur")
    #expect(BootstrapToken("9vr73a.a8uxyaju799qwdjv") != nil)
  }

  @Test func tokenErrorIsKubeadms() async throws {
    #expect(
      BootstrapToken.formatError("bad")
        == #"the bootstrap token "bad" was not of the form "\\A([a-z0-9]{6})\\.([a-z0-9]{16})\\z""#)
  }

  @Test func certificateKeysAreThirtyTwoBytesOfHex() async throws {
    let key = CertificateKey.generate()
    #expect(key.text.count == 64 && key.bytes.count == 32)
    #expect(key.text == key.text.lowercased())
    #expect(CertificateKey(key.text)?.bytes == key.bytes)
    #expect(CertificateKey.generate() != key)
    // outputs/certkey-01.txt: `kubeadm certs certificate-key` printed a bare key.
    let published = try #require(try KubeadmFixtures.output("certkey-01.txt").last)
    #expect(CertificateKey(published) != nil)
    #expect(CertificateKey.validationError(published, field: "certificateKey") == nil)
    // Upper case decodes (Go's hex does), the wrong length does not.
    #expect(CertificateKey(published.uppercased()) != nil)
    #expect(CertificateKey(String(published.dropLast(2))) == nil)
  }

  @Test func certificateKeyErrorsAreKubeadms() async throws {
    #expect(
      CertificateKey.validationError("xyz", field: "certificateKey")
        == #"certificateKey: Invalid value: "xyz": certificate key decoding error: encoding/hex: invalid byte: U+0078 'x'"#
    )
    #expect(
      CertificateKey.validationError("abc", field: "certificateKey")
        == #"certificateKey: Invalid value: "abc": certificate key decoding error: encoding/hex: odd length hex string"#
    )
    #expect(
      CertificateKey.validationError("abcd", field: "controlPlane.certificateKey")
        == #"controlPlane.certificateKey: Invalid value: "abcd": invalid certificate key size 2, the key must be an AES key of size 32"#
    )
    // Go reports a bad last digit of an odd-length key as a bad byte, not a bad length.
    #expect(GoHex.decode("abg") == .failure(.invalid("g")))
    #expect(CertificateKey.validationError("", field: "certificateKey") == nil)
  }

  @Test func discoveryHashIsTheSHA256OfTheCASubjectPublicKeyInfo() async throws {
    let root = try KubeadmRoot()
    let ca = try await offPool {
      try CertificateFactory(now: KubeadmFixtures.now).makeCA(commonName: "kubernetes")
    }
    let path = root.path + "/ca.crt"
    try ca.certificatePEM().write(toFile: path, atomically: true, encoding: .utf8)
    let hash = try DiscoveryHash.of(certificatePEM: try ca.certificatePEM())
    #expect(DiscoveryHash.isCanonical(hash))
    #expect(try ca.discoveryHash() == hash)
    // The docs' recipe: openssl x509 -pubkey | openssl rsa -pubin -outform der | sha256.
    let publicKey = try OpenSSL.run(["x509", "-pubkey", "-noout", "-in", path])
    let der = root.path + "/spki.der"
    let converted = try OpenSSL.run(
      ["pkey", "-pubin", "-outform", "der", "-out", der], input: publicKey.output)
    #expect(converted.status == 0, "\(converted.output)")
    let digest = try OpenSSL.run(["dgst", "-sha256", "-hex", der])
    let hex = try #require(digest.output.split(separator: " ").last).trimmingCharacters(
      in: .whitespacesAndNewlines)
    #expect(hash == "sha256:" + hex)
    // Published hashes have the same shape (outputs/tokencreate-05.txt).
    let line = try #require(
      try KubeadmFixtures.output("tokencreate-05.txt").first { $0.hasPrefix("kubeadm join") })
    let published = try #require(line.split(separator: " ").first { $0.hasPrefix("sha256:") })
    #expect(DiscoveryHash.isCanonical(String(published)))
  }

  @Test func pinsAreCheckedWithKubeadmsMessages() async throws {
    let good = "sha256:" + String(repeating: "ab", count: 32)
    var pins = try DiscoveryHashPins([good, "SHA256:" + String(repeating: "CD", count: 32)])
    #expect(pins.sha256.count == 2)
    #expect(pins.mismatch(actual: [good]) == nil)
    #expect(pins.mismatch(actual: ["sha256:" + String(repeating: "cd", count: 32)]) == nil)
    let other = "sha256:" + String(repeating: "00", count: 32)
    #expect(pins.mismatch(actual: [other]) == "none of the public keys \"\(other)\" are pinned")
    #expect(throws: KubeadmError("unknown hash format \"md5\". Known format(s) are: sha256")) {
      try pins.allow("md5:abcd")
    }
    #expect(
      throws: KubeadmError(
        #"invalid hash, expected "format:hex-value". Known format(s) are: sha256"#)
    ) {
      try pins.allow("abcd")
    }
    #expect(
      throws: KubeadmError(
        #"invalid hash "sha256:abcd", expected a 32 byte SHA-256 hash, found 2 bytes"#)
    ) { try pins.allow("sha256:abcd") }
    let notHex = "sha256:" + String(repeating: "zz", count: 32)
    #expect(
      throws: KubeadmError(
        "invalid hash \"\(notHex)\", could not decode SHA-256 from hex: encoding/hex: invalid byte: U+007A 'z'"
      )
    ) { try pins.allow(notHex) }
  }

  @Test func goDurationsParseAndPrintAsGoDoes() async throws {
    #expect(try GoDuration.parse("2h").get() == 7200)
    #expect(try GoDuration.parse("1h30m").get() == 5400)
    #expect(try GoDuration.parse("1.5s").get() == 1.5)
    #expect(try GoDuration.parse("0").get() == 0)
    #expect(try GoDuration.parse("8760h0m0s").get() == 365 * 24 * 3600)
    #expect(GoDuration.parse("abc") == .failure(KubeadmError(#"time: invalid duration "abc""#)))
    #expect(
      GoDuration.parse("10") == .failure(KubeadmError(#"time: missing unit in duration "10""#)))
    #expect(
      GoDuration.parse("1d") == .failure(KubeadmError(#"time: unknown unit "d" in duration "1d""#)))
    #expect(GoDuration.format(240) == "4m0s")
    #expect(GoDuration.format(40) == "40s")
    #expect(GoDuration.format(86400) == "24h0m0s")
    #expect(GoDuration.format(12.501387894) == "12.501387894s")
    #expect(GoDuration.format(0.501761616) == "501.761616ms")
    #expect(GoDuration.format(0) == "0s")
  }

  @Test func releasesAndTheirVersionLines() async throws {
    // LAB-FIDELITY.md §3.5, the real `kubeadm version` samples.
    #expect(
      KubeadmRelease.v131.versionLine
        == #"kubeadm version: &version.Info{Major:"1", Minor:"31", GitVersion:"v1.31.0", GitCommit:"9edcffcde5595e8a5b1a35f88c421764e575afce", GitTreeState:"clean", BuildDate:"2024-08-13T07:35:57Z", GoVersion:"go1.22.5", Compiler:"gc", Platform:"linux/amd64"}"#
        + "\n")
    #expect(
      KubeadmRelease.v132.versionLine
        == #"kubeadm version: &version.Info{Major:"1", Minor:"32", GitVersion:"v1.32.0", GitCommit:"70d3cc986aa8221cd1dfb1121852688902d3bf53", GitTreeState:"clean", BuildDate:"2024-12-11T18:04:20Z", GoVersion:"go1.23.3", Compiler:"gc", Platform:"linux/amd64"}"#
        + "\n")
    #expect(KubeadmRelease.from(environment: [:]) == .v132)
    #expect(KubeadmRelease.from(environment: ["HAFLOW_KUBEADM_VERSION": "v1.31.0"]) == .v131)
    #expect(KubeadmRelease.from(environment: ["HAFLOW_KUBEADM_VERSION": "1.32"]) == .v132)
    #expect(KubeadmRelease.from(environment: ["HAFLOW_KUBEADM_VERSION": "v1.33.0"]) == nil)
  }
}
