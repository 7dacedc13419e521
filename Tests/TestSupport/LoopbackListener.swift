import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP listener on a loopback address and a free port (connections are never accepted; the
/// kernel completes them, which is all a probe needs).
public final class LoopbackListener: @unchecked Sendable {
  public let port: Int
  private let fd: Int32

  public init(address: String, port: Int = 0) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, address, &addr.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let fd = self.fd
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else {
      Glibc.close(fd)
      throw FixtureError("cannot listen on \(address):\(port)")
    }
    self.port = Int(UInt16(bigEndian: addr.sin_port))
  }

  public func close() { Glibc.close(fd) }
}

/// A listener that starts listening `after` seconds, on a thread of its own.
public final class LateListener: @unchecked Sendable {
  private let lock = NSLock()
  private var listener: LoopbackListener?
  private var closed = false

  public init(address: String, port: Int, after delay: TimeInterval) {
    let thread = Thread { [self] in
      Thread.sleep(forTimeInterval: delay)
      let made = try? LoopbackListener(address: address, port: port)
      lock.lock()
      if closed { made?.close() } else { listener = made }
      lock.unlock()
    }
    thread.start()
  }

  public func close() {
    lock.lock()
    closed = true
    listener?.close()
    listener = nil
    lock.unlock()
  }
}
