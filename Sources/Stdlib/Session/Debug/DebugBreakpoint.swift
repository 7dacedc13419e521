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

extension DebugBreakpoint {
  /// Why this breakpoint can never pause the run — no step by that name, no step at that
  /// line — with a "did you mean"; nil when it can. `steps` are the steps written in the
  /// playbook and what it imports, `seen` the names of steps that ran (names computed at run
  /// time); a computed name the playbook has not run yet may be anything, so a name is only
  /// refused when every step's name is known.
  public func problem(
    steps: [StepSite], seen: [String], sources: SourceMap, mainFile: Int
  ) -> (message: String, hint: String?)? {
    switch self {
    case .step(let name):
      let names = steps.compactMap(\.name) + seen
      if names.contains(name) || steps.contains(where: { $0.name == nil }) { return nil }
      let hint = Suggest.closest(to: name, among: names).map { "did you mean \"\($0)\"?" }
      let known = Array(Set(names)).sorted()
      return (
        "no step named \"\(name)\"",
        hint ?? (known.isEmpty ? "the playbook has no steps" : "steps: " + Self.list(known))
      )
    case .line(let file, let line):
      guard let index = Self.fileIndex(file, sources: sources, mainFile: mainFile),
        let source = sources.files.indices.contains(index) ? sources.files[index] : nil
      else {
        let names = sources.files.map(\.name)
        let hint = Suggest.closest(to: file ?? "", among: names).map { "did you mean '\($0)'?" }
        return ("no file '\(file ?? "")' in this run", hint ?? "files: " + Self.list(names))
      }
      let here = steps.filter { $0.span.file == index }.map { site in
        let first = source.lineColumn(of: site.span.start).line
        let last = source.lineColumn(of: max(site.span.start, site.span.end - 1)).line
        return (site: site, lines: first...last)
      }
      if here.contains(where: { $0.lines.contains(line) }) { return nil }
      let count = source.lineStarts.count - (source.text.hasSuffix("\n") ? 1 : 0)
      var message = "no step at line \(line) of \(source.name)"
      if line > count { message += " (it has \(count) line\(count == 1 ? "" : "s"))" }
      guard
        let nearest = here.min(by: {
          abs($0.lines.lowerBound - line) < abs($1.lines.lowerBound - line)
        })
      else { return (message, "\(source.name) has no steps") }
      let what = nearest.site.name.map { "step \"\($0)\"" } ?? "a step"
      return (message, "did you mean line \(nearest.lines.lowerBound) (\(what))?")
    }
  }

  /// The index of the file a line breakpoint names (the playbook when none).
  private static func fileIndex(_ file: String?, sources: SourceMap, mainFile: Int) -> Int? {
    guard let file else { return mainFile }
    return sources.files.firstIndex { $0.name == file || $0.name.hasSuffix("/" + file) }
  }

  private static func list(_ names: [String]) -> String {
    let shown = names.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
    return names.count > 8 ? shown + ", …" : shown
  }
}
