import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Name resolution with a time limit: `getaddrinfo` has none of its own, so a name runs on a
/// thread of its own and the caller waits at most the limit for it. A numeric address is
/// converted at once, with no thread.
enum NameResolver {
  /// Why a name did not resolve.
  enum Failure: Error, Equatable {
    /// The resolver answered with an error (`gai_strerror` text).
    case failed(String)
    /// No answer within the limit.
    case timedOut
  }

  /// The TCP addresses of `host` (a name, an IPv4 or an IPv6 address), in resolver order;
  /// `stop` ends the wait early (as a timeout).
  static func resolve(
    _ host: String, port: Int, within limit: Duration, stop: StopCheck = .never
  ) -> Result<[SocketAddress], Failure> {
    if case .success(let numeric) = lookup(host, port: port, numericOnly: true) {
      return .success(numeric)
    }
    let outcome = Mutex<Result<[SocketAddress], Failure>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      let result = lookup(host, port: port, numericOnly: false)
      outcome.withLock { $0 = result }
      done.signal()
    }
    thread.stackSize = 1 << 20
    thread.start()
    let deadline = ContinuousClock.now + limit
    while true {
      let left = deadline - ContinuousClock.now
      guard left > .zero, !stop.isStopped else { return .failure(.timedOut) }
      let milliseconds = max(1, Int(min(left, StopCheck.slice) / .milliseconds(1)))
      if done.wait(timeout: .now() + .milliseconds(milliseconds)) == .success { break }
    }
    return outcome.withLock { $0 } ?? .failure(.timedOut)
  }

  /// One `getaddrinfo` call.
  private static func lookup(_ host: String, port: Int, numericOnly: Bool) -> Result<
    [SocketAddress], Failure
  > {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    hints.ai_flags = AI_NUMERICSERV | (numericOnly ? AI_NUMERICHOST : 0)
    var list: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &list)
    guard status == 0, let first = list else {
      return .failure(.failed(String(cString: gai_strerror(status))))
    }
    defer { freeaddrinfo(first) }
    var out: [SocketAddress] = []
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let entry = cursor {
      if let raw = entry.pointee.ai_addr {
        let bytes = Array(UnsafeRawBufferPointer(start: raw, count: Int(entry.pointee.ai_addrlen)))
        let address = SocketAddress(family: entry.pointee.ai_family, bytes: bytes)
        if !out.contains(address) { out.append(address) }
      }
      cursor = entry.pointee.ai_next
    }
    return out.isEmpty ? .failure(.failed("no address")) : .success(out)
  }
}
