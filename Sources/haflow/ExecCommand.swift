import ArgumentParser
import Foundation
import Interpreter
import Session
import Synchronization

import struct Interpreter.Host

/// `haflow exec -i INVENTORY PATTERN [--forks N] -- COMMAND…`.
struct ExecCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "exec",
    abstract: "Run one command on every matching host, in parallel, output grouped per host.",
    discussion: """
      haflow's `ansible all -a` / pssh, on the same SSH sessions as playbooks. PATTERN is a \
      host pattern, as `on "…"` takes it (docs/inventory.md): a host, a group or `all`; \
      several joined with `,` (or `:`); `!x` leaves hosts out, `&g` keeps only those also in \
      g; `node*` and `~regex` match names; `workers[0]`, `workers[1:3]` pick by position. \
      One argument after `--` is a shell command line, run as written; several are quoted as \
      separate words (so `-- touch "a b"` makes one file). The output of a command that runs \
      kubeadm shows its bootstrap tokens and certificate keys as `<secret bootstrap-token>` \
      and `<secret certificate-key>` unless --reveal is given.

      Each host's output is printed as one block when it finishes: a header `HOST | ok | \
      rc=0 | 4ms` (FAILED, UNREACHABLE), then its stdout, then its stderr. At the end, the \
      recap `run` prints goes to standard error: per host ok / changed / failed / unreachable \
      and time (a command that exited 0 counts as changed, as Ansible says CHANGED), the \
      failed commands with their last lines of standard error, the total time.

      EXAMPLES:
        haflow exec -i .haflow/lab/inventory.ini all -- uptime
        haflow exec -i hosts.ini control_plane --sudo -- 'systemctl is-active kubelet'
        haflow exec -i hosts.ini 'all,!cp1' --forks 20 -- cat /etc/os-release
        haflow exec -i hosts.ini 'workers[0:1]' -- uptime

      EXIT CODES:
        0   the command exited 0 on every host
        1   it exited non-zero on at least one host (whether or not others were unreachable)
        2   usage error: bad flags, unknown host or group, unreadable inventory
        3   it ran nowhere non-zero, but at least one host could not be reached (connect,
            host key or authentication failed)
        65  the inventory is invalid
        130, 143  stopped by Ctrl-C or SIGTERM
      """)

  /// `-i` and SSH flags.
  @OptionGroup(title: "Connecting to hosts")
  var connection: ConnectionOptions

  /// `--forks N`.
  @Option(
    name: [.customShort("f"), .customLong("forks")], help: "At most this many hosts at once.")
  var forks: Int = 16

  /// `--sudo`.
  @Flag(help: "Run the command through sudo: `sudo -n`, or with the --ask-become-pass password.")
  var sudo = false

  /// `--reveal`.
  @Flag(
    help:
      "Show kubeadm's bootstrap tokens and certificate keys in clear (by default a `kubeadm` command's output shows them as <secret …>)."
  )
  var reveal = false

  /// `--timeout SECONDS`.
  @Option(help: ArgumentHelp("Stop the command after this many seconds.", valueName: "seconds"))
  var timeout: Int?

  /// The pattern.
  @ArgumentParser.Argument(
    help:
      "The hosts: a host, a group, `all`; `a,b` for several, `!x` to leave out, `&g` to intersect, `node*`, `~regex`, `group[0]`, `group[1:3]`."
  )
  var pattern: String

  /// The command after `--`.
  @ArgumentParser.Argument(parsing: .postTerminator, help: "The command (after --).")
  var command: [String] = []

  /// Checks the counts.
  func validate() throws {
    guard connection.inventory != nil else {
      throw ValidationError("exec needs an inventory: -i FILE")
    }
    guard !command.isEmpty else {
      throw ValidationError(
        "give the command after --, e.g. haflow exec -i hosts.ini all -- uptime")
    }
    guard forks >= 1 else { throw ValidationError("--forks must be at least 1") }
    if let timeout, timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
  }

  /// Runs the command everywhere and prints the per-host blocks.
  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let style = TerminalStyle.forStandardError(environment: environment)
    let report = OutcomeReport(style: style)
    let setup = try connection.setup(report: report, environment: environment)
    let hosts: [Host]
    do {
      hosts = try AdHocRun.select(pattern, in: setup.inventory)
    } catch let error as RuntimeError {
      report.usageError(error.message + (error.hint.map { "\nhint: " + $0 } ?? ""))
      throw ExitCode(ExitStatus.usage)
    }
    guard !hosts.isEmpty else {
      Console.err("no hosts match '\(pattern)'\n")
      throw ExitCode(ExitStatus.usage)
    }
    var pieces: [CommandPiece] = []
    if command.count == 1 {
      pieces = [.raw(command[0])]
    } else {
      for (index, word) in command.enumerated() {
        if index > 0 { pieces.append(.raw(" ")) }
        pieces.append(.word(word))
      }
    }
    let request = CommandRequest(
      command: CommandValue(pieces), host: nil, sudo: sudo,
      timeout: timeout.map { Int64($0) * 1_000_000_000 })
    // No live output: each host's output is printed as one block when it finishes. The
    // connections' notes (a host key recorded by --accept-new-host-keys, the SCP fallback)
    // go to standard error as `run` shows them. The commands' events make the recap `run`
    // prints (each command counts once for its host).
    let cancellation = Cancellation()
    let executor = setup.makeExecutor(
      sink: TerminalSink(quiet: false, style: style), cancellation: cancellation)
    Interrupts.install(cancellation: cancellation) { executor.terminateRunningCommands() }
    defer { executor.close() }
    let log = RunEventLog()
    let recap = RecapBuilder(countsCommands: true, hosts: hosts.map(\.name))
    log.addListener(recap.observe)
    let started = DispatchTime.now().uptimeNanoseconds
    let printer = Mutex(())
    let outcomes = AdHocRun.run(
      request, on: hosts, executor: log.observing(executor),
      forks: forks, sink: EventSink(base: DiscardingSink(), log: log), reveal: reveal
    ) { outcome in
      printer.withLock { _ in Console.out(Self.block(outcome, style: style)) }
    }
    let (status, exitStatus) = Self.status(outcomes)
    log.record(
      .runEnd,
      fields: [
        .init("status", .string(status)), .init("exit_status", .int(Int64(exitStatus))),
        .init(
          "duration_ms",
          .milliseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))),
      ])
    Console.err(RecapText.render(recap.recap, style: style))
    guard exitStatus != ExitStatus.ok else { return }
    throw ExitCode(exitStatus)
  }

  /// The recap's status word and the exit status: a signal's, else 1 when a command failed
  /// somewhere, else 3 when a host could not be reached, else 0.
  static func status(_ outcomes: [AdHocRun.Outcome]) -> (String, Int32) {
    if let status = Interrupts.interruptedStatus { return ("interrupted", status) }
    if outcomes.contains(where: { $0.result != nil && !$0.ok }) {
      return ("failed", ExitStatus.failed)
    }
    if outcomes.contains(where: { $0.result == nil }) {
      return ("unreachable", ExitStatus.unreachable)
    }
    return ("ok", ExitStatus.ok)
  }

  /// `node1 | ok | rc=0 | 4ms`, then stdout, then stderr.
  static func block(_ outcome: AdHocRun.Outcome, style: TerminalStyle) -> String {
    let name = outcome.host.name
    guard let result = outcome.result else {
      let reason = outcome.error?.message ?? "could not run"
      let hint = outcome.error?.hint.map { "  hint: \($0)\n" } ?? ""
      return "\(name) | \(style.red("UNREACHABLE")) | \(reason)\n" + hint
    }
    let status = result.exitStatus == 0 ? style.green("ok") : style.red("FAILED")
    var text =
      "\(name) | \(status) | rc=\(result.exitStatus) | \(ElapsedText.format(result.duration))\n"
    for output in [result.stdout, result.stderr] where !output.isEmpty {
      text += output.hasSuffix("\n") ? output : output + "\n"
    }
    return text
  }
}
