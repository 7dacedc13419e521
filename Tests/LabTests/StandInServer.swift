import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A throwaway TCP server on `address:port` that answers every connection with its name and
/// closes it: what stands on a control plane's :6443 until the lab has an API server.
final class StandInServer: @unchecked Sendable {
  let name: String
  private let fd: Int32
  private let lock = NSLock()
  private var stopped = false
  private let done = DispatchSemaphore(value: 0)

  init(name: String, address: String, port: Int) throws {
    self.name = name
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    var on: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, address, &addr.sin_addr)
    let fd = self.fd
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && listen(fd, 64) == 0
      }
    }
    guard bound else {
      Glibc.close(fd)
      throw StandInError("cannot listen on \(address):\(port): \(String(cString: strerror(errno)))")
    }
    let thread = Thread { [self] in serve() }
    thread.start()
  }

  /// Accepts (polling, so `stop` is seen within 50 ms) until stopped.
  private func serve() {
    defer { done.signal() }
    let reply = Array(name.utf8)
    while !isStopped {
      var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&poller, 1, 50) > 0 else { continue }
      let client = accept(fd, nil, nil)
      guard client >= 0 else { continue }
      _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      Glibc.close(client)
    }
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  /// Stops accepting and closes the socket (connections are then refused).
  func stop() {
    lock.lock()
    let already = stopped
    stopped = true
    lock.unlock()
    guard !already else { return }
    _ = done.wait(timeout: .now() + 5)
    Glibc.close(fd)
  }

  deinit { stop() }

  /// What a client of `address:port` sees: the server's reply (`""` when the connection was
  /// accepted and closed with nothing said), or nil when it was refused or reset. Bounded by
  /// `timeout` seconds.
  static func ask(_ address: String, _ port: Int, timeout: Int = 3) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { Glibc.close(fd) }
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, address, &addr.sin_addr)
    let connected = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
    guard connected else { return nil }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    while reply.count < 4096 {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count > 0 {
        reply += buffer.prefix(count)
      } else if count == 0 {
        break
      } else {
        return reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
      }
    }
    return String(decoding: reply, as: UTF8.self)
  }
}

/// A stand-in server that could not start.
struct StandInError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
