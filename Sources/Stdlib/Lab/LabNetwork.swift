import Foundation
import Remote

#if canImport(Glibc)
  import Glibc
#endif

/// Addresses and ports for lab hosts: consecutive loopback addresses, port 22 or a free one,
/// and waiting (bounded) for a server to accept connections.
enum LabNetwork {
  /// `count` consecutive addresses from `first` (which must be in 127.0.0.0/8), running on
  /// past a /24 (127.0.4.255 is followed by 127.0.5.0: on Linux all of 127.0.0.0/8 is this
  /// machine, so every one of them is a host's own address), up to 127.255.255.254.
  static func addresses(from first: String, count: Int) throws -> [String] {
    let parts = first.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 4, parts.allSatisfy({ $0 != nil && (0...255).contains($0 ?? -1) }),
      parts[0] == 127
    else {
      throw LabError("\(first) is not a loopback address (127.x.y.z)")
    }
    let start = parts.dropFirst().reduce(0) { $0 * 256 + ($1 ?? 0) }
    guard start >= 1, start + count - 1 <= 0xFF_FFFE else {
      throw LabError(
        "\(count) hosts from \(first) do not fit: the addresses must stay within "
          + "127.0.0.1–127.255.255.254")
    }
    return (0..<count).map { offset in
      let value = start + offset
      return "127.\(value >> 16).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
  }

  /// Whether a listener could bind `address:port` now.
  static func isFree(_ address: String, _ port: Int) -> Bool {
    (try? bind(address, port, reuse: true)) != nil
  }

  /// A free high port on `address` (bound and released).
  static func freePort(on address: String) throws -> Int {
    guard let port = try? bind(address, 0, reuse: false) else {
      throw LabError("cannot bind a port on \(address)")
    }
    return port
  }

  /// Binds `address:port` (0: any), closes it again and returns the port.
  private static func bind(_ address: String, _ port: Int, reuse: Bool) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw LabError("socket") }
    defer { _ = Glibc.close(fd) }
    var on: Int32 = 1
    if reuse {
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { throw LabError("address") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw LabError("bind") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// Whether something accepts TCP connections on `address:port` (within `limit`).
  static func accepts(_ address: String, _ port: Int, limit: Duration = .seconds(1)) -> Bool {
    PortProbe.probe(host: address, port: port, timeout: limit).status == .open
  }

  /// Waits until `address:port` accepts connections, `pid` dies, or `limit` passes.
  static func waitListening(_ address: String, _ port: Int, pid: Int32, limit: Duration)
    -> Bool
  {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid || !LabProcesses.isAlive(pid) { return false }
      if accepts(address, port, limit: .milliseconds(500)) { return true }
      usleep(10_000)
    }
    return false
  }
}
