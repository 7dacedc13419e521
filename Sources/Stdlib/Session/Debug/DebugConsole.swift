/// The terminal (or pipe) a debugger session talks through. The CLI implements it with the
/// libedit line editor; tests can script it.
public protocol DebugConsole: AnyObject, Sendable {
  /// Reads one whole input (more lines while brackets or strings are open).
  func read(prompt: String, completer: Completer) -> ConsoleInput
  /// Writes text to standard output.
  func output(_ text: String)
  /// Writes text to standard error (diagnostics, failures).
  func error(_ text: String)
  /// Renders a diagnostic or runtime error the way the CLI does (colours, carets).
  func highlight(_ rendered: String) -> String
}

/// What reading an input produced.
public enum ConsoleInput: Sendable, Equatable {
  /// A whole input.
  case text(String)
  /// Ctrl-C at the prompt: the line was dropped.
  case interrupted
  /// Ctrl-D or the end of piped input.
  case end
}
