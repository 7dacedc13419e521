#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One non-blocking TCP `connect` to one address, polled until it completes or the deadline
/// passes — what a probe and an SSH connection both start with. The socket is close-on-exec
/// and non-blocking; on failure it is closed.
enum NonBlockingConnect {
  /// How it ended.
  enum Outcome {
    /// Connected: the socket, now the caller's to close.
    case connected(Int32)
    /// The system's error number (`ECONNREFUSED`, `ENETUNREACH`, …).
    case failed(Int32)
    /// No answer before the deadline.
    case timedOut
    /// The stop check said to give up (Ctrl-C).
    case stopped
  }

  /// Connects to `address` by `deadline` at the latest, asking `stop` every tenth of a second;
  /// `configure` sets socket options before the connect starts.
  static func open(
    _ address: SocketAddress, deadline: ContinuousClock.Instant, stop: StopCheck = .never,
    configure: (Int32) -> Void = { _ in }
  ) -> Outcome {
    #if canImport(Glibc)
      let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    #else
      let kind = SOCK_STREAM
    #endif
    let fd = socket(address.family, kind, 0)
    guard fd >= 0 else { return .failed(errno) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    configure(fd)
    let status = address.bytes.withUnsafeBytes { raw -> Int32 in
      guard let base = raw.baseAddress else { return -1 }
      return Platform.connect(fd, base.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
    }
    var outcome = Outcome.connected(fd)
    if status != 0 {
      let code = errno
      outcome =
        code == EINPROGRESS || code == EINTR
        ? waitConnected(fd, deadline: deadline, stop: stop) : .failed(code)
    }
    if case .connected = outcome { return outcome }
    Platform.closeDescriptor(fd)
    return outcome
  }

  /// Each pass either returns or waits on poll with a positive timeout (at most a slice, so
  /// `stop` is asked often) until the deadline.
  private static func waitConnected(
    _ fd: Int32, deadline: ContinuousClock.Instant, stop: StopCheck
  ) -> Outcome {
    while true {
      if stop.isStopped { return .stopped }
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { return .timedOut }
      var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      let wait = min(remaining, StopCheck.slice)
      let ready = poll(&entry, 1, Int32(clamping: TCPConnector.milliseconds(wait) + 1))
      if ready < 0 {
        if errno == EINTR { continue }
        return .failed(errno)
      }
      if ready == 0 { continue }
      var code: Int32 = 0
      var size = socklen_t(MemoryLayout<Int32>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size) == 0 else { return .failed(errno) }
      return code == 0 ? .connected(fd) : .failed(code)
    }
  }
}
