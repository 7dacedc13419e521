import ArgumentParser
import Interpreter
import Inventory
import Lexer
import Session

/// Writes what went wrong in a check or run to standard error: diagnostics with their source
/// lines, usage errors, and the runtime error with its stack.
struct OutcomeReport {
  /// Colours for standard error.
  let style: TerminalStyle

  /// Reports everything in `outcome`; prints nothing when it is clean. For a run, the error
  /// count says that nothing ran.
  /// `diagnosticsShown`: they were already written by `writeDiagnostics` before the run.
  func write(_ outcome: RunOutcome, isRun: Bool, diagnosticsShown: Bool = false) {
    if !diagnosticsShown {
      writeDiagnostics(outcome.diagnostics, sources: outcome.sources, isRun: isRun)
    }
    for message in outcome.usageErrors { usageError(message) }
    for diagnostic in outcome.paramErrors {
      Console.err(highlight(diagnostic.rendered(in: outcome.sources)) + "\n")
    }
    if let error = outcome.runtimeError {
      Console.err(highlight(error.rendered(in: outcome.sources)) + "\n")
    }
  }

  /// Diagnostics with their source lines, then a count when there are errors.
  func writeDiagnostics(_ diagnostics: [Diagnostic], sources: SourceMap, isRun: Bool) {
    for diagnostic in diagnostics {
      Console.err(highlight(diagnostic.rendered(in: sources)) + "\n")
    }
    let errors = diagnostics.count { $0.severity == .error }
    let warnings = diagnostics.count { $0.severity == .warning }
    if errors > 0 {
      var summary = Self.counted(errors, "error")
      if warnings > 0 { summary += " and " + Self.counted(warnings, "warning") }
      Console.err("haflow: \(summary)\(isRun ? "; nothing ran" : "")\n")
    }
  }

  /// `haflow: error: message`.
  func usageError(_ message: String) {
    Console.err("haflow: " + style.red("error:") + " " + message + "\n")
  }

  /// Prints an inventory's warnings and the error that stopped it; returns the exit code: 2
  /// when the file cannot be read, 65 when it is invalid.
  func inventoryFailure(_ error: InventoryError, warnings: [String]) -> ExitCode {
    for warning in warnings { Console.err(highlight(warning) + "\n") }
    Console.err(highlight(error.description) + "\n")
    return ExitCode(error.line == nil ? ExitStatus.usage : ExitStatus.invalidProgram)
  }

  /// Colours the severity word of a rendered diagnostic's first line.
  func highlight(_ rendered: String) -> String {
    guard style.enabled else { return rendered }
    for (word, paint) in [
      (": error: ", style.red), (": warning: ", style.yellow), (": note: ", style.bold),
    ] {
      if let range = rendered.range(of: word) {
        let painted = ": " + paint(String(word.dropFirst(2).dropLast(2)) + ":") + " "
        return rendered.replacingCharacters(in: range, with: painted)
      }
    }
    return rendered
  }

  /// `1 error`, `3 warnings`.
  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }
}
