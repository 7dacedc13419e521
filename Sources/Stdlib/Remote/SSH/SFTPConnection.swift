import CLibSSH2
import Foundation

/// The server has no SFTP subsystem.
struct SFTPUnavailable: Error {}

/// An SFTP subsystem channel. libssh2 keeps per-request state in it, so one transfer (one
/// thread) uses it at a time; each transfer opens its own and shuts it down at the end.
final class SFTPConnection {
  /// The session's I/O.
  let io: SessionIO
  /// The libssh2 SFTP instance.
  let raw: OpaquePointer
  /// The host, for messages.
  let hostName: String
  /// How long one request may go unanswered.
  let requestTimeout: Duration
  private var isShutDown = false

  private init(io: SessionIO, raw: OpaquePointer, hostName: String, requestTimeout: Duration) {
    self.io = io
    self.raw = raw
    self.hostName = hostName
    self.requestTimeout = requestTimeout
  }

  /// Starts the subsystem; throws `SFTPUnavailable` when the server has none.
  static func open(on session: SSHSession) throws -> SFTPConnection {
    let io = session.io
    io.sessionStateGate.lock()
    defer { io.sessionStateGate.unlock() }
    do {
      let raw = try io.run(until: .now + session.requestTimeout) { locked in
        try locked.callPointer { libssh2_sftp_init(locked.raw) }
      }
      return SFTPConnection(
        io: io, raw: raw, hostName: session.host.name, requestTimeout: session.requestTimeout)
    } catch let error as LibSSH2Error {
      if error.code == Int(LIBSSH2_ERROR_CHANNEL_FAILURE)
        || error.code == Int(LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED)
        || error.message.contains("SFTP subsystem")
      {
        throw SFTPUnavailable()
      }
      throw RemoteError(
        "could not start SFTP on \(session.label): \(error.message)", host: session.host.name)
    }
  }

  /// Ends the subsystem and frees its channel.
  func shutdown() {
    guard !isShutDown else { return }
    isShutDown = true
    _ = try? io.run(until: .now + .seconds(2)) { locked in
      try locked.call { Int(libssh2_sftp_shutdown(raw)) }
    }
  }

  deinit { shutdown() }

  /// Runs one SFTP call until it completes, translating a protocol failure into a message
  /// about `path`.
  func perform(_ what: String, _ path: String, _ body: () -> Int) throws -> Int {
    do {
      return try io.run(until: .now + requestTimeout) { locked in try locked.call(body) }
    } catch let error as LibSSH2Error {
      throw failure(what, path, error)
    }
  }

  /// Opens a file; `flags` are `LIBSSH2_FXF_*`.
  func openFile(_ path: String, flags: Int32, mode: Int) throws -> SFTPFile {
    do {
      let handle = try io.run(until: .now + requestTimeout) { locked in
        try locked.callPointer {
          libssh2_sftp_open_ex(
            raw, path, UInt32(path.utf8.count), UInt(flags), mode, LIBSSH2_SFTP_OPENFILE)
        }
      }
      return SFTPFile(connection: self, raw: handle, path: path)
    } catch let error as LibSSH2Error {
      throw failure(flags & LIBSSH2_FXF_WRITE != 0 ? "create" : "open", path, error)
    }
  }

  /// The attributes of `path`, or nil when it does not exist.
  func stat(_ path: String) throws -> LIBSSH2_SFTP_ATTRIBUTES? {
    var attributes = LIBSSH2_SFTP_ATTRIBUTES()
    do {
      _ = try io.run(until: .now + requestTimeout) { locked in
        try locked.call {
          Int(
            libssh2_sftp_stat_ex(
              raw, path, UInt32(path.utf8.count), LIBSSH2_SFTP_STAT, &attributes))
        }
      }
      return attributes
    } catch let error as LibSSH2Error {
      let code = libssh2_sftp_last_error(raw)
      if code == LIBSSH2_FX_NO_SUCH_FILE || code == LIBSSH2_FX_NO_SUCH_PATH { return nil }
      throw failure("stat", path, error)
    }
  }

