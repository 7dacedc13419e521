import Foundation
import Interpreter
import Lexer
import Session
import Stdlib
import Synchronization
import Testing

/// The script tests: every `Scripts/**/*.hf` outside `lib/` folders runs through `Driver.run`
/// and is compared with the expectations written in its comments (files in `lib/` folders are
/// imported by those scripts).
///
/// - `# expect: TEXT` — the next line of `print` output (all of them, in file order).
/// - `# expect error: MSG` — a static error with exactly this message on this line.
/// - `# expect warning: MSG` — a static warning on this line; warnings not listed are ignored
///   unless the file has a `# strict-warnings` line.
/// - `# expect runtime error: MSG` — the run stops with this message, raised on this line.
/// - `# expect usage error: MSG` — a param (or its default) is missing or ill-typed, reported at
///   this line; on a line of its own, an error with no place in the source (an unknown param).
/// - `# param: name=value` — passed like `-p name=value`; `# env: NAME=value` — visible to
///   `env()` (the run sees no other variables).
///
/// When a static error is expected, the output is not checked (nothing runs).
@Suite struct ScriptTests {
  @Test(.timeLimit(.minutes(1)), arguments: allScripts)
  func script(_ name: String) async {
    // The run blocks while commands execute; keep it off Swift Testing's cooperative threads,
    // which a blocked test would starve.
    let problems = await offCooperativePool { runScript(name) }
    for problem in problems { Issue.record("\(problem)") }
  }

  private func runScript(_ name: String) -> [String] {
    let url = scriptsRoot.appendingPathComponent(name)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      return ["\(name): cannot read \(url.path)"]
    }
    let expected = ScriptExpectations(source: text)
    let sink = CapturingSink()
    let outcome = Driver(sink: sink).run(
      path: url.path,
      options: RunOptions(params: expected.params, environment: expected.environment))
    let actual = ScriptActual(outcome: outcome, printed: sink.printedLines)
    return ScriptComparison.problems(expected: expected, actual: actual).map { "\(name): \($0)" }
  }

  /// A script with no expectation passes whatever it prints: each must state one.
  @Test func everyScriptStatesAnExpectation() throws {
    for name in allScripts {
      let text = try String(
        contentsOf: scriptsRoot.appendingPathComponent(name), encoding: .utf8)
      #expect(
        ScriptExpectations(source: text).isEmpty == false,
        "\(name) has no `# expect…:` line; a file only imported by others belongs in a lib/ folder")
    }
  }

  /// Each feature folder holds scripts: a folder the bundle lost, or one emptied by a move,
  /// shows here rather than as fewer passing tests.
  @Test func everyFeatureFolderHoldsScripts() {
    let folders = Set(allScripts.map { String($0.split(separator: "/")[0]) })
    #expect(
      folders.sorted() == [
        "arguments", "assign", "builtins", "check", "control", "errors", "functions", "imports",
        "kubeadm",
        "lexer", "params", "parser", "steps", "values",
      ])
  }

  /// A file in a `lib/` folder runs only through the scripts that import it: each must be
  /// imported by one.
  @Test func everyLibraryIsImported() throws {
    #expect(!libraryScripts.isEmpty)
    var imported = Set<String>()
    for name in allScripts {
      let text = try String(
        contentsOf: scriptsRoot.appendingPathComponent(name), encoding: .utf8)
      let folder = URL(fileURLWithPath: "/" + name).deletingLastPathComponent()
      for match in text.matches(of: #/(?m)^\s*import\s+"([^"]+)"/#) {
        imported.insert(
          String(
            folder.appendingPathComponent(String(match.output.1)).standardized.path.dropFirst()))
      }
    }
    for library in libraryScripts {
      #expect(imported.contains(library), "\(library) is imported by no script")
    }
  }
}

/// Runs blocking work on its own thread and waits for it without blocking a pool thread.
func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
    let thread = Thread {
      continuation.resume(returning: work())
    }
    thread.stackSize = 16 << 20
    thread.start()
  }
}

