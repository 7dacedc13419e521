import ArgumentParser
import Foundation

/// `haflow debug PLAYBOOK [-p name=value]… [--params FILE] [-i INVENTORY]`.
struct DebugCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "debug",
    abstract: "Run a playbook under the step debugger, paused before the first step.",
    discussion: """
      The playbook is checked and its params bound as for `run`; then it runs one step at a \
      time. At the debug> prompt: :next runs the paused step, :continue runs on to a \
      breakpoint or a failure, :break "STEP" and :break FILE:LINE set breakpoints, :steps, \
      :vars, :out and :where look around, :retry and :skip deal with a failed step, :on HOST \
      picks the host for commands typed at the prompt, :help lists everything. Any other \
      input is haflow code evaluated where the step is written. Ctrl-D stops the run. See \
      docs/repl.md.

      EXAMPLES:
        haflow debug site.hf -i hosts.ini -p endpoint=lb:6443
        haflow debug site.hf --break "join workers"
      """)

  /// The playbook.
  @Argument(help: "The playbook to debug (a .hf file).")
  var file: String

  /// `-p`, `--params`.
  @OptionGroup(title: "Params")
  var paramOptions: ParamOptions

  /// `--break`, repeatable.
  @Option(
    name: .customLong("break"),
    help: ArgumentHelp(
      "Pause before this step (a name, or FILE:LINE) and start running to it.",
      valueName: "step"))
  var breakpoints: [String] = []

  /// `-i`, host keys, identities.
  @OptionGroup(title: "Connecting to hosts")
  var connection: ConnectionOptions

  /// `--quiet`.
  @Flag(name: .shortAndLong, help: "Hide command output and logs; keep step lines and errors.")
  var quiet = false

  /// Runs the playbook under the debugger.
  func run() throws {
    try DebugLauncher.run(
      .init(
        file: file, params: paramOptions, connection: connection,
        quiet: quiet, mode: breakpoints.isEmpty ? .stepping : .running,
        breakpoints: breakpoints))
  }
}
