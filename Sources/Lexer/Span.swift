/// A half-open range of UTF-8 offsets in one source file, carried by every token and AST node.
public struct Span: Sendable, Hashable, CustomStringConvertible {
  /// Which file: an index into a `SourceMap`; 0 for the first file loaded.
  public var file: Int
  /// The offset of the first byte.
  public var start: Int
  /// The offset one past the last byte.
  public var end: Int

  /// Makes a span.
  public init(file: Int = 0, start: Int, end: Int) {
    self.file = file
    self.start = start
    self.end = max(start, end)
  }

  /// An empty span for values that come from no source (built-ins, command-line parameters).
  public static let unknown = Span(file: -1, start: 0, end: 0)

  /// The smallest span covering both.
  public func to(_ other: Span) -> Span {
    guard file == other.file else { return self }
    return Span(file: file, start: min(start, other.start), end: max(end, other.end))
  }

  public var description: String { "\(file):\(start)..<\(end)" }
}

/// All the source files of one run, so that a span's file index can be turned into a name and
/// line/column. The REPL adds a file per input.
public struct SourceMap: Sendable {
  /// The files, indexed by `Span.file`.
  public private(set) var files: [SourceFile] = []

  /// An empty map.
  public init() {}

  /// Adds a file and returns its index.
  @discardableResult
  public mutating func add(_ file: SourceFile) -> Int {
    files.append(file)
    return files.count - 1
  }

  /// The file a span belongs to, if known.
  public func file(of span: Span) -> SourceFile? {
    files.indices.contains(span.file) ? files[span.file] : nil
  }

  /// `name:line:col` for a span, or `<unknown>`.
  public func location(of span: Span) -> String {
    guard let file = file(of: span) else { return "<unknown>" }
    let (line, column) = file.lineColumn(of: span.start)
    return "\(file.name):\(line):\(column)"
  }
}
