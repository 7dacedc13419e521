import Foundation
import Interpreter

/// Runs commands on this machine: `/bin/sh -c TEXT`, through `sudo -n` when asked (unless
/// already root).
///
/// - Environment entries are added to haflow's own environment (through sudo they are passed
///   as `env NAME=VALUE` arguments, since sudo resets the environment).
/// - Output is streamed to the sink line by line while the command runs, and kept whole in
///   the result.
/// - A timeout sends SIGTERM to the command's process group, then SIGKILL 2 seconds later; the
///   exit status is then 124 and stderr ends with `timed out after 2s`. A command killed by
///   another signal N reports 128+N.
/// - sudo missing gives exit status 127 with an explanation on stderr; sudo wanting a password
///   (it runs with `-n`, never prompting) gets an explanatory line added to stderr.
///
/// Each command runs in a process group of its own (so a timeout stops its children too), which
/// the terminal's Ctrl-C does not reach: call `terminateRunningCommands()` when interrupted.
public struct LocalExecutor: CommandExecutor {
  /// Time between SIGTERM and SIGKILL after a timeout.
  public var killGrace: Duration
  private let running = RunningCommands()

  /// Makes an executor.
  public init(killGrace: Duration = .seconds(2)) {
    self.killGrace = killGrace
  }

  /// Sends SIGTERM to the process group of every command this executor (or a copy of it) is
  /// running, e.g. on Ctrl-C; returns how many there were. Their results report 143.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    running.signalAll(SIGTERM)
  }

  /// Runs the request to completion; throws only when the command cannot be started at all.
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    let hostName = request.host?.name ?? "local"
    if let directory = request.directory {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
        isDirectory.boolValue
      else {
        throw RuntimeError("working directory \(Value.quoted(directory)) does not exist")
      }
    }
    let started = ContinuousClock.now
    guard let plan = LaunchPlan(request, killGrace: killGrace) else {
      let message = "sudo is not installed: cannot run as root (run haflow as root or install sudo)"
      sink.emit(.commandOutput(host: hostName, line: message, isError: true))
      return CommandResult(
        host: hostName, command: request.command.displayText, stdout: "", stderr: message + "\n",
        exitStatus: 127, duration: elapsed(since: started))
    }
    let outcome = try plan.execute(hostName: hostName, sink: sink, running: running)
    var stderr = String(decoding: outcome.stderr, as: UTF8.self)
    var exitStatus = outcome.exitStatus
    func note(_ line: String) {
      if let last = stderr.utf8.last, last != 0x0A { stderr += "\n" }
      stderr += line + "\n"
      sink.emit(.commandOutput(host: hostName, line: line, isError: true))
    }
    if outcome.timedOut, let timeout = request.timeout {
      exitStatus = 124
      note("timed out after \(Value.formatDuration(timeout))")
    } else if plan.usesSudo && exitStatus != 0
      && (stderr.contains("a password is required") || stderr.contains("a terminal is required"))
    {
      note(
        "haflow: sudo asked for a password; allow passwordless sudo (NOPASSWD) for this user, or run haflow as root"
      )
    }
    return CommandResult(
      host: hostName, command: request.command.displayText,
      stdout: String(decoding: outcome.stdout, as: UTF8.self), stderr: stderr,
      exitStatus: exitStatus, duration: elapsed(since: started))
  }

  private func elapsed(since start: ContinuousClock.Instant) -> Int64 {
    let duration = ContinuousClock.now - start
    let (seconds, attoseconds) = duration.components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
