import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// How an imported file is named in diagnostics.
@Suite struct ImportNameTests {
  /// `import "/abs/lib.hf"` is shown by its real path, not as a path under the importing
  /// file's directory (`./abs/lib.hf`).
  @Test func anAbsoluteImportIsShownByItsPath() async throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let library = directory.appendingPathComponent("lib.hf").standardizedFileURL.path
    try "let x = undefined_name\n".write(toFile: library, atomically: true, encoding: .utf8)
    let main = directory.appendingPathComponent("main.hf").path
    try "import \"\(library)\"\n".write(toFile: main, atomically: true, encoding: .utf8)
    let outcome = try await blocking { Driver(sink: RecordingSink()).check(paths: [main]) }
    let diagnostic = try #require(outcome.diagnostics.first)
    let rendered = diagnostic.rendered(in: outcome.sources)
    #expect(
      rendered.hasPrefix("\(library):1:9: error: undefined name 'undefined_name'"), "\(rendered)")
  }
}
