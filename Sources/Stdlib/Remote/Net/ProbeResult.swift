/// What a TCP probe found at `host:port`.
public enum ProbeStatus: String, Sendable, CaseIterable {
  /// A connection was accepted (and closed at once).
  case open
  /// The host answered with a reset: nothing listens on the port.
  case refused
  /// No answer within the timeout: a firewall drops the packets, or the host is down.
  case timeout
  /// The network or host cannot be reached (no route, network down).
  case unreachable
  /// The name did not resolve (or not within the timeout).
  case dnsError = "dns_error"
}

/// The outcome of one probe: the status, how long it took and a sentence about it.
public struct ProbeResult: Sendable, Equatable {
  /// What was found.
  public var status: ProbeStatus
  /// How long the probe took, name resolution included.
  public var latency: Duration
  /// The host as given (a name or an address).
  public var host: String
  /// The port.
  public var port: Int
  /// The address tried last, `ip:port` or `[v6]:port`; nil when the name did not resolve.
  public var address: String?
  /// One sentence for logs: `connection refused by 10.0.0.1:6443`.
  public var message: String

  /// Makes a result.
  public init(
    status: ProbeStatus, latency: Duration, host: String, port: Int, address: String?,
    message: String
  ) {
    self.status = status
    self.latency = latency
    self.host = host
    self.port = port
    self.address = address
    self.message = message
  }
}