/// The folder of scripts copied into the test bundle (or, failing that, the source folder).
let scriptsRoot: URL =
  (Bundle.module.url(forResource: "Scripts", withExtension: nil)
  ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts"))
  .resolvingSymlinksInPath()

/// Every `.hf` file's path relative to `scriptsRoot`, sorted.
let allFiles: [String] = {
  let root = scriptsRoot.path + "/"
  let walker = FileManager.default.enumerator(at: scriptsRoot, includingPropertiesForKeys: nil)
  var names: [String] = []
  while let url = walker?.nextObject() as? URL {
    let path = url.resolvingSymlinksInPath().path
    if path.hasSuffix(".hf"), path.hasPrefix(root) {
      names.append(String(path.dropFirst(root.count)))
    }
  }
  return names.sorted()
}()

/// Files in a `lib/` folder: imported by scripts, not run on their own.
let libraryScripts = allFiles.filter { $0.split(separator: "/").dropLast().contains("lib") }

/// The scripts that run as tests: every `.hf` file outside `lib/` folders.
let allScripts = allFiles.filter { !libraryScripts.contains($0) }

/// A place and message: `line 3: undefined name 'x'`, or `other.hf:3: …` outside the script.
typealias LocatedMessage = String

/// What a script's comments say should happen.
struct ScriptExpectations {
  var output: [String] = []
  var errors: [LocatedMessage] = []
  var warnings: [LocatedMessage] = []
  var runtimeError: LocatedMessage?
  var usageErrors: [String] = []
  var params: [String: ParamInput] = [:]
  var environment: [String: String] = [:]
  var strictWarnings = false

  /// Whether the script states no outcome at all (params and env alone are not one).
  var isEmpty: Bool {
    output.isEmpty && errors.isEmpty && warnings.isEmpty && runtimeError == nil
      && usageErrors.isEmpty
  }

  /// Reads the expectation comments of a script.
  init(source: String) {
    let directive =
      #/#\s*(expect|expect error|expect warning|expect runtime error|expect usage error|param|env):(.*)$/#
    for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.contains(#/#\s*strict-warnings\s*$/#) { strictWarnings = true }
      guard let match = line.firstMatch(of: directive) else { continue }
      var text = String(match.output.2)
      if text.hasPrefix(" ") { text.removeFirst() }
      let located = "line \(index + 1): \(text)"
      switch match.output.1 {
      case "expect": output.append(text)
      case "expect error": errors.append(located)
      case "expect warning": warnings.append(located)
      case "expect runtime error": runtimeError = located
      case "expect usage error":
        let onItsOwn = line[..<match.range.lowerBound].allSatisfy(\.isWhitespace)
        usageErrors.append(onItsOwn ? text : located)
      case "param":
        let (name, value) = Self.split(text)
        params[name] = .text(value)
      default:
        let (name, value) = Self.split(text)
        environment[name] = value
      }
    }
  }

  /// `name=value` split at the first `=`.
  static func split(_ text: String) -> (String, String) {
    guard let equals = text.firstIndex(of: "=") else { return (text, "") }
    return (String(text[..<equals]), String(text[text.index(after: equals)...]))
  }
}

/// What a run did, in the shape of the expectations.
struct ScriptActual {
  var output: [String]
  var errors: [LocatedMessage] = []
  var warnings: [LocatedMessage] = []
  var runtimeError: LocatedMessage?
  var usageErrors: [String]
  /// Rendered diagnostics and runtime error, for failure messages.
  var rendered: [String] = []

  init(outcome: RunOutcome, printed: [String]) {
    output = printed
    usageErrors =
      outcome.usageErrors
      + outcome.paramErrors.map { Self.locate($0.message, at: $0.span, in: outcome.sources) }
    for diagnostic in outcome.diagnostics {
      let located = Self.locate(diagnostic.message, at: diagnostic.span, in: outcome.sources)
      switch diagnostic.severity {
      case .error: errors.append(located)
      case .warning: warnings.append(located)
      case .note: continue
      }
      rendered.append(diagnostic.rendered(in: outcome.sources))
    }
    if let error = outcome.runtimeError {
      runtimeError = Self.locate(error.message, at: error.span, in: outcome.sources)
      rendered.append(error.rendered(in: outcome.sources))
    }
  }

  /// `line L: message` in the script itself (file 0), `name:L: message` elsewhere.
  static func locate(_ message: String, at span: Span, in sources: SourceMap) -> LocatedMessage {
    guard let file = sources.file(of: span) else { return "line ?: \(message)" }
    let line = file.lineColumn(of: span.start).line
    if span.file == 0 { return "line \(line): \(message)" }
    return "\(file.name):\(line): \(message)"
  }
}

/// Compares expectations with what happened and describes each mismatch.
enum ScriptComparison {
  static func problems(expected: ScriptExpectations, actual: ScriptActual) -> [String] {
    var problems: [String] = []
    let details = actual.rendered.isEmpty ? "" : "\n\n" + actual.rendered.joined(separator: "\n")
    if expected.errors.sorted() != actual.errors.sorted() {
      problems.append(diff("static errors", expected.errors, actual.errors) + details)
    }
    let warningsMatch =
      expected.strictWarnings
      ? expected.warnings.sorted() == actual.warnings.sorted()
      : isSubmultiset(expected.warnings, of: actual.warnings)
    if !warningsMatch {
      let rule = expected.strictWarnings ? " (strict)" : " (unlisted ones are allowed)"
      problems.append(diff("warnings" + rule, expected.warnings, actual.warnings) + details)
    }
    guard expected.errors.isEmpty, actual.errors.isEmpty else { return problems }
    if expected.usageErrors != actual.usageErrors {
      problems.append(diff("usage errors", expected.usageErrors, actual.usageErrors))
    }
    guard expected.usageErrors.isEmpty, actual.usageErrors.isEmpty else { return problems }
    if expected.runtimeError != actual.runtimeError {
      problems.append(
        "runtime error does not match\n  expected: \(expected.runtimeError ?? "none")\n"
          + "  actual:   \(actual.runtimeError ?? "none")" + details)
    }
    if expected.output != actual.output {
      problems.append(diff("output", expected.output, actual.output))
    }
    return problems
  }

  /// A line diff: `-` expected but missing, `+` there but not expected, two spaces for a match.
  static func diff(_ what: String, _ expected: [String], _ actual: [String]) -> String {
    let difference = actual.difference(from: expected)
    var removed = Set<Int>()
    var inserted = Set<Int>()
    for change in difference {
      switch change {
      case .remove(let offset, _, _): removed.insert(offset)
      case .insert(let offset, _, _): inserted.insert(offset)
      }
    }
    var lines = ["\(what) mismatch (- expected, + actual):"]
    var e = 0
    var a = 0
    while e < expected.count || a < actual.count {
      if e < expected.count, removed.contains(e) {
        lines.append("  - \(expected[e])")
        e += 1
      } else if a < actual.count, inserted.contains(a) {
        lines.append("  + \(actual[a])")
        a += 1
      } else {
        if a < actual.count { lines.append("    \(actual[a])") }
        e += 1
        a += 1
      }
    }
    return lines.joined(separator: "\n")
  }

  static func isSubmultiset(_ small: [String], of large: [String]) -> Bool {
    var counts: [String: Int] = [:]
    for item in large { counts[item, default: 0] += 1 }
    for item in small {
      guard let count = counts[item], count > 0 else { return false }
      counts[item] = count - 1
    }
    return true
  }
}

/// Records `print` output as lines; ignores everything else.
final class CapturingSink: OutputSink {
  private let printed = Mutex<[String]>([])

  /// Every printed line, in order (a print of several lines counts each).
  var printedLines: [String] {
    printed.withLock { texts in
      texts.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }
  }

  func emit(_ event: OutputEvent) {
    if case .print(let text) = event { printed.withLock { $0.append(text) } }
  }
}
