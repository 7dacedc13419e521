/// ANSI colours for standard error, switched off when it is not a terminal or `NO_COLOR` is
/// set (https://no-color.org).
struct TerminalStyle: Sendable {
  /// Whether escape sequences are emitted.
  let enabled: Bool

  /// Colour on when standard error is a terminal, `NO_COLOR` is unset (or empty) and `TERM`
  /// is not `dumb`.
  static func forStandardError(environment: [String: String]) -> TerminalStyle {
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    let dumb = environment["TERM"] == "dumb"
    return TerminalStyle(enabled: Console.stderrIsTerminal && !noColor && !dumb)
  }

  /// Bold text.
  func bold(_ text: String) -> String { wrap(text, "1") }
  /// Dim text, for host prefixes and echoed commands.
  func dim(_ text: String) -> String { wrap(text, "2") }
  /// Bold red, for failures and errors.
  func red(_ text: String) -> String { wrap(text, "1;31") }
  /// Green, for finished steps.
  func green(_ text: String) -> String { wrap(text, "32") }
  /// Bold yellow, for warnings.
  func yellow(_ text: String) -> String { wrap(text, "1;33") }
  /// Bold cyan, for step starts.
  func cyan(_ text: String) -> String { wrap(text, "1;36") }

  private func wrap(_ text: String, _ code: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
