import CLibSSH2
import Crypto
import Foundation

/// The known_hosts file as one connection sees it: read into libssh2's known-host list line by
/// line (a line libssh2 cannot parse, such as `@cert-authority`, is skipped instead of
/// discarding the rest of the file), with `@revoked` keys kept aside.
///
/// Entries are looked up under the name OpenSSH writes: `address` for port 22, otherwise
/// `[address]:port`; hashed (`|1|…`) and plain entries both match.
public final class KnownHosts {
  /// The file new keys are recorded in (the first of `UserKnownHostsFile`).
  let path: String
  /// Record new keys under a hashed name (`HashKnownHosts yes`).
  let hashNewEntries: Bool
  private let list: OpaquePointer
  private var revoked: Set<String> = []

  /// Reads `path` (a missing file is an empty list) for `session`.
  convenience init(session: OpaquePointer, path: String) throws {
    try self.init(session: session, paths: [path], hashNewEntries: false)
  }

  /// Reads every file of `paths` (missing ones are empty) for `session`; new keys go to the
  /// first, hashed when `hashNewEntries`.
  init(session: OpaquePointer, paths: [String], hashNewEntries: Bool) throws {
    guard let list = libssh2_knownhost_init(session) else {
      throw RemoteError("could not allocate the known-hosts list")
    }
    self.list = list
    self.path = paths.first ?? ""
    self.hashNewEntries = hashNewEntries
    for path in paths { read(path) }
  }

  /// Feeds each entry line of `path` to libssh2 and notes `@revoked` keys. Works on the file's
  /// bytes (a connection reads the whole file, so with hundreds of hosts Foundation's trimming
  /// and per-line strings were 4% of haflow's CPU in a 200-host profile).
  private func read(_ path: String) {
    guard let data = FileManager.default.contents(atPath: path) else { return }
    let bytes = [UInt8](data)
    for var line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
      while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
      while let last = line.last, last == 0x20 || last == 0x09 { line = line.dropLast() }
      guard let first = line.first, first != UInt8(ascii: "#") else { continue }
      if first == UInt8(ascii: "@") {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("@revoked") {
          let fields = text.split(whereSeparator: \.isWhitespace)
          if fields.count >= 4 { revoked.insert(String(fields[3])) }
        }
        continue
      }
      // NUL-terminated, as libssh2's own file reader passes its lines.
      let entry = Array(line) + [0]
      entry.withUnsafeBytes { raw in
        _ = libssh2_knownhost_readline(
          list, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count - 1,
          LIBSSH2_KNOWNHOST_FILE_OPENSSH)
      }
    }
  }

  deinit { libssh2_knownhost_free(list) }

  /// The name a host is recorded under: `address`, or `[address]:port` when the port is not 22.
  public static func entryName(address: String, port: Int) -> String {
    port == 22 ? address : "[\(address)]:\(port)"
  }

  /// The key types recorded for `name`, in haflow's preference order.
  func recordedTypes(for name: String) -> [HostKeyType] {
    let probe: [UInt8] = [0]
    return HostKeyType.preferred.filter { type in
      let mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | type.knownHostBits
      let status = probe.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
          libssh2_knownhost_check(list, name, chars.baseAddress, 1, mask, nil)
        }
      }
      return status == LIBSSH2_KNOWNHOST_CHECK_MISMATCH
    }
  }

  /// Makes the handshake negotiate a key type already recorded for `name` first (otherwise a
  /// host known by its RSA key could present its Ed25519 key and look unknown).
  func preferRecordedTypes(for name: String, session: OpaquePointer) {
    let recorded = recordedTypes(for: name)
    let order = recorded + HostKeyType.preferred.filter { !recorded.contains($0) }
    let algorithms = order.flatMap(\.algorithms).joined(separator: ",")
    _ = libssh2_session_method_pref(session, LIBSSH2_METHOD_HOSTKEY, algorithms)
  }

  /// What the lookup of a presented key found.
  enum Lookup {
    /// The key is recorded for this name.
    case match
    /// Nothing is recorded for this name and key type.
    case unknown
    /// A different key of this type is recorded; its fingerprint.
    case changed(recordedType: HostKeyType?, recordedFingerprint: String)
    /// The key is listed as `@revoked`.
    case revoked
  }

  /// Looks up the key `blob` of `type` under `name`.
  func lookup(name: String, type: HostKeyType, blob: [UInt8]) throws -> Lookup {
    if revoked.contains(Data(blob).base64EncodedString()) { return .revoked }
    let mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | type.knownHostBits
    var entry: UnsafeMutablePointer<libssh2_knownhost>?
    let status = blob.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { chars in
        libssh2_knownhost_check(list, name, chars.baseAddress, chars.count, mask, &entry)
      }
    }
    switch status {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return .match
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      let key = entry?.pointee.key.map { String(cString: $0) } ?? ""
      return .changed(
        recordedType: entry.flatMap { HostKeyType.fromKnownHost($0.pointee.typemask) },
        recordedFingerprint: Fingerprint.sha256(base64: key) ?? "(unreadable key)")
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      return .unknown
    default:
      throw RemoteError("could not check the host key against \(path)")
    }
  }

  /// The name as `HashKnownHosts yes` writes it: `|1|` base64 of a random 20-byte salt, `|`,
  /// base64 of HMAC-SHA1 of the name keyed with the salt.
  static func hashedName(_ name: String, salt: [UInt8]) -> String {
    let mac = HMAC<Insecure.SHA1>.authenticationCode(
      for: Array(name.utf8), using: SymmetricKey(data: salt))
    return "|1|\(Data(salt).base64EncodedString())|\(Data(mac).base64EncodedString())"
  }

  /// Appends `name type base64` (the name hashed with `hashNewEntries`) to the file (creating it 0600, and its directory 0700). One
  /// `write` with `O_APPEND`, so parallel connections never interleave their lines.
  func append(name: String, type: HostKeyType, blob: [UInt8]) throws {
    let directory = (path as NSString).deletingLastPathComponent
    if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
      try? FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    }
    var salt = [UInt8](repeating: 0, count: 20)
    for index in salt.indices { salt[index] = UInt8.random(in: 0...255) }
    let recordedName = hashNewEntries ? Self.hashedName(name, salt: salt) : name
    var line = "\(recordedName) \(type.name) \(Data(blob).base64EncodedString())\n"
    if let existing = FileManager.default.contents(atPath: path), let last = existing.last,
      last != 0x0A
    {
      line = "\n" + line
    }
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw RemoteError(
        "could not record the host key in \(path): \(TCPConnector.describe(errno))")
    }
    defer { Platform.closeDescriptor(fd) }
    let written = line.utf8CString.withUnsafeBufferPointer { buffer in
      write(fd, buffer.baseAddress, buffer.count - 1)
    }
    guard written == line.utf8.count else {
      throw RemoteError(
        "could not record the host key in \(path): \(TCPConnector.describe(errno))")
    }
  }
}
