import Interpreter
import Remote

/// TCP probes from this machine for `probe` and `wait_for_port`: the transport's probe, its
/// report in the language's terms.
public struct PortProbes: PortProber {
  /// Makes one.
  public init() {}

  /// Probes `host:port` once, stopping early when the run is cancelled.
  public func probe(host: String, port: Int, timeout: Int64, cancellation: Cancellation)
    -> PortProbeReport
  {
    let result = PortProbe.probe(
      host: host, port: port, timeout: .nanoseconds(timeout),
      stop: StopCheck { cancellation.isCancelled })
    return PortProbeReport(
      status: PortProbeReport.Status(rawValue: result.status.rawValue) ?? .unreachable,
      latency: result.latency.nanosecondCount, host: result.host, port: result.port,
      address: result.address, message: result.message)
  }
}
