import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Atomic file writes on this machine, with the same guarantees as the SFTP path: a temporary
/// file beside the destination created with the final mode, written in 1 MiB chunks while
/// hashing, fsynced, then renamed over the destination.
enum LocalFiles {
  /// Copies `source` to `destination`; the mode defaults to the source's.
  static func copy(_ source: String, to destination: String, options: FileTransferOptions) throws
    -> FileTransferResult
  {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw failure("cannot read \(source)", errno) }
    defer { Platform.closeDescriptor(input) }
    var info = stat()
    guard fstat(input, &info) == 0 else { throw failure("cannot read \(source)", errno) }
    guard info.st_mode & S_IFMT != S_IFDIR else {
      throw RemoteError("cannot copy \(source): it is a directory")
    }
    let mode = options.mode ?? Int(info.st_mode & 0o7777)
    return try install(at: destination, mode: mode, options: options) { fd, digest in
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      var total: Int64 = 0
      while true {
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
    try install(at: destination, mode: options.mode ?? 0o644, options: options) { fd, digest in
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
