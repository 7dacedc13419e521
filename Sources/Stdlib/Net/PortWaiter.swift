import Foundation

/// Probes a port again and again until it is open or time runs out (`wait_for_port`).
public enum PortWaiter {
  /// How a wait ended.
  public struct Outcome: Sendable, Equatable {
    /// The last probe (open when the wait succeeded).
    public var last: ProbeResult
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

  /// Probes `target` every `every` (measured from the start of one probe to the next) until
  /// it is open or `timeout` has passed; each probe gets at most `probeLimit` and never more
  /// than the time left.
  public static func wait(for target: ProbeTarget, timeout: Duration, every: Duration)
    -> Outcome
  {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + timeout
    var attempts = 0
    var previous: ProbeResult?
    // Every pass runs one probe and then either returns or sleeps; the deadline bounds both.
    while true {
      let began = clock.now
      // Too little time left for a probe to say anything: wait out the timeout and report
      // the probe before.
      if let previous, deadline - began < minimumProbe {
        let left = deadline - began
        if left > .zero { Thread.sleep(forTimeInterval: Double(left / .microseconds(1)) / 1e6) }
        return Outcome(last: previous, attempts: attempts, waited: clock.now - start)
      }
      let budget = max(.milliseconds(1), min(probeLimit, deadline - began))
      let result = PortProbe.probe(target, timeout: budget)
      attempts += 1
      let now = clock.now
      if result.status == .open || now >= deadline {
        // A probe cut short by the deadline says less than a full one before it.
        let cutShort = result.status == .timeout && budget < probeLimit
        let last = cutShort ? previous ?? result : result
        return Outcome(last: last, attempts: attempts, waited: now - start)
      }
      previous = result
      let pause = min(every - (now - began), deadline - now)
      if pause > .zero {
        Thread.sleep(forTimeInterval: Double(pause / .microseconds(1)) / 1e6)
      }
    }
  }
}
