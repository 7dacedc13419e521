import Crypto
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a transfer's destination holds before anything is written, so that a transfer of the
/// same bytes writes nothing and reports `changed: false` — the basis of idempotent playbooks.
/// The size is compared first; the SHA-256 is computed only when the sizes agree.
enum ExistingFile: Equatable {
  /// No regular file there (nothing, or a directory: the write then says so).
  case missing
  /// A file whose content differs (its size already does).
  case differs
  /// A file of the same size: its permission bits and SHA-256.
  case content(mode: Int, sha256: String)
  /// It could not be told (no `stat` or `sha256sum` on the host): write it.
  case unknown

  /// What to do to put `sha256` with `mode` in place.
  enum Action: Equatable {
    /// Write the file.
    case write
    /// The content is there already; only the mode differs: set it.
    case setMode
    /// The file is there as asked: write nothing.
    case nothing
  }

  /// The action for content `sha256` with permission bits `mode`.
  func action(sha256: String, mode: Int) -> Action {
    guard case .content(let existingMode, let existingHash) = self, existingHash == sha256 else {
      return .write
    }
    return existingMode == mode & 0o7777 ? .nothing : .setMode
  }

  /// `$1` the destination, `$2` the size of the new content; prints `missing`, `unknown`,
  /// `differs`, or `content MODE SHA256` (octal mode), and always exits 0 (so that sudo's
  /// failures stand out).
  static let probeScript = """
    d=$1 size=$2
    if [ ! -f "$d" ]; then echo missing; exit 0; fi
    s=$(stat -L -c '%a %s' -- "$d" 2>/dev/null) || { echo unknown; exit 0; }
    set -- $s
    if [ "$2" != "$size" ]; then echo differs; exit 0; fi
    h=$(sha256sum < "$d" 2>/dev/null) || { echo unknown; exit 0; }
    echo "content $1 ${h%% *}"
    """

  /// The probe script as one command line for `path` and `size`.
  static func probeCommand(_ path: String, size: Int64) -> String {
    ["/bin/sh", "-c", probeScript, "haflow-probe", path, String(size)]
      .map(ShellQuote.quote).joined(separator: " ")
  }

  /// Reads the probe script's output.
  static func parse(_ output: String) -> ExistingFile {
    let words = output.split(whereSeparator: \.isWhitespace)
    switch words.first {
    case "missing": return .missing
    case "differs": return .differs
    case "content":
      guard words.count == 3, let mode = Int(words[1], radix: 8), words[2].count == 64 else {
        return .unknown
      }
      return .content(mode: mode, sha256: String(words[2]))
    default: return .unknown
    }
  }

  /// A file on this machine, compared with content of `size` bytes.
  static func local(_ path: String, size: Int64) -> ExistingFile {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .missing }
    guard Int64(info.st_size) == size else { return .differs }
    guard let hash = try? localSHA256(path) else { return .unknown }
    return .content(mode: Int(info.st_mode & 0o7777), sha256: hash)
  }

  /// The SHA-256 of a local file, read in 1 MiB chunks.
  static func localSHA256(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      throw RemoteError("cannot read \(path): \(TCPConnector.describe(errno))")
    }
    defer { Platform.closeDescriptor(fd) }
    var digest = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { Platform.read(fd, $0) }
      if count < 0 {
        if errno == EINTR { continue }
        throw RemoteError("cannot read \(path): \(TCPConnector.describe(errno))")
      }
      if count == 0 { break }
      buffer.withUnsafeBytes { bytes in
        digest.update(UnsafeRawBufferPointer(rebasing: bytes[0..<count]).bindMemory(to: UInt8.self))
      }
    }
    return digest.finalizeHex()
  }
}
