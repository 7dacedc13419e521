import Foundation
import Interpreter
import Lexer

/// Where the debugger pauses besides `:next`: before a step with a name, or before the step
/// written at a line (the innermost step whose text spans it).
public enum DebugBreakpoint: Sendable, Equatable, CustomStringConvertible {
  /// `:break "step name"`.
  case step(String)
  /// `:break FILE:LINE` or `:break LINE` (the playbook itself).
  case line(file: String?, line: Int)

  /// Parses the argument of `:break`; nil when it is neither a quoted name nor `FILE:LINE`.
  public static func parse(_ argument: String) -> DebugBreakpoint? {
    let text = argument.trimmingCharacters(in: .whitespaces)
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
      return .step(String(text.dropFirst().dropLast()))
    }
    if let line = Int(text), line > 0 { return .line(file: nil, line: line) }
    if let colon = text.lastIndex(of: ":"), let line = Int(text[text.index(after: colon)...]),
      line > 0, colon != text.startIndex
    {
      return .line(file: String(text[..<colon]), line: line)
    }
    return nil
  }

  /// Whether this breakpoint stops before `step`; `sources` gives the step's file and lines.
  public func matches(_ step: PausedStep, sources: SourceMap, mainFile: Int) -> Bool {
    switch self {
    case .step(let name):
      return step.name == name
    case .line(let file, let line):
      guard let source = sources.file(of: step.span) else { return false }
      if let file {
        guard source.name == file || source.name.hasSuffix("/" + file) else { return false }
      } else if step.span.file != mainFile {
        return false
      }
      let first = source.lineColumn(of: step.span.start).line
      let last = source.lineColumn(of: max(step.span.start, step.span.end - 1)).line
      return (first...last).contains(line)
    }
  }

  /// `"init"` or `site.hf:12`.
  public var description: String {
    switch self {
    case .step(let name): "\"\(name)\""
    case .line(let file, let line): file.map { "\($0):\(line)" } ?? "line \(line)"
    }
  }
}
