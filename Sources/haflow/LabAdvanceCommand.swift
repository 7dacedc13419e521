import ArgumentParser
import Foundation
import Lab

/// `haflow lab advance DURATION`: moves the cluster clock.
struct LabAdvanceCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "advance",
    abstract: "Move the lab's cluster clock forward (for token and certificate-key expiry).",
    discussion: """
      Adds DURATION to the offset of the lab's cluster clock from this machine's clock; \
      steps add up, `lab status` shows the total, and a new lab starts at 0. The offset is \
      for the lab's kubeadm and API-server stand-ins, so that a bootstrap token's TTL or \
      the uploaded certificates' 2-hour expiry can be rehearsed without waiting: the API \
      server stand-in reads it on every request (HAFLOW_LAB_CLOCK_FILE names each host's \
      copy). The hosts' system clock stays this machine's and never moves.

      DURATION is a number and a unit, or several: 45s, 90m, 3h, 1h30m, 2d.

      EXAMPLES:
        haflow lab advance 3h
        haflow lab advance 1h30m
        haflow lab status          # ... cluster clock +4h30m

      EXIT CODES:
        0   the clock moved
        1   no running lab
        2   DURATION is not a positive duration
      """)

  /// `DURATION`.
  @Argument(help: ArgumentHelp("How far: 45s, 90m, 3h, 1h30m, 2d.", valueName: "duration"))
  var duration: String

  @OptionGroup var location: LabLocation

  /// Rejects a duration that is not one.
  func validate() throws {
    guard LabClock.seconds(duration) != nil else {
      throw ValidationError(
        "'\(duration)' is not a duration: use a number and s, m, h or d, e.g. 3h or 1h30m")
    }
  }

  /// Moves the clock.
  func run() throws {
    do {
      let total = try location.lab.advance(seconds: LabClock.seconds(duration) ?? 0)
      Console.out("cluster clock +\(LabClock.text(seconds: total))\n")
    } catch let error as LabError {
      LabLocation.report(error)
      throw ExitCode(ExitStatus.failed)
    }
  }
}
