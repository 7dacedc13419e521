import CLibSSH2

/// Checks the key a server presented during the handshake against known_hosts: a known key
/// passes, an unknown one stops the connection unless new keys are accepted (then it is
/// recorded), and a changed or revoked one always stops it, naming both fingerprints.
struct HostKeyVerifier {
  /// The known_hosts contents.
  let knownHosts: KnownHosts
  /// The known_hosts entry name (`address` or `[address]:port`).
  let entryName: String
  /// How the host is named in messages, `cp1 (10.0.0.1:22)`.
  let label: String
  /// The host's inventory name, for errors.
  let hostName: String
  /// What to do with an unknown or changed key.
  let policy: HostKeyPolicy

  /// What happened, for the caller to log.
  enum Outcome: Equatable {
    /// The key was already known.
    case known
    /// The key was new and has been recorded; its description.
    case recorded(String)
    /// The key had CHANGED and was let through (`StrictHostKeyChecking no`); the warning.
    case acceptedChanged(String)
  }

  /// Verifies the session's host key.
  func verify(session: OpaquePointer) throws -> Outcome {
    var length = 0
    var rawType: Int32 = 0
    guard let keyPointer = libssh2_session_hostkey(session, &length, &rawType), length > 0 else {
      throw RemoteError("\(label) presented no host key", host: hostName)
    }
    let blob = Array(UnsafeRawBufferPointer(start: keyPointer, count: length))
    guard let type = HostKeyType.fromSession(rawType) else {
      throw RemoteError("\(label) presented a host key of an unsupported type", host: hostName)
    }
    let fingerprint = Fingerprint.sha256(blob)
    switch try knownHosts.lookup(name: entryName, type: type, blob: blob) {
    case .match:
      return .known
    case .revoked:
      throw RemoteError(
        "the host key of \(label) (\(type.name) \(fingerprint)) is marked @revoked in \(knownHosts.path)",
        hint: "the key was revoked on purpose: do not connect until the host has a new key",
        host: hostName)
    case .changed(let recordedType, let recordedFingerprint) where policy == .insecure:
      return .acceptedChanged(
        """
        WARNING: the host key of \(label) has CHANGED (\(knownHosts.path) records \
        \(recordedType?.name ?? type.name) \(recordedFingerprint), the server presented \
        \(type.name) \(fingerprint)) and StrictHostKeyChecking is off: CONNECTING ANYWAY. \
        Someone could be intercepting this connection; the new key was not recorded
        """)
    case .changed(let recordedType, let recordedFingerprint):
      throw RemoteError(
        """
        the host key of \(label) has CHANGED: \(knownHosts.path) records \
        \(recordedType?.name ?? type.name) \(recordedFingerprint), the server presented \
        \(type.name) \(fingerprint). This could be a man-in-the-middle attack, or the host \
        was reinstalled
        """,
        hint: """
          if the change is expected, remove the old entry with \
          ssh-keygen -R \(ShellQuote.quote(entryName)) -f \(ShellQuote.quote(knownHosts.path)) \
          and run again
          """,
        host: hostName)
    case .unknown:
      guard policy != .strict else {
        throw RemoteError(
          """
          the host key of \(label) is unknown: the server presented \(type.name) \
          \(fingerprint), and \(entryName) is not in \(knownHosts.path)\
          \(otherTypesNote(presented: type, session: session))
          """,
          hint: """
            check the fingerprint on the host (ssh-keygen -lf on its public host key), then \
            run again with --accept-new-host-keys to record it
            """,
          host: hostName)
      }
      try knownHosts.append(name: entryName, type: type, blob: blob)
      return .recorded(
        "recorded the new host key of \(label) (\(type.name) \(fingerprint)) in \(knownHosts.path)"
      )
    }
  }

  /// When known_hosts records the host under other key types only: why they were not used.
  private func otherTypesNote(presented: HostKeyType, session: OpaquePointer) -> String {
    let recorded = knownHosts.recordedTypes(for: entryName).filter { $0 != presented }
    guard !recorded.isEmpty else { return "" }
    var note =
      " with that key type (it records \(recorded.map(\.name).joined(separator: ", ")), which the server did not agree to use"
    if recorded.contains(.rsa) && !LibSSH2.supportsHostKeyAlgorithm("rsa-sha2-256", session) {
      note +=
        "; this libssh2 checks RSA host keys with SHA-1 signatures only, which current OpenSSH servers refuse"
    }
    return note + ")"
  }
}
