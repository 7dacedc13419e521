#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a TCP connection could not be made.
enum ConnectFailure: Error, Equatable {
  /// The name did not resolve.
  case resolve(String)
  /// Something answered with a reset: nothing listens there.
  case refused
  /// No answer within the connect timeout.
  case timedOut
  /// Another socket error (unreachable network, …).
  case other(String)
  /// The stop check said to give up (Ctrl-C).
  case stopped
}

/// Opens the TCP connection to an SSH server: non-blocking `connect` plus `poll`, so the connect
/// timeout is honoured even when packets are silently dropped. The socket it returns has
/// `TCP_NODELAY` (SSH sends many small packets; Nagle's algorithm costs tens of milliseconds
/// per command) and `SO_KEEPALIVE`, and is left non-blocking (libssh2 wants that).
enum TCPConnector {
  /// Connects to `address:port`, trying each resolved address within `timeout` overall.
  static func connect(
    address: String, port: Int, timeout: Duration, stop: StopCheck = .never
  ) throws(ConnectFailure) -> Int32 {
    let deadline = ContinuousClock.now + timeout
    let addresses = try resolve(address, port: port, deadline: deadline, stop: stop)
    var failure = ConnectFailure.other("no address for \(address)")
    for candidate in addresses {
      do {
        return try attempt(candidate, deadline: deadline, stop: stop)
      } catch {
        failure = error
        if error == .timedOut || error == .stopped { break }
      }
    }
    throw failure
  }

  /// The addresses of `name`, resolved by `NameResolver` (the probes' resolver) within what is
  /// left of the connect timeout.
  private static func resolve(
    _ name: String, port: Int, deadline: ContinuousClock.Instant, stop: StopCheck
  ) throws(ConnectFailure) -> [SocketAddress] {
    switch NameResolver.resolve(name, port: port, within: deadline - .now, stop: stop) {
    case .success(let addresses): return addresses
    case .failure(.failed(let reason)): throw .resolve(reason)
    case .failure(.timedOut) where stop.isStopped: throw .stopped
    case .failure(.timedOut): throw .resolve("no answer from the resolver in time")
    }
  }

  private static func attempt(
    _ candidate: SocketAddress, deadline: ContinuousClock.Instant, stop: StopCheck
  ) throws(ConnectFailure) -> Int32 {
    let outcome = NonBlockingConnect.open(candidate, deadline: deadline, stop: stop) { fd in
      setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY)
      setOption(fd, SOL_SOCKET, SO_KEEPALIVE)
      #if canImport(Darwin)
        setOption(fd, SOL_SOCKET, SO_NOSIGPIPE)
      #endif
    }
    switch outcome {
    case .connected(let fd): return fd
    case .failed(let code): throw failure(code)
    case .timedOut: throw .timedOut
    case .stopped: throw .stopped
    }
  }

  private static func failure(_ code: Int32) -> ConnectFailure {
    switch code {
    case ECONNREFUSED: .refused
    case ETIMEDOUT: .timedOut
    default: .other(describe(code))
    }
  }

  private static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32) {
    var on: Int32 = 1
    _ = setsockopt(fd, level, name, &on, socklen_t(MemoryLayout<Int32>.size))
  }

  /// `strerror` text.
  static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// Whole milliseconds in a duration (rounded down, at least 0).
  static func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
  }
}
