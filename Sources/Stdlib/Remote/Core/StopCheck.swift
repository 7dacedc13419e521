/// Asks a long wait whether to give up early. The transport knows nothing of how a run is
/// cancelled; the session layer wires this to the run's cancellation (Ctrl-C, SIGTERM), so a
/// probe, a connect or a transfer ends within a fraction of a second instead of running out
/// its timeout.
public struct StopCheck: Sendable {
  private let test: @Sendable () -> Bool

  /// A check that asks `test`.
  public init(_ test: @escaping @Sendable () -> Bool) { self.test = test }

  /// Never stops.
  public static let never = StopCheck { false }

  /// Whether to stop now.
  public var isStopped: Bool { test() }

  /// The longest a wait sleeps before asking again.
  static let slice: Duration = .milliseconds(100)
}
