import Foundation

/// File operations on a host, as the transfer built-ins (`upload`, `download`, `write_file`,
/// `read_file`, `copy`, `scp`) need them. The interpreter knows no transport: the session
/// layer implements this over SFTP/SCP for SSH hosts and the local file system for `local`
/// ones, and finds it on the run's executor.
///
/// Every write is atomic (a temporary file beside the destination, renamed over it), sets the
/// mode exactly and checks the SHA-256 of what arrived; a destination that holds the same
/// content already is not written (`TransferResult.changed` is false). With `options.sudo` the
/// host's side is read or written as root. `readFile` streams the file and checks nothing, so
/// pseudo-files (`/proc`, `/sys`) and growing logs can be read.
public protocol HostFiles: Sendable {
  /// Copies a local file to `remote` on `host`.
  func upload(_ local: String, to remote: String, on host: Host, options: TransferOptions)
    throws -> TransferResult
  /// Copies `remote` on `host` to a local file.
  func download(_ remote: String, from host: Host, to local: String, options: TransferOptions)
    throws -> TransferResult
  /// Writes bytes to `path` on `host`.
  func writeFile(_ path: String, contents: [UInt8], on host: Host, options: TransferOptions)
    throws -> TransferResult
  /// The contents of `path` on `host` (only `sudo` and `sudoPassword` of the options apply).
  func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data
}

/// How a transfer writes and checks its file.
public struct TransferOptions: Sendable {
  /// Permission bits of the written file (`0o600` for keys); nil: the source's mode (uploads,
  /// downloads) or `0o644` (`writeFile`).
  public var mode: Int?
  /// Create missing parent directories (`mkdir -p`, mode 0755).
  public var createParents: Bool
  /// Compare the SHA-256 of what arrived with what was sent before the file is put in place.
  public var verify: Bool
  /// Read or write the host's file as root through sudo (a login user who may not).
  public var sudo: Bool
  /// sudo's password, fed on standard input (`sudo -S`); nil: `sudo -n`.
  public var sudoPassword: Secret?

  /// Makes options.
  public init(
    mode: Int? = nil, createParents: Bool = false, verify: Bool = true, sudo: Bool = false,
    sudoPassword: Secret? = nil
  ) {
    self.mode = mode
    self.createParents = createParents
    self.verify = verify
    self.sudo = sudo
    self.sudoPassword = sudoPassword
  }
}

/// What a transfer did: the map the transfer built-ins return.
public struct TransferResult: Sendable, Hashable {
  /// The file written (remote for uploads, local for downloads).
  public var path: String
  /// The content's size in bytes.
  public var bytes: Int64
  /// SHA-256 of the content, lowercase hex.
  public var sha256: String
  /// Permission bits set on the written file.
  public var mode: Int
  /// `sftp`, `scp` (the server has no SFTP subsystem) or `local`.
  public var method: String
  /// Wall time in nanoseconds.
  public var duration: Int64
  /// Whether the destination changed: false when it held this content with this mode already
  /// and nothing was written; true when it was written or only its mode was set.
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
