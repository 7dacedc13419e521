import Crypto
import Foundation
import TestSupport
import Testing

@testable import Remote

@Suite struct SSHUnitTests {
  @Test func sha256MatchesKnownVectors() {
    #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      SHA256.hex(Array("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    // Fed in odd-sized pieces, the digest is the same.
    var digest = SHA256()
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
    var offset = 0
    for size in [1, 63, 64, 65, 7, 300, 500] {
      digest.update(Array(bytes[offset..<offset + size]))
      offset += size
    }
    #expect(digest.finalizeHex() == SHA256.hex(bytes))
  }

  @Test func fingerprintsLookLikeOpenSSH() {
    #expect(Fingerprint.sha256([]) == "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
  }

  @Test func remoteCommandWrapsSudoEnvironmentAndDirectory() {
    let plain = RemoteCommand(ShellCommand(script: "echo hi"), user: "ops")
    #expect(plain.text == "exec /bin/sh -c 'echo $$\necho hi'")
    #expect(!plain.usesSudo)
    let full = RemoteCommand(
      ShellCommand(script: "make", sudo: true, environment: ["A": "x y"], directory: "/srv"),
      user: "ops")
    #expect(full.usesSudo)
    #expect(
      full.text
        == "exec /bin/sh -c 'echo $$\nexec sudo -n -- env '\\''A=x y'\\'' /bin/sh -c '\\''cd -- /srv || exit\nmake'\\'''"
    )
    let root = RemoteCommand(ShellCommand(script: "id", sudo: true), user: "root")
    #expect(!root.usesSudo)
    #expect(
      RemoteCommand.kill(signal: "TERM", group: 42, sudo: .none).text
        == "kill -s TERM -- -42 2>/dev/null")
    #expect(
      RemoteCommand.kill(signal: "KILL", group: 42, sudo: .nonInteractive).text
        == "sudo -n kill -s KILL -- -42 2>/dev/null")
    let withPassword = RemoteCommand.kill(
      signal: "TERM", group: 7, sudo: .password("pw"))
    #expect(withPassword.text == "sudo -S -p '' kill -s TERM -- -7 2>/dev/null")
    #expect(withPassword.stdin == Array("pw\n".utf8))
  }

  @Test func processIDLineIsStripped() {
    var line = ProcessIDLine()
    #expect(line.strip(Array("12".utf8)) == [])
    #expect(line.group == nil)
    #expect(line.strip(Array("34\nhello".utf8)) == Array("hello".utf8))
    #expect(line.group == 1234)
    #expect(line.strip(Array("\nmore".utf8)) == Array("\nmore".utf8))
  }

  @Test func knownHostsNames() {
    #expect(KnownHosts.entryName(address: "10.0.0.1", port: 22) == "10.0.0.1")
    #expect(KnownHosts.entryName(address: "10.0.0.1", port: 2222) == "[10.0.0.1]:2222")
    #expect(RemotePath.parent(of: "/etc/kubernetes/pki/ca.key") == "/etc/kubernetes/pki")
    #expect(RemotePath.parent(of: "/ca.key") == "/")
    #expect(RemotePath.parent(of: "ca.key") == ".")
    #expect(RemotePath.temporary(beside: "/a/b.txt").hasPrefix("/a/.b.txt.haflow-"))
  }

  @Test func identityFileKinds() throws {
    let base = NSTemporaryDirectory() + "haflow-keys-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: base) }
    try Shell.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", base + "/rsa")
    try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", base + "/ed")
    try Shell.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pw", "-f", base + "/locked")
    try Shell.run("ssh-keygen", "-q", "-t", "rsa", "-m", "PEM", "-N", "", "-f", base + "/pem")
    #expect(IdentityFile.isRSA(base + "/rsa"))
    #expect(IdentityFile.isRSA(base + "/pem"))
    #expect(!IdentityFile.isRSA(base + "/ed"))
    #expect(IdentityFile.isEncrypted(base + "/locked"))
    #expect(!IdentityFile.isEncrypted(base + "/ed"))
    #expect(!IdentityFile.isEncrypted(base + "/pem"))
  }

  @Test func signalNames() {
    #expect(SignalNames.number("TERM") == 15)
    #expect(SignalNames.number("SIGKILL") == 9)
    #expect(SignalNames.number("WEIRD") == 0)
  }
}

extension String {
  /// Bytes of a hex string.
  var hexBytes: [UInt8] {
    var out: [UInt8] = []
    var index = startIndex
    while index < endIndex {
      let next = self.index(index, offsetBy: 2)
      out.append(UInt8(self[index..<next], radix: 16) ?? 0)
      index = next
    }
    return out
  }
}
