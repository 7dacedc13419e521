/// The `nc -zv -w SECONDS HOST PORT` of haflow: resolves the host and tries a TCP connection
/// from this machine (the controller), classifying what happened. Network outcomes are
/// results, never errors.
public enum PortProbe {
  /// Probes `host:port` once; the whole probe (name resolution included) takes at most about
  /// `timeout`. Each resolved address is tried in turn until one is open or time runs out.
  /// `stop` ends it early (the result then says timeout; the caller knows why).
  public static func probe(
    host: String, port: Int, timeout: Duration, stop: StopCheck = .never
  ) -> ProbeResult {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + timeout
    func result(_ status: ProbeStatus, _ address: String?, _ message: String) -> ProbeResult {
      ProbeResult(
        status: status, latency: rounded(clock.now - start), host: host, port: port,
        address: address, message: message)
    }
    let addresses: [SocketAddress]
    switch NameResolver.resolve(host, port: port, within: timeout, stop: stop) {
    case .success(let resolved): addresses = resolved
    case .failure(.failed(let reason)):
      return result(.dnsError, nil, "cannot resolve \(host): \(reason)")
    case .failure(.timedOut):
      return result(
        .dnsError, nil, "cannot resolve \(host): no answer within \(text(timeout))")
    }
    var last = result(.unreachable, nil, "no address for \(host)")
    for address in addresses {
      let shown = address.display
      switch TCPAttempt.connect(address, deadline: deadline, stop: stop) {
      case .open:
        var open = result(.open, shown, "")
        open.message = "\(shown) is open (\(text(open.latency)))"
        return open
      case .refused:
        last = result(.refused, shown, "connection refused by \(shown): nothing listens there")
      case .timeout:
        return result(.timeout, shown, "no answer from \(shown) within \(text(timeout))")
      case .unreachable(let reason):
        last = result(.unreachable, shown, "\(shown) is unreachable: \(reason)")
      }
      if clock.now >= deadline || stop.isStopped { break }
    }
    return last
  }

  /// A duration rounded to whole microseconds (probe latencies read better that way).
  static func rounded(_ duration: Duration) -> Duration {
    .microseconds(Int64((duration / .microseconds(1)).rounded()))
  }

  /// `2s`, `1ms500us`.
  static func text(_ duration: Duration) -> String {
    duration.shortText
  }
}
