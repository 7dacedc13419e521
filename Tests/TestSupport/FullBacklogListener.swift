import Foundation

/// A loopback listener whose accept queue is full, so further connection attempts get no
/// answer at all: the closest thing to a host that drops packets.
public final class FullBacklogListener: @unchecked Sendable {
  public let port: Int
  private let fd: Int32
  private var fillers: [Int32] = []

  public init(address: String) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    self.fd = fd
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, address, &addr.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard ok else { throw FixtureError("cannot listen on \(address)") }
    port = Int(UInt16(bigEndian: addr.sin_port))
    // Fill the queue: these connect (or hang) and are never accepted.
    for _ in 0..<4 {
      let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
      var target = sockaddr_in()
      target.sin_family = sa_family_t(AF_INET)
      target.sin_port = UInt16(port).bigEndian
      inet_pton(AF_INET, address, &target.sin_addr)
      _ = withUnsafePointer(to: &target) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      fillers.append(filler)
    }
    usleep(100_000)
  }

  public func close() {
    for filler in fillers { Glibc.close(filler) }
    fillers = []
    Glibc.close(fd)
  }
}
