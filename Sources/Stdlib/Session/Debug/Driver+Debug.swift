import Foundation
import Interpreter
import Lexer

extension Driver {
  /// Checks then runs a playbook under `debugger`, like `run(path:options:)`. The driver's
  /// sink should be `debugger.recorder` so that `:out` sees the commands.
  public func debug(path: String, options: RunOptions, debugger: DebugSession) -> RunOutcome {
    run(path: path, options: options, debugger: debugger)
  }
}
