import Foundation
import Remote

/// The lab's keys: the client key (ed25519) authorized on every host, one host key per host
/// (kept across restarts, so known_hosts stays right), and the known_hosts file listing them.
enum LabKeys {
  /// Makes the client key and `authorized_keys` unless they exist.
  static func ensureClientKey(_ files: LabFiles) throws {
    if !FileManager.default.fileExists(atPath: files.clientKey) {
      try generate(files.clientKey, comment: "haflow-lab-client")
    }
    let line = try publicKey(files.clientKey + ".pub")
    try LabFiles.write(line + " haflow-lab-client\n", to: files.authorizedKeys, mode: 0o644)
  }

  /// Makes a host's ed25519 key unless it exists.
  static func ensureHostKey(_ path: String, host: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
      try generate(path, comment: "haflow-lab-\(host)")
    }
  }

  /// Writes known_hosts: one plain line per host (`[address]:port` or the bare address for
  /// port 22, as OpenSSH records them).
  static func writeKnownHosts(_ state: LabState, _ files: LabFiles) throws {
    var text = "# haflow lab host keys, written by `haflow lab up`\n"
    for host in state.hosts {
      let key = try publicKey(files.hostKey(host.name) + ".pub")
      text += KnownHosts.entryName(address: host.address, port: host.port) + " " + key + "\n"
    }
    try LabFiles.write(text, to: files.knownHosts, mode: 0o644)
  }

  /// `type base64` of a public key file.
  static func publicKey(_ path: String) throws -> String {
    guard let text = LabFiles.read(path) else { throw LabError("cannot read \(path)") }
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    guard fields.count >= 2 else { throw LabError("\(path) is not a public key") }
    return fields.prefix(2).joined(separator: " ")
  }

  private static func generate(_ path: String, comment: String) throws {
    try? FileManager.default.removeItem(atPath: path + ".pub")
    try LabSpawn.check(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path])
  }
}
