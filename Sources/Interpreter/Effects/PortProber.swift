/// TCP probes from the controller, the effect behind `probe` and `wait_for_port`. The session
/// layer implements it with real sockets; the interpreter and the built-ins know no network.
public protocol PortProber: Sendable {
  /// Probes `host:port` once, name resolution included, within about `timeout` nanoseconds,
  /// giving up early when `cancellation` is cancelled. Network outcomes are reports, never
  /// errors.
  func probe(host: String, port: Int, timeout: Int64, cancellation: Cancellation)
    -> PortProbeReport
}

/// What one TCP probe found.
public struct PortProbeReport: Sendable, Hashable {
  /// What a probe can find.
  public enum Status: String, Sendable, CaseIterable {
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

  /// What was found.
  public var status: Status
  /// How long the probe took, name resolution included, in nanoseconds.
  public var latency: Int64
  /// The host as given (a name or an address).
  public var host: String
  /// The port.
  public var port: Int
  /// The address tried last, `ip:port` or `[v6]:port`; nil when the name did not resolve.
  public var address: String?
  /// One sentence for logs: `connection refused by 10.0.0.1:6443`.
  public var message: String

  /// Makes a report.
  public init(
    status: Status, latency: Int64, host: String, port: Int, address: String?, message: String
  ) {
    self.status = status
    self.latency = latency
    self.host = host
    self.port = port
    self.address = address
    self.message = message
  }
}
