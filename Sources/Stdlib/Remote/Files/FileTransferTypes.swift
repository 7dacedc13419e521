import Foundation

/// How a transfer writes and checks its file.
public struct FileTransferOptions: Sendable {
  /// Permission bits of the written file (`0o600` for keys); nil: the source's mode (uploads,
  /// downloads) or `0o644` (`writeFile`).
  public var mode: Int?
  /// Create missing parent directories (`mkdir -p`, mode 0755).
  public var createParents: Bool
  /// Compare the SHA-256 of what arrived with what was sent before the file is put in place.
  public var verify: Bool
  /// Read or write the host's file as root through sudo (a login user who may not); see
  /// `SudoFiles`.
  public var sudo: Bool
  /// sudo's password, fed on standard input (`sudo -S`); nil: `sudo -n`. Never shown.
  public var sudoPassword: String?

  /// Makes options.
  public init(
    mode: Int? = nil, createParents: Bool = false, verify: Bool = true, sudo: Bool = false,
    sudoPassword: String? = nil
  ) {
    self.mode = mode
    self.createParents = createParents
    self.verify = verify
    self.sudo = sudo
    self.sudoPassword = sudoPassword
  }

  /// The same options without sudo (the staged part of a sudo transfer).
  var plain: FileTransferOptions {
    var options = self
    options.sudo = false
    options.sudoPassword = nil
    return options
  }
}

/// What a transfer did.
public struct FileTransferResult: Sendable, Hashable {
  /// The file written (remote for uploads, local for downloads).
  public var path: String
  /// The content's size in bytes.
  public var bytes: Int64
  /// SHA-256 of the content, lowercase hex.
  public var sha256: String
  /// Permission bits set on the written file.
  public var mode: Int
  /// `sftp`, or `scp` when the server has no SFTP subsystem.
  public var method: String
  /// Wall time in nanoseconds.
  public var duration: Int64
  /// Whether the destination changed: false when it held these bytes with this mode already
  /// (then nothing was written); a mode set on the same content is a change.
  public var changed: Bool

  /// Makes a result.
  public init(
    path: String, bytes: Int64, sha256: String, mode: Int, method: String, duration: Int64,
    changed: Bool = true
  ) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
    self.mode = mode
    self.method = method
    self.duration = duration
    self.changed = changed
  }
}

/// Where upload bytes come from: a local file read in chunks, or memory.
protocol ByteSource {
  /// Total size in bytes.
  var size: Int64 { get }
  /// Fills `buffer` from the current position; 0 at the end.
  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes already in memory.
struct MemorySource: ByteSource {
  let bytes: [UInt8]
  private var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var size: Int64 { Int64(bytes.count) }

  mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    let count = min(buffer.count, bytes.count - offset)
    guard count > 0 else { return 0 }
    bytes.withUnsafeBytes { source in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
    }
    offset += count
    return count
  }
}

/// A local file, read in chunks so that a large file never sits in memory.
final class FileSource: ByteSource {
  let path: String
  private let fd: Int32
  let size: Int64
  /// The file's permission bits.
  let mode: Int

  init(path: String) throws {
    self.path = path
    fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw TransferFailure("cannot read \(path): \(TCPConnector.describe(errno))")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      Platform.closeDescriptor(fd)
      throw TransferFailure("cannot upload \(path): not a regular file")
    }
    size = Int64(info.st_size)
    mode = Int(info.st_mode & 0o7777)
  }

  deinit { Platform.closeDescriptor(fd) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    while true {
      let count = Platform.read(fd, buffer)
      if count >= 0 { return count }
      if errno != EINTR {
        throw TransferFailure("cannot read \(path): \(TCPConnector.describe(errno))")
      }
    }
  }
}

/// A transfer failure before it is given a host.
struct TransferFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}
