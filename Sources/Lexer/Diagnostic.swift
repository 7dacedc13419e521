/// One message about a place in the source: an error, a warning or a note.
public struct Diagnostic: Sendable, Error, Hashable {
  /// How serious a diagnostic is.
  public enum Severity: String, Sendable, Hashable {
    case error, warning, note
  }

  /// How serious it is.
  public var severity: Severity
  /// The one-line message, lower case, no trailing period: `unterminated string`.
  public var message: String
  /// Where it applies.
  public var span: Span
  /// An optional hint shown under the caret: `did you mean 'hosts'?`.
  public var hint: String?
  /// Further places, e.g. the line that opened an unclosed block.
  public var notes: [Note]

  /// A secondary place attached to a diagnostic.
  public struct Note: Sendable, Hashable {
    /// The message, e.g. `block opened here`.
    public var message: String
    /// Where.
    public var span: Span
    /// Makes a note.
    public init(_ message: String, at span: Span) {
      self.message = message
      self.span = span
    }
  }

  /// Makes a diagnostic.
  public init(
    _ severity: Severity = .error, _ message: String, at span: Span, hint: String? = nil,
    notes: [Note] = []
  ) {
    self.severity = severity
    self.message = message
    self.span = span
    self.hint = hint
    self.notes = notes
  }

  /// Shorthand for an error.
  public static func error(_ message: String, at span: Span, hint: String? = nil) -> Diagnostic {
    Diagnostic(.error, message, at: span, hint: hint)
  }

  /// Shorthand for a warning.
  public static func warning(_ message: String, at span: Span, hint: String? = nil) -> Diagnostic {
    Diagnostic(.warning, message, at: span, hint: hint)
  }
}

extension Diagnostic {
  /// `diagnostics` in source order — by file, then by offset — keeping the given order among
  /// diagnostics at the same place. Every stage that merges or reports diagnostics orders them
  /// here, so they read top to bottom however they were found.
  public static func inSourceOrder(_ diagnostics: some Sequence<Diagnostic>) -> [Diagnostic] {
    let all = Array(diagnostics)
    let isOrdered = zip(all, all.dropFirst()).allSatisfy { !precedes($1.span, $0.span) }
    if isOrdered { return all }
    return all.enumerated().sorted { a, b in
      precedes(a.element.span, b.element.span)
        || (!precedes(b.element.span, a.element.span) && a.offset < b.offset)
    }.map(\.element)
  }

  private static func precedes(_ a: Span, _ b: Span) -> Bool {
    (a.file, a.start) < (b.file, b.start)
  }

  /// The most diagnostics one stage reports for a file; past it, one "too many errors" error.
  public static let limit = 100

  /// `diagnostics` cut to `limit`, with a last error saying how many were left out.
  public static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    guard diagnostics.count > limit else { return diagnostics }
    var kept = Array(diagnostics.prefix(limit))
    let omitted = diagnostics.count - limit
    kept.append(
      .error(
        "too many errors: \(omitted) more not shown", at: diagnostics[limit].span,
        hint: "fix the first ones and check again"))
    return kept
  }

  /// Renders as
  /// ```
  /// file.hf:3:9: error: message
  ///     3 | let x = "abc
  ///       |         ^~~~
  ///       = hint: …
  /// ```
  public func rendered(in sources: SourceMap) -> String {
    var out = "\(sources.location(of: span)): \(severity.rawValue): \(message)"
    if let file = sources.file(of: span) {
      out += "\n" + Diagnostic.excerpt(file: file, span: span)
    }
    if let hint { out += "\n      = hint: \(hint)" }
    for note in notes {
      out += "\n\(sources.location(of: note.span)): note: \(note.message)"
      if let file = sources.file(of: note.span) {
        out += "\n" + Diagnostic.excerpt(file: file, span: note.span)
      }
    }
    return out
  }

  /// The source line of a span with a caret line under it.
  static func excerpt(file: SourceFile, span: Span) -> String {
    let (line, startColumn) = file.lineColumn(of: span.start)
    var text = file.lineText(line)
    // Very long lines: show a window around the caret, not the whole line.
    var column = startColumn
    if text.utf8.count > 400 {
      let window = Array(text)
      let from = max(0, column - 1 - 60)
      let to = min(window.count, from + 160)
      text = (from > 0 ? "…" : "") + String(window[from..<to]) + (to < window.count ? "…" : "")
      column = column - from + (from > 0 ? 1 : 0)
    }
    let endLine = file.lineColumn(of: max(span.start, span.end - 1)).line
    let width: Int
    if endLine == line && span.end > span.start {
      width = max(1, file.text(of: span).count)
    } else {
      width = max(1, text.count - column + 1)
    }
    let gutter = String(line)
    let pad = String(repeating: " ", count: max(4, gutter.count))
    let number = String(repeating: " ", count: max(0, pad.count - gutter.count)) + gutter
    // Keep tabs so the caret lines up under tab-indented source.
    let lead = String(text.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
    let shown = max(1, min(width, text.count - column + 1))
    let marks = "^" + String(repeating: "~", count: max(0, shown - 1))
    return "\(number) | \(text)\n\(pad) | \(lead)\(marks)"
  }
}

/// The diagnostics of one stage, thrown when any is an error.
public struct DiagnosticList: Error, Sendable {
  /// The diagnostics, in source order.
  public var items: [Diagnostic]
  /// Makes a list.
  public init(_ items: [Diagnostic]) { self.items = items }
  /// Whether any is an error.
  public var hasErrors: Bool { items.contains { $0.severity == .error } }
}
