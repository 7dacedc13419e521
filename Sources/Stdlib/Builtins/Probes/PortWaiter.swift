import Interpreter

/// Probes a port again and again until it is open or time runs out (`wait_for_port`), through
/// the run's prober; the run's cancellation (Ctrl-C) ends a probe and a pause at once.
public struct PortWaiter {
  /// How a wait ended.
  public struct Outcome: Sendable, Equatable {
    /// The last probe (open when the wait succeeded).
    public var last: PortProbeReport
    /// How many probes ran.
    public var attempts: Int
    /// How long the whole wait took.
    public var waited: Duration
    /// Whether the port was found open.
    public var isOpen: Bool { last.status == .open }
  }

  /// Longest single probe: a dropped SYN should not eat a whole short interval.
  public static let probeLimit: Duration = .seconds(2)

  /// The least time worth a probe near the deadline.
  static let minimumProbe: Duration = .milliseconds(100)

  /// What runs each probe.
  public var prober: any PortProber
  /// Ends a probe or a pause early, with the `interrupted` error.
  public var cancellation: Cancellation

  /// Makes a waiter.
  public init(prober: any PortProber, cancellation: Cancellation) {
    self.prober = prober
    self.cancellation = cancellation
  }

  private func pause(_ duration: Duration) throws {
    try cancellation.sleep(nanoseconds: duration.nanoseconds)
  }

  /// Probes `target` every `every` (measured from the start of one probe to the next) until
  /// it is open or `timeout` has passed; each probe gets at most `probeLimit` and never more
  /// than the time left.
  public func wait(for target: ProbeTarget, timeout: Duration, every: Duration) throws
    -> Outcome
  {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + timeout
    var attempts = 0
    var previous: PortProbeReport?
    // Every pass runs one probe and then either returns or pauses; the deadline bounds both.
    while true {
      let began = clock.now
      // Too little time left for a probe to say anything: wait out the timeout and report
      // the probe before.
      if let previous, deadline - began < Self.minimumProbe {
        let left = deadline - began
        if left > .zero { try pause(left) }
        return Outcome(last: previous, attempts: attempts, waited: clock.now - start)
      }
      let budget = max(.milliseconds(1), min(Self.probeLimit, deadline - began))
      let result = prober.probe(
        host: target.host, port: target.port, timeout: budget.nanoseconds,
        cancellation: cancellation)
      try cancellation.check()
      attempts += 1
      let now = clock.now
      if result.status == .open || now >= deadline {
        // A probe cut short by the deadline says less than a full one before it.
        let cutShort = result.status == .timeout && budget < Self.probeLimit
        let last = cutShort ? previous ?? result : result
        return Outcome(last: last, attempts: attempts, waited: now - start)
      }
      previous = result
      let rest = min(every - (now - began), deadline - now)
      if rest > .zero { try pause(rest) }
    }
  }
}

extension Duration {
  /// Whole nanoseconds, as the language's durations count.
  var nanoseconds: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }

}
