import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Atomic file writes on this machine, with the same guarantees as the SFTP path: a temporary
/// file beside the destination created with the final mode, written in 1 MiB chunks while
/// hashing, fsynced, then renamed over the destination. A destination that holds the same
/// content already is left alone (`changed: false`; a different mode is set in place).
enum LocalFiles {
  /// Copies `source` to `destination`; the mode defaults to the source's. `stop` is asked
  /// between chunks (Ctrl-C ends the copy with `interrupted`).
  static func copy(
    _ source: String, to destination: String, options: FileTransferOptions,
    stop: StopCheck = .never
  ) throws -> FileTransferResult {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw failure("cannot read \(source)", errno) }
    defer { Platform.closeDescriptor(input) }
    var info = stat()
    guard fstat(input, &info) == 0 else { throw failure("cannot read \(source)", errno) }
    guard info.st_mode & S_IFMT != S_IFDIR else {
      throw RemoteError("cannot copy \(source): it is a directory")
    }
    let mode = options.mode ?? Int(info.st_mode & 0o7777)
    let size = Int64(info.st_size)
    if let done = try unchanged(
      destination, size: size, mode: mode, sha256: { try ExistingFile.localSHA256(source) })
    {
      return done
    }
    return try install(at: destination, mode: mode, options: options) { fd, digest in
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      var total: Int64 = 0
      while true {
        if stop.isStopped { throw RemoteError("interrupted") }
        let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
        if count < 0 {
          if errno == EINTR { continue }
          throw failure("cannot read \(source)", errno)
        }
        if count == 0 { break }
        try buffer.withUnsafeBytes { bytes in
          let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<count])
          digest.update(chunk.bindMemory(to: UInt8.self))
          guard Platform.writeAll(fd, chunk) else {
            throw failure("cannot write \(destination)", errno)
          }
        }
        total += Int64(count)
      }
      return total
    }
  }

  /// Writes `contents` to `destination`; the mode defaults to 0644.
  static func write(_ contents: [UInt8], to destination: String, options: FileTransferOptions)
    throws
    -> FileTransferResult
  {
    let mode = options.mode ?? 0o644
    if let done = try unchanged(
      destination, size: Int64(contents.count), mode: mode, sha256: { SHA256.hex(contents) })
    {
      return done
    }
    return try install(at: destination, mode: mode, options: options) { fd, digest in
      digest.update(contents)
      try contents.withUnsafeBytes { bytes in
        guard Platform.writeAll(fd, bytes) else {
          throw failure("cannot write \(destination)", errno)
        }
      }
      return Int64(contents.count)
    }
  }

  /// The contents of a file.
  static func read(_ path: String) throws -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw RemoteError("cannot read \(path): no such file")
    }
    guard !isDirectory.boolValue else {
      throw RemoteError("cannot read \(path): it is a directory")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RemoteError("cannot read \(path): permission denied")
    }
    return data
  }

  /// When `destination` holds the content already (same size, then same SHA-256): sets the
  /// mode if it differs and returns the result; nil when the file must be written.
  private static func unchanged(
    _ destination: String, size: Int64, mode: Int, sha256: () throws -> String
  ) throws -> FileTransferResult? {
    let started = ContinuousClock.now
    let existing = ExistingFile.local(destination, size: size)
    guard case .content = existing else { return nil }
    let hash = try sha256()
    let action = existing.action(sha256: hash, mode: mode)
    switch action {
    case .write: return nil
    case .setMode:
      guard chmod(destination, mode_t(mode)) == 0 else {
        throw failure("cannot set the mode of \(destination)", errno)
      }
    case .nothing: break
    }
    return FileTransferResult(
      path: destination, bytes: size, sha256: hash, mode: mode, method: "local",
      duration: (ContinuousClock.now - started).nanosecondCount, changed: action == .setMode)
  }

  /// Creates the temporary file, lets `fill` write it, then fsyncs and renames it into place.
  private static func install(
    at destination: String, mode: Int, options: FileTransferOptions,
    fill: (Int32, inout SHA256) throws -> Int64
  ) throws -> FileTransferResult {
    let started = ContinuousClock.now
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory),
      isDirectory.boolValue
    {
      throw RemoteError(
        "cannot write \(destination): it is a directory",
        hint: "end the destination with / to copy into the directory")
    }
    if options.createParents {
      try? FileManager.default.createDirectory(
        atPath: RemotePath.parent(of: destination), withIntermediateDirectories: true)
    }
    let temp = RemotePath.temporary(beside: destination)
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode & 0o777))
    guard fd >= 0 else { throw failure("cannot write \(destination)", errno) }
    var done = false
    defer {
      Platform.closeDescriptor(fd)
      if !done { unlink(temp) }
    }
    var digest = SHA256()
    let bytes = try fill(fd, &digest)
    guard fchmod(fd, mode_t(mode)) == 0, fsync(fd) == 0, rename(temp, destination) == 0 else {
      throw failure("cannot write \(destination)", errno)
    }
    done = true
    return FileTransferResult(
      path: destination, bytes: bytes, sha256: digest.finalizeHex(), mode: mode, method: "local",
      duration: (ContinuousClock.now - started).nanosecondCount)
  }

  private static func failure(_ what: String, _ code: Int32) -> RemoteError {
    RemoteError("\(what): \(String(cString: strerror(code)).lowercased())")
  }
}
