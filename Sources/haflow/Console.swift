#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The process's standard output and error: the only place haflow writes text.
///
/// Writes go straight to the file descriptor (no buffering), so stdout and stderr lines keep
/// their order when both go to one terminal or pipe.
enum Console {
  /// Writes text to standard output.
  static func out(_ text: String) { put(text, fd: STDOUT_FILENO) }

  /// Writes text to standard error.
  static func err(_ text: String) { put(text, fd: STDERR_FILENO) }

  /// Whether standard error is a terminal.
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

  /// The width of the terminal on standard error (80 when it cannot be told).
  static var stderrColumns: Int {
    var size = winsize()
    guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }

  /// Writes all bytes of `text` to `fd`, retrying short writes; errors (a closed pipe) are
  /// dropped.
  private static func put(_ text: String, fd: Int32) {
    let bytes = Array(text.utf8)
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = write(fd, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }
}
