import CLibSSH2
import Crypto
import Foundation

/// File transfers to and from one host over its session: SFTP, or the SCP protocol when the
/// server has no SFTP subsystem (noted once in the log).
///
/// An upload first asks the host what the destination holds (size, then SHA-256): when it is
/// the same content, nothing is sent or written (`changed: false`; a different mode is set in
/// place). Otherwise it streams the source in 1 MiB chunks to a temporary file beside the
/// destination (`.NAME.haflow-XXXXXXXX`, created with the final mode, so a key is never
/// readable by others), sets the mode exactly, checks the SHA-256 of what arrived
/// (`sha256sum` on the host, or reading the file back), then `mv -f` it over the destination:
/// a reader sees the old file or the new one, never a part. Downloads work the same way on
/// this machine. Reading a file (`readFile`) streams it whole and checks nothing: pseudo-files
/// (`/proc`, `/sys`) and logs change while they are read.
public struct SFTPClient: Sendable {
  /// The session.
  public let session: SSHSession

  /// A client on `session`.
  public init(session: SSHSession) { self.session = session }

  /// Uploads a local file; the mode defaults to the local file's.
  public func upload(
    _ localPath: String, to remotePath: String, options: FileTransferOptions = FileTransferOptions()
  ) throws -> FileTransferResult {
    try translate {
      let source = try FileSource(path: localPath)
      let mode = options.mode ?? source.mode
      let started = ContinuousClock.now
      if let done = try unchanged(
        remotePath, size: source.size, mode: mode, started: started,
        sha256: { try ExistingFile.localSHA256(localPath) })
      {
        return done
      }
      return try put(source, to: remotePath, mode: mode, options: options)
    }
  }

  /// Writes bytes to a remote file; the mode defaults to 0644.
  public func writeFile(
    _ remotePath: String, contents: [UInt8], options: FileTransferOptions = FileTransferOptions()
  ) throws -> FileTransferResult {
    try translate {
      let mode = options.mode ?? 0o644
      let started = ContinuousClock.now
      if let done = try unchanged(
        remotePath, size: Int64(contents.count), mode: mode, started: started,
        sha256: { SHA256.hex(contents) })
      {
        return done
      }
      return try put(MemorySource(contents), to: remotePath, mode: mode, options: options)
    }
  }

  /// When `remote` holds the content already (same size, then same SHA-256): sets the mode
  /// if it differs and returns the result; nil when the file must be written.
  private func unchanged(
    _ remote: String, size: Int64, mode: Int, started: ContinuousClock.Instant,
    sha256: () throws -> String
  ) throws -> FileTransferResult? {
    let (status, stdout, _) = try session.capture(
      ExistingFile.probeCommand(remote, size: size), timeout: .seconds(600))
    let existing = status == 0 ? ExistingFile.parse(stdout) : .unknown
    guard case .content = existing else { return nil }
    let hash = try sha256()
    let action = existing.action(sha256: hash, mode: mode)
    switch action {
    case .write: return nil
    case .setMode:
      let (status, _, stderr) = try session.capture(
        "chmod \(String(mode, radix: 8)) -- \(ShellQuote.quote(remote))", timeout: .seconds(60))
      guard status == 0 else {
        throw TransferFailure(
          "cannot set the mode of \(remote) on \(session.host.name): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        )
      }
    case .nothing: break
    }
    return FileTransferResult(
      path: remote, bytes: size, sha256: hash, mode: mode,
      method: session.sftpUnavailable.load(ordering: .relaxed) ? "scp" : "sftp",
      duration: (ContinuousClock.now - started).nanosecondCount, changed: action == .setMode)
  }

  /// Writes text (UTF-8) to a remote file; the mode defaults to 0644.
  public func writeFile(
    _ remotePath: String, text: String, options: FileTransferOptions = FileTransferOptions()
  ) throws -> FileTransferResult {
    try writeFile(remotePath, contents: Array(text.utf8), options: options)
  }

  // MARK: - Upload

  private func put(
    _ source: some ByteSource, to remote: String, mode: Int, options: FileTransferOptions
  ) throws -> FileTransferResult {
    var source = source
    let started = ContinuousClock.now
    let temp = RemotePath.temporary(beside: remote)
    var digest = SHA256()
    var method = "sftp"
    let meter = TransferMeter(
      session.configuration, host: session.host.name, path: remote,
      direction: .upload, total: source.size)
    do {
      try sendBySFTP(
        &source, to: temp, mode: mode, options: options, digest: &digest, meter: meter)
    } catch is SFTPUnavailable {
      method = "scp"
      noteSCP()
      if options.createParents { try makeDirectoriesByShell(RemotePath.parent(of: remote)) }
      try SCPTransfer(session: session).send(
        &source, to: temp, mode: mode, digest: &digest, meter: meter)
    }
    let hash = digest.finalizeHex()
    try install(temp, at: remote, mode: mode, sha256: options.verify ? hash : nil, method: method)
    return FileTransferResult(
      path: remote, bytes: source.size, sha256: hash, mode: mode, method: method,
      duration: (ContinuousClock.now - started).nanosecondCount)
  }

  private func sendBySFTP(
    _ source: inout some ByteSource, to temp: String, mode: Int, options: FileTransferOptions,
    digest: inout SHA256, meter: TransferMeter
  ) throws {
    try withSFTP { sftp in
      if options.createParents { try sftp.makeDirectories(RemotePath.parent(of: temp)) }
      let flags = LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT | LIBSSH2_FXF_EXCL | LIBSSH2_FXF_TRUNC
      let file = try sftp.openFile(temp, flags: flags, mode: mode)
      do {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
          try session.checkStop()
          let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
          if count == 0 { break }
          try buffer.withUnsafeBytes { bytes in
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
            digest.update(chunk.bindMemory(to: UInt8.self))
            try file.write(chunk)
          }
          meter.add(count)
        }
        try file.setMode(mode)
        file.sync()
        try file.close()
      } catch {
        try? file.close()
        sftp.removeQuietly(temp)
        throw error
      }
    }
  }

