import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The filesystem the stand-in writes to: the host's own, or a directory standing in for `/`
/// (`HAFLOW_KUBEADM_ROOT`, which tests use). Paths in messages are always the real ones
/// (`/etc/kubernetes/pki`); only the bytes land under the root.
public struct KubeadmHost: Sendable {
  /// The directory that stands for `/`; empty for the real root.
  public let root: String

  /// A host rooted at `root` (`""` or `"/"` for the real filesystem).
  public init(root: String = "") {
    self.root = root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)
  }

  /// The host for `environment`: rooted at `HAFLOW_KUBEADM_ROOT` when set.
  public static func from(environment: [String: String]) -> KubeadmHost {
    KubeadmHost(root: environment["HAFLOW_KUBEADM_ROOT"] ?? "")
  }

  /// Where `path` (absolute) is on disk.
  public func real(_ path: String) -> String {
    path.hasPrefix("/") ? root + path : path
  }

  /// Whether a file exists at `path`.
  public func exists(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: real(path))
  }

  /// The bytes at `path`; throws Go's `open <path>: <reason>`.
  public func read(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: real(path)) else {
      throw KubeadmError("open \(path): \(Self.reason(errnoFor: real(path)))")
    }
    return Array(data)
  }

  /// The text at `path`.
  public func readText(_ path: String) throws -> String {
    String(decoding: try read(path), as: UTF8.self)
  }

  /// Writes `bytes` to `path` with `mode`, creating missing parent directories with
  /// `directoryMode`. The file is written to a temporary name and renamed, so a reader never
  /// sees half a key.
  public func write(
    _ bytes: [UInt8], to path: String, mode: mode_t, directoryMode: mode_t = 0o755
  ) throws {
    let target = real(path)
    let directory = (target as NSString).deletingLastPathComponent
    try makeDirectory(
      directory, mode: directoryMode, shown: (path as NSString).deletingLastPathComponent)
    let temporary = directory + "/." + ((target as NSString).lastPathComponent) + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { throw KubeadmError("open \(path): \(Self.reason(errno))") }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { writeBytes(fd, $0) }
      if written < 0 {
        if errno == EINTR { continue }
        throw KubeadmError("write \(path): \(Self.reason(errno))")
      }
      offset += written
    }
    fchmod(fd, mode)
    guard rename(temporary, target) == 0 else {
      throw KubeadmError("rename \(path): \(Self.reason(errno))")
    }
  }

  /// Writes text.
  public func write(_ text: String, to path: String, mode: mode_t, directoryMode: mode_t = 0o755)
    throws
  {
    try write(Array(text.utf8), to: path, mode: mode, directoryMode: directoryMode)
  }

  /// Creates the directory `path` (absolute, unmapped) and its parents with `mode`; existing
  /// directories keep theirs.
  func makeDirectory(_ realPath: String, mode: mode_t, shown: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: realPath, isDirectory: &isDirectory) {
      if isDirectory.boolValue { return }
      throw KubeadmError("mkdir \(shown): not a directory")
    }
    let parent = (realPath as NSString).deletingLastPathComponent
    if parent != realPath, !parent.isEmpty {
      try makeDirectory(parent, mode: 0o755, shown: (shown as NSString).deletingLastPathComponent)
    }
    if mkdir(realPath, mode) != 0, errno != EEXIST {
      throw KubeadmError("mkdir \(shown): \(Self.reason(errno))")
    }
    chmod(realPath, mode)
  }

  /// Creates `path` (a kubeadm path) with `mode` if it is missing.
  public func makeDirectory(_ path: String, mode: mode_t) throws {
    try makeDirectory(real(path), mode: mode, shown: path)
  }

  /// Go's lowercase text for an errno (`no such file or directory`).
  static func reason(_ code: Int32) -> String {
    let text = String(cString: strerror(code))
    guard let first = text.first else { return text }
    return first.lowercased() + text.dropFirst()
  }

  /// Why `path` (real) cannot be read, in Go's words.
  public static func readFailure(_ path: String) -> String {
    reason(errnoFor: path)
  }

  private static func reason(errnoFor path: String) -> String {
    if access(path, F_OK) != 0 { return reason(errno) }
    if access(path, R_OK) != 0 { return reason(EACCES) }
    return reason(EISDIR)
  }
}

/// `write(2)`, outside the type whose methods are also called `write`.
private func writeBytes(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int {
  write(fd, buffer.baseAddress, buffer.count)
}
