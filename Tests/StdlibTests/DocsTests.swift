import Foundation
import Interpreter
import Testing

@testable import Stdlib

@Suite struct DocsTests {
  static let docsURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs/stdlib.md")

  @Test func committedDocsAreCurrent() throws {
    let generated = StdlibDocs.markdown(Stdlib.table)
    if ProcessInfo.processInfo.environment["HAFLOW_UPDATE_DOCS"] == "1" {
      try generated.write(to: Self.docsURL, atomically: true, encoding: .utf8)
    }
    let committed = try String(contentsOf: Self.docsURL, encoding: .utf8)
    #expect(
      committed == generated,
      "docs/stdlib.md is stale: run \(StdlibDocs.regenerate)")
  }

  @Test func everyBuiltinIsDocumentedOnce() {
    let text = StdlibDocs.markdown(Stdlib.table)
    for builtin in Stdlib.table.entries {
      #expect(
        text.components(separatedBy: "- `\(builtin.signature)` — ").count == 2, "\(builtin.name)")
    }
    #expect(text.contains("## JSON\n\nModule `json`."))
    #expect(text.contains("- [Sorting, mapping and filtering](#sorting-mapping-and-filtering)"))
  }

  @Test func unknownEntriesGetTheirOwnSections() {
    var table = Stdlib.table
    table.addModule("extra", help: "Extra things.")
    table.add([
      Builtin("extra.thing", [.req("x")], help: "Does a thing.") { _ in .nil },
      Builtin("loose", [], help: "Loose one.") { _ in .nil },
    ])
    let text = StdlibDocs.markdown(table)
    #expect(
      text.contains(
        "## extra\n\nModule `extra`. Extra things.\n\n- `extra.thing(x)` — Does a thing."))
    #expect(text.hasSuffix("## Other built-ins\n\n- `loose()` — Loose one.\n"))
  }

  @Test func headingAnchors() {
    #expect(StdlibDocs.anchor("Output and failure") == "output-and-failure")
    #expect(StdlibDocs.anchor("Sorting, mapping and filtering") == "sorting-mapping-and-filtering")
  }
}