  /// Checks the temporary file, sets its mode and renames it over the destination, in one
  /// command on the host.
  private func install(
    _ temp: String, at remote: String, mode: Int, sha256: String?, method: String
  )
    throws
  {
    let script = RemotePath.installScript(
      temp: temp, destination: remote, mode: mode, sha256: sha256)
    let (status, _, stderr) = try session.capture(script, timeout: .seconds(600))
    switch status {
    case 0:
      return
    case 3:
      let found = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      throw checksumMismatch(remote, sent: sha256 ?? "", found: found)
    case 4:
      // No sha256sum on the host: read the file back and hash it here.
      let found = try SHA256.hex(readBack(temp, method: method))
      guard found == sha256 else {
        _ = try? session.capture("rm -f -- \(ShellQuote.quote(temp))", timeout: .seconds(30))
        throw checksumMismatch(remote, sent: sha256 ?? "", found: found)
      }
      try install(temp, at: remote, mode: mode, sha256: nil, method: method)
    case 6:
      throw TransferFailure("cannot write \(remote) on \(session.host.name): it is a directory")
    default:
      let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      throw TransferFailure(
        "cannot put \(remote) in place on \(session.host.name): \(detail.isEmpty ? "exit status \(status)" : detail)"
      )
    }
  }

  private func readBack(_ path: String, method: String) throws -> [UInt8] {
    var bytes: [UInt8] = []
    _ = try fetch(path, method: method) { bytes.append(contentsOf: $0) }
    return bytes
  }

  private func checksumMismatch(_ remote: String, sent: String, found: String) -> TransferFailure {
    TransferFailure(
      "checksum mismatch writing \(remote) on \(session.host.name): sent sha256 \(sent), the host has \(found); the file was not replaced"
    )
  }

  private func makeDirectoriesByShell(_ directory: String) throws {
    let (status, _, stderr) = try session.capture(
      "mkdir -p -- \(ShellQuote.quote(directory))", timeout: .seconds(60))
    guard status == 0 else {
      throw TransferFailure(
        "cannot create directory \(directory) on \(session.host.name): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
      )
    }
  }

  // MARK: - Shared

  /// Runs `body` on a fresh SFTP channel (holding a channel slot); throws `SFTPUnavailable`
  /// without trying when the server is known to lack the subsystem.
  func withSFTP<T>(_ body: (SFTPConnection) throws -> T) throws -> T {
    if session.sftpUnavailable.load(ordering: .relaxed) { throw SFTPUnavailable() }
    return try session.withChannelSlot {
      let sftp: SFTPConnection
      do {
        sftp = try SFTPConnection.open(on: session)
      } catch is SFTPUnavailable {
        session.sftpUnavailable.store(true, ordering: .relaxed)
        throw SFTPUnavailable()
      }
      defer { sftp.shutdown() }
      return try body(sftp)
    }
  }

  /// Logs the SCP fallback, once per session.
  func noteSCP() {
    if session.scpNoted.exchange(true, ordering: .relaxed) { return }
    session.notes?.note(
      "\(session.label) has no SFTP subsystem: transferring files with the SCP protocol",
      host: session.host.name)
  }

  /// Runs a transfer, turning lower-level failures into `RemoteError`s that name the host.
  func translate<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let failure as TransferFailure {
      throw RemoteError(failure.message, host: session.host.name)
    } catch TransportError.connectionLost(let reason) {
      throw RemoteError(
        "lost the connection to \(session.label) during a transfer: \(reason)",
        host: session.host.name, isConnectionFailure: true)
    } catch TransportError.timedOut {
      throw RemoteError(
        "\(session.label) stopped answering during a transfer", host: session.host.name)
    } catch let error as SessionUnavailable {
      throw session.connectionLost(error)
    } catch let error as LibSSH2Error {
      throw RemoteError(
        "transfer with \(session.label) failed: \(error.message)", host: session.host.name)
    }
  }
}
