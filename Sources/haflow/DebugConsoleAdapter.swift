import Foundation
import Session

/// The debugger's console on this process's terminal (or pipe): inputs through `ReplInput`,
/// output to standard output, errors to standard error with the CLI's colours.
final class DebugTerminalConsole: DebugConsole, @unchecked Sendable {
  private let input: any ReplInput
  private let report: OutcomeReport

  init(input: any ReplInput, report: OutcomeReport) {
    self.input = input
    self.report = report
  }

  func read(prompt: String, completer: Completer) -> ConsoleInput {
    ReplInterrupts.resetPresses()
    return input.read(prompt: prompt, completer: completer)
  }

  func output(_ text: String) { Console.out(text) }

  func error(_ text: String) { Console.err(text) }

  func highlight(_ rendered: String) -> String { report.highlight(rendered) }
}
