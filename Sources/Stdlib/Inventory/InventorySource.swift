import Lexer

/// The text of one inventory-like file, with helpers to point errors at places in it.
struct InventorySource {
  /// The file (its name is the path as given).
  let file: SourceFile

  /// Wraps a text read from `path`.
  init(path: String, text: String) {
    file = SourceFile(name: path, text: text)
  }

  /// The path.
  var path: String { file.name }

  /// An error at a span.
  func error(_ message: String, at span: Span, hint: String? = nil) -> InventoryError {
    InventoryError(file: file, span: span, message: message, hint: hint)
  }

  /// The UTF-8 offset of a 1-based line and a 1-based column counted in Unicode scalars (as
  /// libyaml counts them); clamped to the text.
  func offset(line: Int, column: Int) -> Int {
    guard line >= 1, line <= file.lineStarts.count else { return file.bytes.count }
    let bytes = file.bytes
    var offset = file.lineStarts[line - 1]
    // The line's end, without its line break (and a CR before it, as `lineText` drops it).
    var end = line < file.lineStarts.count ? file.lineStarts[line] - 1 : bytes.count
    if end > offset, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    var scalars = 0
    // Scalars start at every byte that is not a continuation byte (10xxxxxx).
    while offset < end, scalars < column - 1 {
      offset += 1
      while offset < end, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
      scalars += 1
    }
    return offset
  }

  /// A span of `length` bytes at a 1-based line and column.
  func span(line: Int, column: Int, length: Int = 1) -> Span {
    let start = offset(line: line, column: column)
    return Span(start: start, end: start + max(0, length))
  }

  /// The lines of the text: each line's text (without its line break; a trailing CR removed)
  /// and the UTF-8 offset of its first byte.
  var lines: [(text: String, offset: Int)] {
    file.lineStarts.enumerated().map { index, start in (file.lineText(index + 1), start) }
  }
}

extension InventorySource {
  /// A rendered warning at a span: `file:line:col: warning: message` and the source line.
  func warning(_ message: String, at span: Span, hint: String? = nil) -> String {
    var sources = SourceMap()
    let index = sources.add(file)
    let located = Span(file: index, start: span.start, end: span.end)
    return Diagnostic.warning(message, at: located, hint: hint).rendered(in: sources)
  }
}
