#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// System calls whose Swift names clash with methods of the SSH types (`close`, `connect`).
enum Platform {
  /// `close(2)`.
  static func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
      _ = Glibc.close(fd)
    #else
      _ = Darwin.close(fd)
    #endif
  }

  /// `connect(2)`.
  static func connect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t)
    -> Int32
  {
    #if canImport(Glibc)
      Glibc.connect(fd, address, length)
    #else
      Darwin.connect(fd, address, length)
    #endif
  }

  /// `read(2)` into a buffer.
  static func read(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    #if canImport(Glibc)
      Glibc.read(fd, buffer.baseAddress, buffer.count)
    #else
      Darwin.read(fd, buffer.baseAddress, buffer.count)
    #endif
  }

  /// `write(2)` of a whole buffer (retrying short writes); false on error.
  static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    while offset < buffer.count {
      guard let base = buffer.baseAddress else { return true }
      #if canImport(Glibc)
        let count = Glibc.write(fd, base + offset, buffer.count - offset)
      #else
        let count = Darwin.write(fd, base + offset, buffer.count - offset)
      #endif
      if count < 0 {
        if errno == EINTR { continue }
        return false
      }
      offset += count
    }
    return true
  }
}
