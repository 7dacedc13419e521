#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A resolved socket address (`sockaddr_in` or `sockaddr_in6` bytes) and its text form.
struct SocketAddress: Sendable, Equatable {
  /// `AF_INET` or `AF_INET6`.
  var family: Int32
  /// The raw `sockaddr` bytes.
  var bytes: [UInt8]

  /// `10.0.0.1:6443` or `[::1]:6443`.
  var display: String {
    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
    let status = bytes.withUnsafeBytes { raw -> Int32 in
      guard let base = raw.baseAddress else { return -1 }
      return getnameinfo(
        base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count),
        &host, socklen_t(host.count), &service, socklen_t(service.count),
        NI_NUMERICHOST | NI_NUMERICSERV)
    }
    guard status == 0 else { return "?" }
    let name = text(host)
    let port = text(service)
    return name.contains(":") ? "[\(name)]:\(port)" : "\(name):\(port)"
  }

  /// A NUL-terminated C buffer as text.
  private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
