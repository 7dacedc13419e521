import CLibSSH2
import Crypto
import Foundation

extension SFTPClient {
  /// Downloads a remote file to `localPath` (through a temporary file beside it, renamed into
  /// place once complete and checked); the mode defaults to the remote file's.
  public func download(
    _ remotePath: String, to localPath: String, options: FileTransferOptions = FileTransferOptions()
  ) throws -> FileTransferResult {
    try translate {
      let started = ContinuousClock.now
      let temp = RemotePath.temporary(beside: localPath)
      if options.createParents {
        try? FileManager.default.createDirectory(
          atPath: RemotePath.parent(of: localPath), withIntermediateDirectories: true)
      }
      let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      guard fd >= 0 else {
        throw TransferFailure("cannot create \(temp): \(TCPConnector.describe(errno))")
      }
      var keep = false
      defer {
        Platform.closeDescriptor(fd)
        if !keep { unlink(temp) }
      }
      var digest = SHA256()
      var writeError: Int32 = 0
      let meter = TransferMeter(
        session.configuration, host: session.host.name, path: remotePath,
        direction: .download, total: nil)
      let fetched = try fetch(remotePath, method: nil, meter: meter) { chunk in
        digest.update(chunk.bindMemory(to: UInt8.self))
        if writeError == 0 && !Platform.writeAll(fd, chunk) { writeError = errno }
      }
      if writeError != 0 {
        throw TransferFailure("cannot write \(temp): \(TCPConnector.describe(writeError))")
      }
      let hash = digest.finalizeHex()
      if options.verify { try verifyRemote(remotePath, sha256: hash) }
      let mode = options.mode ?? fetched.mode
      var result = FileTransferResult(
        path: localPath, bytes: fetched.size, sha256: hash, mode: mode, method: fetched.method,
        duration: 0)
      // The same content there already: the local file is left as it is (its mode set).
      switch ExistingFile.local(localPath, size: fetched.size).action(sha256: hash, mode: mode) {
      case .nothing:
        result.changed = false
      case .setMode:
        guard chmod(localPath, mode_t(mode)) == 0 else {
          throw TransferFailure(
            "cannot set the mode of \(localPath): \(TCPConnector.describe(errno))")
        }
      case .write:
        guard fchmod(fd, mode_t(mode)) == 0, fsync(fd) == 0, rename(temp, localPath) == 0 else {
          throw TransferFailure("cannot write \(localPath): \(TCPConnector.describe(errno))")
        }
        keep = true
      }
      result.duration = (ContinuousClock.now - started).nanosecondCount
      return result
    }
  }

  /// A remote file's contents, streamed whole. Nothing is compared: a checksum guards a
  /// transfer between hosts, and a pseudo-file (`/proc/meminfo`, `/sys/…`) or a growing log
  /// changes between two reads. Without SFTP the file is read by `cat` (the SCP protocol
  /// sends the size `stat` reports, which is 0 for `/proc` files).
  public func readFile(_ remotePath: String) throws -> Data {
    try translate {
      do {
        return try withSFTP { sftp in
          let file = try sftp.openFile(remotePath, flags: LIBSSH2_FXF_READ, mode: 0)
          defer { try? file.close() }
          var bytes: [UInt8] = []
          var buffer = [UInt8](repeating: 0, count: 1 << 20)
          while true {
            try session.checkStop()
            let count = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
          }
          return Data(bytes)
        }
      } catch is SFTPUnavailable {
        noteSCP()
      }
      let (status, stdout, stderr) = try session.captureBytes(
        "cat -- \(ShellQuote.quote(remotePath))", timeout: .seconds(600))
      guard status == 0 else {
        let reason = stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
        throw TransferFailure("cannot read \(remotePath) on \(session.host.name): \(reason)")
      }
      return Data(stdout)
    }
  }

  /// Streams a remote file to `consume` by SFTP (or SCP); `method` forces one.
  func fetch(
    _ remote: String, method: String?, meter: TransferMeter? = nil,
    consume: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> (size: Int64, mode: Int, method: String) {
    if method != "scp" {
      do {
        return try withSFTP { sftp in
          let file = try sftp.openFile(remote, flags: LIBSSH2_FXF_READ, mode: 0)
          defer { try? file.close() }
          let attributes = try file.attributes()
          let mode = attributes.mode
          meter?.setTotal(Int64(clamping: attributes.size))
          var total: Int64 = 0
          var buffer = [UInt8](repeating: 0, count: 1 << 20)
          while true {
            try session.checkStop()
            let count = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
            if count == 0 { break }
            total += Int64(count)
            try buffer.withUnsafeBytes {
              try consume(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
            }
            meter?.add(count)
          }
          return (total, mode, "sftp")
        }
      } catch is SFTPUnavailable {
        noteSCP()
      }
    }
    let received = try SCPTransfer(session: session).receive(
      remote, meter: meter, consume: consume)
    return (received.size, received.mode, "scp")
  }

  /// Compares `sha256` with `sha256sum` of the remote file (skipped when the host lacks it).
  private func verifyRemote(_ remote: String, sha256: String) throws {
    let (status, stdout, _) = try session.capture(
      "sha256sum -- \(ShellQuote.quote(remote))", timeout: .seconds(600))
    guard status == 0 else { return }
    let found = String(stdout.prefix { !$0.isWhitespace })
    guard found == sha256 else {
      throw TransferFailure(
        "checksum mismatch reading \(remote) from \(session.host.name): received sha256 \(sha256), the host has \(found) (did the file change during the transfer?)"
      )
    }
  }
}
