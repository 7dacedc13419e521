import Foundation

/// Runs commands on this machine: `/bin/sh -c TEXT`, through `sudo -n` when asked (unless
/// already root).
///
/// - Environment entries are added to haflow's own environment (through sudo they are passed
///   as `env NAME=VALUE` arguments, since sudo resets the environment).
/// - Output is streamed line by line while the command runs, and kept whole in the result.
/// - A timeout sends SIGTERM to the command's process group, then SIGKILL after `killGrace`;
///   the exit status is then 124 and the result says `timedOut`. A command killed by another
///   signal N reports 128+N.
/// - sudo missing gives exit status 127 with an explanation on stderr; sudo wanting a password
///   (it runs with `-n`, never prompting) gets an explanatory line added to stderr.
///
/// Each command runs in a process group of its own (so a timeout stops its children too), which
/// the terminal's Ctrl-C does not reach: call `terminateRunningCommands()` when interrupted.
public struct LocalProcesses: Sendable {
  /// Time between SIGTERM and SIGKILL after a timeout.
  public var killGrace: Duration
  private let running: RunningCommands

  /// Makes a runner; `stop` says the run was interrupted (a command started after that is
  /// terminated as soon as it runs, like those `terminateRunningCommands()` reached).
  public init(killGrace: Duration = .seconds(2), stop: StopCheck = .never) {
    self.killGrace = killGrace
    running = RunningCommands(stop: stop)
  }

  /// Sends SIGTERM to the process group of every command this runner (or a copy of it) is
  /// running, e.g. on Ctrl-C; returns how many there were. Their results report 143.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    running.signalAll(SIGTERM)
  }

  /// Runs the command to completion; throws only when it cannot be started at all. `host`
  /// names the output lines (`local`, or a `local` inventory host's name).
  public func run(_ command: ShellCommand, host: String = "local", output: any TransportOutput)
    throws -> ShellResult
  {
    if let directory = command.directory {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        throw RemoteError("working directory \"\(directory)\" does not exist", host: host)
      }
    }
    let started = ContinuousClock.now
    guard let plan = LaunchPlan(command, killGrace: killGrace) else {
      let message = "sudo is not installed: cannot run as root (run haflow as root or install sudo)"
      output.line(message, isError: true, host: host)
      return ShellResult(
        host: host, stdout: "", stderr: message + "\n", exitStatus: 127,
        duration: ContinuousClock.now - started)
    }
    let outcome = try plan.execute(hostName: host, sink: output, running: running)
    var stderr = String(decoding: outcome.stderr, as: UTF8.self)
    if !outcome.timedOut && plan.usesSudo && outcome.exitStatus != 0
      && (stderr.contains("a password is required") || stderr.contains("a terminal is required"))
    {
      let note =
        "haflow: sudo asked for a password; allow passwordless sudo (NOPASSWD) for this user, or run haflow as root"
      if let last = stderr.utf8.last, last != 0x0A { stderr += "\n" }
      stderr += note + "\n"
      output.line(note, isError: true, host: host)
    }
    return ShellResult(
      host: host, stdout: String(decoding: outcome.stdout, as: UTF8.self), stderr: stderr,
      exitStatus: outcome.timedOut ? 124 : outcome.exitStatus, timedOut: outcome.timedOut,
      duration: ContinuousClock.now - started)
  }
}
