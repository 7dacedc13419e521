#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One non-blocking TCP connect to one address, polled until it completes or the deadline
/// passes; the socket is closed either way (a probe sends no data).
enum TCPAttempt {
  /// How one connect ended.
  enum Outcome: Equatable {
    /// Connected.
    case open
    /// `ECONNREFUSED`.
    case refused
    /// No answer before the deadline (or `ETIMEDOUT`).
    case timeout
    /// No route, network down (`EHOSTUNREACH`, `ENETUNREACH`, …), with the system's words.
    case unreachable(String)
  }

  /// Connects to `address`, waiting until `deadline` at most.
  static func connect(_ address: SocketAddress, deadline: ContinuousClock.Instant) -> Outcome {
    #if canImport(Glibc)
      let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    #else
      let kind = SOCK_STREAM
    #endif
    let fd = socket(address.family, kind, 0)
    guard fd >= 0 else { return .unreachable(describe(errno)) }
    defer { Platform.closeDescriptor(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    let status = address.bytes.withUnsafeBytes { raw -> Int32 in
      guard let base = raw.baseAddress else { return -1 }
      return Platform.connect(fd, base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
    }
    if status == 0 { return .open }
    let code = errno
    guard code == EINPROGRESS || code == EINTR else { return outcome(code) }
    return waitConnected(fd, deadline: deadline)
  }

  private static func waitConnected(_ fd: Int32, deadline: ContinuousClock.Instant) -> Outcome {
    // Each pass either returns or waits on poll with a positive timeout until the deadline.
    while true {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { return .timeout }
      var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      let milliseconds = Int32(clamping: TCPConnector.milliseconds(remaining) + 1)
      let ready = poll(&entry, 1, milliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        return .unreachable(describe(errno))
      }
      if ready == 0 { continue }
      var code: Int32 = 0
      var size = socklen_t(MemoryLayout<Int32>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) == 0 else {
        return .unreachable(describe(errno))
      }
      return code == 0 ? .open : outcome(code)
    }
  }

  private static func outcome(_ code: Int32) -> Outcome {
    switch code {
    case ECONNREFUSED, ECONNRESET: .refused
    case ETIMEDOUT: .timeout
    default: .unreachable(describe(code))
    }
  }

  private static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