  /// `mkdir -p`: creates each missing directory of `path`.
  func makeDirectories(_ path: String) throws {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      prefix += "/" + component
      if let existing = try stat(prefix) {
        if existing.permissions & UInt(LIBSSH2_SFTP_S_IFMT) != UInt(LIBSSH2_SFTP_S_IFDIR) {
          throw RemoteError(
            "cannot create directory \(prefix) on \(hostName): a file is in the way",
            host: hostName)
        }
        continue
      }
      let target = prefix
      _ = try perform("create directory", target) {
        Int(libssh2_sftp_mkdir_ex(raw, target, UInt32(target.utf8.count), 0o755))
      }
    }
  }

  /// Removes a file; errors are ignored (used to clean up temporary files).
  func removeQuietly(_ path: String) {
    _ = try? perform("remove", path) {
      Int(libssh2_sftp_unlink_ex(raw, path, UInt32(path.utf8.count)))
    }
  }

  /// A RemoteError for a failed request, with the SFTP status in words.
  func failure(_ what: String, _ path: String, _ error: LibSSH2Error) -> RemoteError {
    let status = libssh2_sftp_last_error(raw)
    let reason: String
    switch status {
    case LIBSSH2_FX_NO_SUCH_FILE, LIBSSH2_FX_NO_SUCH_PATH: reason = "no such file or directory"
    case LIBSSH2_FX_PERMISSION_DENIED: reason = "permission denied"
    case LIBSSH2_FX_FILE_ALREADY_EXISTS: reason = "it already exists"
    case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, LIBSSH2_FX_QUOTA_EXCEEDED: reason = "no space left"
    case LIBSSH2_FX_NOT_A_DIRECTORY: reason = "a parent is not a directory"
    case LIBSSH2_FX_FAILURE: reason = "the server reported a failure"
    default: reason = error.message
    }
    return RemoteError("cannot \(what) \(path) on \(hostName): \(reason)", host: hostName)
  }
}

/// An open remote file.
final class SFTPFile {
  private let connection: SFTPConnection
  private let raw: OpaquePointer
  /// Its path, for messages.
  let path: String
  private var isClosed = false

  fileprivate init(connection: SFTPConnection, raw: OpaquePointer, path: String) {
    self.connection = connection
    self.raw = raw
    self.path = path
  }

  /// Writes all of `bytes` (libssh2 pipelines the write requests).
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
      let start = base.advanced(by: offset).assumingMemoryBound(to: CChar.self)
      let count = bytes.count - offset
      offset += try connection.perform("write", path) { libssh2_sftp_write(raw, start, count) }
    }
  }

  /// Reads up to `buffer.count` bytes; 0 at the end of the file.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    let start = base.assumingMemoryBound(to: CChar.self)
    let count = buffer.count
    return try connection.perform("read", path) { libssh2_sftp_read(raw, start, count) }
  }

  /// The file's size and permission bits.
  func attributes() throws -> (size: UInt64, mode: Int) {
    var attributes = LIBSSH2_SFTP_ATTRIBUTES()
    _ = try connection.perform("stat", path) { Int(libssh2_sftp_fstat_ex(raw, &attributes, 0)) }
    return (attributes.filesize, Int(attributes.permissions & 0o7777))
  }

  /// Sets the permission bits exactly (the server's umask does not apply).
  func setMode(_ mode: Int) throws {
    var attributes = LIBSSH2_SFTP_ATTRIBUTES()
    attributes.flags = UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS)
    attributes.permissions = UInt(mode)
    _ = try connection.perform("chmod", path) { Int(libssh2_sftp_fstat_ex(raw, &attributes, 1)) }
  }

  /// Asks the server to flush the file to disk (`fsync@openssh.com`); ignored when unsupported.
  func sync() {
    _ = try? connection.perform("sync", path) { Int(libssh2_sftp_fsync(raw)) }
  }

  /// Closes the handle.
  func close() throws {
    guard !isClosed else { return }
    isClosed = true
    _ = try connection.perform("close", path) { Int(libssh2_sftp_close_handle(raw)) }
  }

  deinit {
    if !isClosed { try? close() }
  }
}
