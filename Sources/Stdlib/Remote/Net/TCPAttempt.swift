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

  /// Connects to `address`, waiting until `deadline` at most (or until `stop` says so, which
  /// reads as a timeout: the caller knows why it stopped).
  static func connect(
    _ address: SocketAddress, deadline: ContinuousClock.Instant, stop: StopCheck = .never
  ) -> Outcome {
    switch NonBlockingConnect.open(address, deadline: deadline, stop: stop) {
    case .connected(let fd):
      Platform.closeDescriptor(fd)
      return .open
    case .failed(let code): return outcome(code)
    case .timedOut, .stopped: return .timeout
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
