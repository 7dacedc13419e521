import ArgumentParser
import Foundation
import Interpreter
import Session

/// `haflow repl [-i INVENTORY]`: evaluate haflow interactively in one persistent scope.
struct ReplCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Evaluate haflow interactively, one input after another in one scope.",
    discussion: """
      Each input is checked and run in one persistent scope; its value is printed with its \
      type (secrets redacted), an error is shown with a caret under the input and the \
      session goes on. Commands run on the hosts of -i (and the implicit `localhost`) \
      inside `on HOSTS { … }`, or here with `local`. Input goes on to more lines while a \
      bracket, brace, multi-line string or command is open. Tab completes keywords, \
      built-ins, module members, variables, host and group names and `:` commands; :help \
      lists the commands and built-ins. Ctrl-C stops the running command (or drops the line \
      being typed); Ctrl-D leaves. History is kept in ~/.haflow_history ($HAFLOW_HISTORY \
      moves it). With input from a pipe there is no prompt, and the exit status is 1 if any \
      input failed. See docs/repl.md.

      EXAMPLES:
        haflow repl
        haflow repl -i hosts.ini
        echo 'let x = 2; x * 21' | haflow repl
      """)

  /// `-i`, host keys, identities.
  @OptionGroup(title: "Connecting to hosts")
  var connection: ConnectionOptions

  /// Starts the session and reads inputs until Ctrl-D or the end of the input.
  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let style = TerminalStyle.forStandardError(environment: environment)
    let report = OutcomeReport(style: style)
    let setup = try connection.setup(report: report, environment: environment)
    let sink = TerminalSink(quiet: false, style: style)
    let cancellation = Cancellation()
    let executor = setup.makeExecutor(sink: sink, cancellation: cancellation)
    defer { executor.close() }
    let session = ReplSession(
      driver: Driver(sink: sink, executor: executor), inventory: setup.inventory,
      environment: environment, cancellation: cancellation)
    let input: any ReplInput
    let interactive = isatty(STDIN_FILENO) != 0
    if interactive {
      ReplInterrupts.install(
        cancellation: cancellation, isEvaluating: { session.isEvaluating },
        stop: { executor.terminateRunningCommands() })
      let secrets = session.run.secrets
      input = TerminalInput(editor: Self.makeEditor(environment: environment)) { secrets.matcher }
      Console.out("haflow \(Haflow.version) — :help for help, Ctrl-D to leave\n")
    } else {
      Interrupts.install(cancellation: cancellation) { executor.terminateRunningCommands() }
      input = PipedInput()
    }
    let failed = ReplLoop(session: session, input: input, report: report).run()
    if let status = Interrupts.interruptedStatus { throw ExitCode(status) }
    // At a terminal a failed input was already dealt with; a script's failure must show.
    if failed && !interactive { throw ExitCode(ExitStatus.failed) }
  }

  /// The line editor with its history file: `$HAFLOW_HISTORY`, else `~/.haflow_history`.
  static func makeEditor(environment: [String: String]) -> LineEditor {
    var path = environment["HAFLOW_HISTORY"]
    if path == nil || path?.isEmpty == true, let home = environment["HOME"], !home.isEmpty {
      path = home + "/.haflow_history"
    }
    return LineEditor(historyPath: path, historySize: historySize)
  }

  /// How many lines the history file keeps.
  static let historySize = 1000
}
