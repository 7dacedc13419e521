import CLibEdit
import Foundation
import Session

/// Line editing on a terminal through libedit: emacs key bindings, history recalled with the
/// arrow keys and kept in a file, tab completion, and Ctrl-C that drops the line being typed.
///
/// Used by one thread at a time (the REPL's, or the paused interpreter thread in the debugger).
final class LineEditor: @unchecked Sendable {
  /// What reading a line produced.
  enum Read: Equatable {
    /// A line, without its line break.
    case line(String)
    /// Ctrl-C: the line was dropped.
    case interrupted
    /// Ctrl-D on an empty line, or the terminal went away.
    case end
  }

  private let editLine: OpaquePointer
  private let history: OpaquePointer
  private let historyPath: String?
  private var promptText: UnsafeMutablePointer<CChar>
  /// Completes the text before the cursor.
  var completer: Completer?
  /// Set by the Ctrl-C key binding while a line is read.
  var cancelled = false

  /// Starts libedit on standard input and output, loading history from `historyPath` (kept
  /// to `historySize` entries).
  init(historyPath: String?, historySize: Int) {
    editLine = haflow_el_init("haflow")
    history = history_init()
    self.historyPath = historyPath
    promptText = strdup("")
    haflow_history_setsize(history, Int32(historySize))
    haflow_history_setunique(history, 1)
    if let historyPath { haflow_history_load(history, historyPath) }
    haflow_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
    haflow_el_set_editor(editLine, "emacs")
    haflow_el_set_prompt(editLine, LineEditor.promptCallback)
    haflow_el_set_history(editLine, history)
    // Ctrl-C while editing is a key, not a signal: it drops the line (see `cancelCallback`).
    haflow_el_setty(editLine, "-d", "-isig")
    haflow_el_addfn(editLine, "haflow-complete", "complete the word", LineEditor.completeCallback)
    haflow_el_addfn(editLine, "haflow-cancel", "drop the line", LineEditor.cancelCallback)
    haflow_el_bind(editLine, "^I", "haflow-complete")
    haflow_el_bind(editLine, "^C", "haflow-cancel")
    el_source(editLine, nil)
  }

  deinit {
    el_end(editLine)
    history_end(history)
    free(promptText)
  }

  /// Reads one line with `prompt`.
  func readLine(prompt: String) -> Read {
    free(promptText)
    promptText = strdup(prompt)
    cancelled = false
    var count: Int32 = 0
    guard let raw = el_gets(editLine, &count), count > 0 else {
      return cancelled ? .interrupted : .end
    }
    if cancelled { return .interrupted }
    var line = String(cString: raw)
    if line.hasSuffix("\n") { line.removeLast() }
    return .line(line)
  }

  /// Adds a line to the history and saves the history file (mode 0600: lines may hold
  /// secrets typed by hand).
  func remember(_ line: String) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    haflow_history_enter(history, line)
    guard let historyPath else { return }
    haflow_history_save(history, historyPath)
    chmod(historyPath, 0o600)
  }

  /// The current prompt, for libedit.
  fileprivate var prompt: UnsafeMutablePointer<CChar> { promptText }

  /// The editor libedit calls back into.
  static func from(_ editLine: OpaquePointer?) -> LineEditor? {
    guard let editLine, let data = haflow_el_clientdata(editLine) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
  }

  private static let promptCallback:
    @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>? = {
      editLine in LineEditor.from(editLine)?.prompt
    }
}
