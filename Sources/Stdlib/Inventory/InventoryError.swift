import Lexer

/// Why an inventory or ssh_config file could not be loaded: the file, the place in it when
/// known, and a one-line message.
public struct InventoryError: Error, Sendable, CustomStringConvertible {
  /// The file, as given.
  public var path: String
  /// The 1-based line, nil when the error concerns the whole file (it cannot be read).
  public var line: Int?
  /// The 1-based column (in characters), nil when `line` is nil.
  public var column: Int?
  /// The message, lower case, no trailing period: `host range must have begin <= end`.
  public var message: String
  /// A hint on how to fix it, if there is one.
  public var hint: String?
  /// The full report: `file:line:col: error: message`, the source line with a caret, the hint.
  public let description: String

  /// An error about the whole file.
  init(path: String, message: String, hint: String? = nil) {
    self.path = path
    self.message = message
    self.hint = hint
    var text = "\(path): error: \(message)"
    if let hint { text += "\n      = hint: \(hint)" }
    description = text
  }

  /// An error at a span of a source file (span.file is ignored: the error has one file).
  init(file: SourceFile, span: Span, message: String, hint: String? = nil) {
    path = file.name
    let place = file.lineColumn(of: span.start)
    line = place.line
    column = place.column
    self.message = message
    self.hint = hint
    var sources = SourceMap()
    let index = sources.add(file)
    let located = Span(file: index, start: span.start, end: span.end)
    description = Diagnostic.error(message, at: located, hint: hint).rendered(in: sources)
  }
}
