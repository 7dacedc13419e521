/// A source text with a name (a path or `<repl>`), addressed by UTF-8 offsets.
///
/// Line and column numbers are computed on demand from a table of line starts.
public struct SourceFile: Sendable {
  /// The name shown in diagnostics, usually the path as given on the command line.
  public let name: String
  /// The source text.
  public let text: String
  /// The UTF-8 bytes of `text`.
  public let bytes: [UInt8]
  /// The offset of the first byte of each line.
  public let lineStarts: [Int]

  /// Makes a source file from a name and its text.
  public init(name: String, text: String) {
    self.name = name
    self.text = text
    self.bytes = Array(text.utf8)
    var starts = [0]
    for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
      starts.append(index + 1)
    }
    self.lineStarts = starts
  }

  /// The 1-based line and column (in characters) of a UTF-8 offset.
  public func lineColumn(of offset: Int) -> (line: Int, column: Int) {
    let clamped = max(0, min(offset, bytes.count))
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
    }
    let start = lineStarts[low]
    let prefix = bytes[start..<clamped]
    let column = String(decoding: prefix, as: UTF8.self).count + 1
    return (low + 1, column)
  }

  /// The text of a 1-based line, without its newline.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
    if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
  }

  /// The source text covered by a span.
  public func text(of span: Span) -> String {
    let lower = max(0, min(span.start, bytes.count))
    let upper = max(lower, min(span.end, bytes.count))
    return String(decoding: bytes[lower..<upper], as: UTF8.self)
  }
}
