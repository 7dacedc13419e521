import Foundation
import Testing

/// `haflow docs`: the generated reference equals the committed `docs/stdlib.md`.
@Suite struct DocsCommandTests {
  static let committed = HaflowCLI.packageRoot.appendingPathComponent("docs/stdlib.md")

  @Test func printsTheCommittedReference() throws {
    let result = try HaflowCLI.run(["docs"])
    #expect(result.status == 0)
    let expected = try #require(
      try? String(contentsOf: Self.committed, encoding: .utf8),
      "docs/stdlib.md is missing: run `haflow docs --output docs/stdlib.md`")
    #expect(result.stdout == expected, "docs/stdlib.md differs from `haflow docs`")
  }

  @Test func writesToAFile() throws {
    let ws = try Workspace()
    let result = try ws.haflow("docs", "--output", "stdlib.md")
    #expect(result.status == 0)
    #expect(result.stdout.isEmpty)
    let written = try String(
      contentsOf: ws.url.appendingPathComponent("stdlib.md"), encoding: .utf8)
    #expect(written == (try HaflowCLI.run(["docs"])).stdout)
  }

  @Test func unwritableOutputFails() throws {
    let result = try HaflowCLI.run(["docs", "--output", "/nonexistent-dir/stdlib.md"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("haflow: error: cannot write '/nonexistent-dir/stdlib.md'"))
  }
}
