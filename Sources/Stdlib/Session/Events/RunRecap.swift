/// What a run did, host by host and step by step: the recap printed at the end of every run,
/// made from the run's events by `RecapBuilder`.
///
/// A host's count in a step: `unreachable` when it could not be connected to, `failed` when
/// its `on` body failed (or, in a step without `on`, a command on it failed and the step
/// failed), `skipped` when the step was left out (`--skip`, …) or never reached the host
/// (an earlier host failed, `fail_fast`, Ctrl-C), `changed` when the step ran a command on it
/// or wrote a file that differed (haflow cannot tell a command that reads from one that
/// writes), else `ok`.
public struct RunRecap: Sendable, Equatable {
  /// One host's counts, in the order hosts were first seen.
  public struct HostLine: Sendable, Equatable {
    /// The host's name.
    public var name: String
    /// Steps finished on the host without running a command or changing a file.
    public var ok = 0
    /// Steps that ran a command or changed a file on it.
    public var changed = 0
    /// Steps that failed on it.
    public var failed = 0
    /// Steps that did not run on it.
    public var skipped = 0
    /// Steps that could not reach it.
    public var unreachable = 0
    /// Time spent on the host (its `on` bodies; commands and transfers elsewhere), ns.
    public var time: Int64 = 0
  }

  /// One step.
  public struct StepLine: Sendable, Equatable {
    /// The step's name.
    public var name: String
    /// `ok`, `failed`, `skipped` (with `reason`), or `running` when the run stopped in it.
    public var status: String
    /// Why it was skipped (`--skip`, `--only`, `--start-at`).
    public var reason: String?
    /// How long it ran, ns.
    public var duration: Int64
    /// The hosts it ran on (named by `on`, or touched).
    public var hosts: [String]
  }

  /// A command that failed on a host whose step failed.
  public struct FailedCommand: Sendable, Equatable {
    /// The step it ran in, if any.
    public var step: String?
    /// The host.
    public var host: String
    /// The command, secrets redacted.
    public var command: String
    /// Its exit status.
    public var exitStatus: Int64
    /// Its last lines of standard error (at most `RecapBuilder.stderrLines`).
    public var stderr: [String]
  }

  /// A host that failed or could not be reached in a step, with why, when no failed command
  /// tells it (`fail(…)`, an assertion, a transfer, a refused connection).
  public struct HostProblem: Sendable, Equatable {
    /// The step, if any.
    public var step: String?
    /// The host.
    public var host: String
    /// `failed` or `unreachable`.
    public var status: String
    /// The first line of the error.
    public var message: String
  }

  /// Hosts, in the order they were first seen.
  public var hosts: [HostLine] = []
  /// Steps, in the order they started (or were skipped).
  public var steps: [StepLine] = []
  /// Failed commands, in the order they ended.
  public var failedCommands: [FailedCommand] = []
  /// Other failures and unreachable hosts, in step order.
  public var problems: [HostProblem] = []
  /// `ok`, `failed`, `interrupted`, `usage`; nil while the run is going.
  public var status: String?
  /// The run's wall time, ns (0 while it is going).
  public var total: Int64 = 0

  /// Makes an empty recap.
  public init() {}
}
