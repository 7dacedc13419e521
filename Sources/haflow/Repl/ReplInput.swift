import Foundation
import Interpreter
import Session

/// Where REPL and debugger input comes from: whole inputs, read line by line until the
/// brackets, strings and commands they open are closed.
protocol ReplInput: AnyObject, Sendable {
  /// Reads one whole input; `prompt` is shown before the first line on a terminal.
  func read(prompt: String, completer: Completer) -> ConsoleInput
}

/// Most lines one input may have; past it the input is taken as it is.
let replInputLineLimit = 10_000

/// Input from a terminal, through libedit: prompts, a continuation prompt, history.
///
/// An input goes into the history once it is whole (or given up), redacted by
/// `HistoryRedaction`: secret literals and the secrets the session knows never reach the file.
final class TerminalInput: ReplInput, @unchecked Sendable {
  let editor: LineEditor
  /// The secrets known when an input is remembered (the REPL session's; none by default).
  let knownSecrets: @Sendable () -> SecretMatcher

  init(editor: LineEditor, knownSecrets: @escaping @Sendable () -> SecretMatcher = { .empty }) {
    self.editor = editor
    self.knownSecrets = knownSecrets
  }

  func read(prompt: String, completer: Completer) -> ConsoleInput {
    editor.completer = completer
    let continuation = String(repeating: " ", count: max(0, prompt.count - 5)) + "...> "
    var lines: [String] = []
    defer { remember(lines) }
    for _ in 0..<replInputLineLimit {
      switch editor.readLine(prompt: lines.isEmpty ? prompt : continuation) {
      case .end:
        if !lines.isEmpty { Console.out("\n") }
        return lines.isEmpty ? .end : .interrupted
      case .interrupted:
        return .interrupted
      case .line(let line):
        lines.append(line)
        let text = lines.joined(separator: "\n")
        if line.hasPrefix(":") && lines.count == 1 { return .text(text) }
        if InputCompleteness.isComplete(text) { return .text(text) }
      }
    }
    return .text(lines.joined(separator: "\n"))
  }

  /// Puts the lines of one input into the history, redacted.
  private func remember(_ lines: [String]) {
    guard !lines.isEmpty else { return }
    let text = HistoryRedaction.redact(lines.joined(separator: "\n"), secrets: knownSecrets())
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      editor.remember(String(line))
    }
  }
}

/// Input from a pipe or file: no prompts, no editing; an unfinished input at the end is
/// evaluated as it is (and reports what is missing).
final class PipedInput: ReplInput, @unchecked Sendable {
  func read(prompt: String, completer: Completer) -> ConsoleInput {
    var lines: [String] = []
    for _ in 0..<replInputLineLimit {
      guard let line = Swift.readLine(strippingNewline: true) else {
        return lines.isEmpty ? .end : .text(lines.joined(separator: "\n"))
      }
      lines.append(line)
      let text = lines.joined(separator: "\n")
      if line.hasPrefix(":") && lines.count == 1 { return .text(text) }
      if InputCompleteness.isComplete(text) { return .text(text) }
    }
    return .text(lines.joined(separator: "\n"))
  }
}
