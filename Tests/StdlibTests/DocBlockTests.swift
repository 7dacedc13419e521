import Foundation
import Lexer
import Session
import TestSupport
import Testing

/// The code blocks of `README.md` and `docs/*.md`, held to what `haflow check` says.
///
/// Every fenced block names its language in the info string. A block tagged `haflow` is a
/// playbook: it must lex, parse and check with no error and no warning. A block tagged
/// `haflow check-error` shows a mistake on purpose: each line that ends in a comment
/// `# error: MESSAGE` must get exactly that error, and no other line may get one; a `text`
/// block right below it (nothing but blank lines between) is its output, which must be what
/// `haflow check` prints for the block as `playbook.hf`, less the summary line. Other
/// languages (`sh`, `text`, `ini`, `yaml`, `json`, `ebnf`, `swift`) are not checked. A block
/// with no language is itself a failure, so haflow code cannot slip by untagged.
///
/// A block is checked as a file of its own in an empty directory; a relative `import "F"`
/// finds an empty file F there (a block cannot show the imported file). When the paragraph
/// before a `haflow` block links a `.hf` file of this repository, the block must be that
/// file's text, less any leading comment lines.
@Suite struct DocBlockTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// `README.md` and every `docs/*.md`, relative to the package root.
  static let documents: [String] = {
    let docs =
      (try? FileManager.default.contentsOfDirectory(
        atPath: root.appendingPathComponent("docs").path)) ?? []
    return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }()

  @Test func documentsAreFound() {
    #expect(Self.documents.contains("docs/language.md"))
    #expect(Self.documents.count >= 8, "\(Self.documents)")
  }

  @Test(arguments: documents)
  func codeBlocksCheck(_ document: String) throws {
    let text = try String(
      contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
    let blocks = DocBlocks.extract(from: text)
    for problem in DocBlocks.problems(in: blocks, document: document, root: Self.root) {
      Issue.record(Comment(rawValue: problem))
    }
  }

  /// The docs show haflow code, and it is checked (a rule that matched nothing would pass
  /// vacuously).
  @Test func theDocsHoldHaflowBlocks() throws {
    var counts: [String: Int] = [:]
    for document in Self.documents {
      let text = try String(
        contentsOf: Self.root.appendingPathComponent(document), encoding: .utf8)
      for block in DocBlocks.extract(from: text) { counts[block.info, default: 0] += 1 }
    }
    #expect(counts["haflow", default: 0] >= 10, "\(counts)")
    #expect(counts["haflow check-error", default: 0] >= 1, "\(counts)")
  }

  // The checker itself: each kind of mistake is reported with the document's file and line.

  @Test func reportsAnErrorAtItsLineInTheDocument() {
    let markdown = "# Title\n\ntext\n\n```haflow\nlet x = 1\nprint(y)\n```\n"
    let problems = DocBlocks.problems(
      in: DocBlocks.extract(from: markdown), document: "docs/t.md", root: Self.root)
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("docs/t.md:7:7: error: undefined name 'y'") == true)
  }

  @Test func reportsWarnings() {
    let markdown = "```haflow\nfn f() { let unused = 1 }\nf()\n```\n"
    let problems = DocBlocks.problems(
      in: DocBlocks.extract(from: markdown), document: "t.md", root: Self.root)
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("t.md:2:14: warning: ") == true, "\(problems)")
  }

  @Test func reportsAnUntaggedBlock() {
    let markdown = "a\n\n```\nlet x = 1\n```\n"
    let problems = DocBlocks.problems(
      in: DocBlocks.extract(from: markdown), document: "t.md", root: Self.root)
    #expect(problems.count == 1)
    #expect(problems.first?.hasPrefix("t.md:3: code block without a language") == true)
  }

  @Test func checkErrorBlocksMustFailAsShown() {
    let good = "```haflow check-error\nlet x = 1\nprint(y)   # error: undefined name 'y'\n```\n"
    #expect(
      DocBlocks.problems(in: DocBlocks.extract(from: good), document: "t.md", root: Self.root)
        .isEmpty)
    let passes = "```haflow check-error\nlet x = 1   # error: undefined name 'x'\nprint(x)\n```\n"
    let problems = DocBlocks.problems(
      in: DocBlocks.extract(from: passes), document: "t.md", root: Self.root)
    #expect(
      problems == ["t.md:2: expected error not reported: undefined name 'x'"], "\(problems)")
    let unmarked = "```haflow check-error\nprint(y)\n```\n"
    let unmarkedProblems = DocBlocks.problems(
      in: DocBlocks.extract(from: unmarked), document: "t.md", root: Self.root)
    #expect(
      unmarkedProblems.contains("t.md:1: a check-error block needs a `# error: MESSAGE` line"),
      "\(unmarkedProblems)")
    #expect(unmarkedProblems.contains { $0.hasPrefix("t.md:2:7: error: undefined name 'y'") })
  }

  @Test func outputBelowACheckErrorBlockMustBeTheRendering() {
    let block = "```haflow check-error\nprint(y)   # error: undefined name 'y'\n```\n\n"
    let rendered = """
      playbook.hf:1:7: error: undefined name 'y'
         1 | print(y)   # error: undefined name 'y'
           |       ^

      """
    let right = block + "```text\n" + rendered + "```\n"
    #expect(
      DocBlocks.problems(in: DocBlocks.extract(from: right), document: "t.md", root: Self.root)
        == [])
    let wrong = block + "```text\nplaybook.hf:1:7: error: undefined name 'z'\n```\n"
    #expect(
      DocBlocks.problems(in: DocBlocks.extract(from: wrong), document: "t.md", root: Self.root)
        .first?.hasPrefix("t.md:5: the output shown differs") == true)
  }

  @Test func linkedPlaybookMustMatchTheFile() {
    let stale = "See [`hello`](playbooks/examples/hello-local.hf):\n\n```haflow\nprint(1)\n```\n"
    let problems = DocBlocks.problems(
      in: DocBlocks.extract(from: stale), document: "t.md", root: Self.root)
    #expect(
      problems == [
        "t.md:3: this block differs from playbooks/examples/hello-local.hf (the paragraph"
          + " above links it)"
      ])
  }

  @Test func fencesInListItemsAndUnclosedFences() {
    let blocks = DocBlocks.extract(
      from: "- item:\n\n  ```haflow\n  let x = 1\n  ```\n\n```sh\nls\n")
    #expect(blocks.count == 2)
    #expect(blocks.first?.code == "let x = 1\n")
    #expect(blocks.first?.fenceLine == 3)
    #expect(blocks.last?.closed == false)
  }
}

/// A fenced code block of a Markdown file.
struct DocBlock {
  /// The info string after the opening fence, trimmed: `haflow`, `sh`, `haflow check-error`.
  var info: String
  /// The 1-based line of the opening fence.
  var fenceLine: Int
  /// The code, with the fence's indentation removed, each line ending in a newline.
  var code: String
  /// The text of the paragraph just before the block (empty when none).
  var lead: String
  /// Whether only blank lines separate this block from the one before.
  var followsBlock: Bool
  /// Whether a closing fence was found.
  var closed: Bool
}

/// Extracts fenced blocks and checks the haflow ones.
enum DocBlocks {
  /// The languages a block may name besides `haflow`.
  static let otherLanguages: Set<String> = ["sh", "text", "ini", "yaml", "json", "ebnf", "swift"]

  /// The fenced (```) blocks of a Markdown text, in order.
  static func extract(from markdown: String) -> [DocBlock] {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    var blocks: [DocBlock] = []
    var lastClosingFence = -1
    var index = 0
    while index < lines.count {
      let line = lines[index]
      let indent = line.prefix { $0 == " " }.count
      let rest = line.dropFirst(indent)
      guard indent <= 3, rest.hasPrefix("```") else {
        index += 1
        continue
      }
      let fenceLine = index + 1
      let fence = rest.prefix { $0 == "`" }.count
      let info = rest.dropFirst(fence).trimmingCharacters(in: .whitespaces)
      var lead: [String] = []
      var back = index - 1
      while back >= 0, lines[back].trimmingCharacters(in: .whitespaces).isEmpty { back -= 1 }
      let followsBlock = back >= 0 && back == lastClosingFence
      while !followsBlock, back >= 0, !lines[back].trimmingCharacters(in: .whitespaces).isEmpty {
        lead.insert(lines[back], at: 0)
        back -= 1
      }
      var code = ""
      var closed = false
      index += 1
      while index < lines.count {
        let body = lines[index]
        let bodyIndent = body.prefix { $0 == " " }.count
        let trimmed = body.dropFirst(bodyIndent)
        if bodyIndent <= 3 + indent, trimmed.prefix(while: { $0 == "`" }).count >= fence,
          trimmed.allSatisfy({ $0 == "`" || $0 == " " })
        {
          closed = true
          lastClosingFence = index
          index += 1
          break
        }
        code += String(body.dropFirst(min(indent, bodyIndent))) + "\n"
        index += 1
      }
      blocks.append(
        DocBlock(
          info: info, fenceLine: fenceLine, code: code, lead: lead.joined(separator: "\n"),
          followsBlock: followsBlock, closed: closed))
    }
    return blocks
  }

  /// What is wrong with the blocks of `document`, each as `document:line[:col]: message`.
  static func problems(in blocks: [DocBlock], document: String, root: URL) -> [String] {
    var problems: [String] = []
    for (index, block) in blocks.enumerated() {
      let place = "\(document):\(block.fenceLine)"
      guard block.closed else {
        problems.append("\(place): code block is not closed")
        continue
      }
      let words = block.info.split(separator: " ").map(String.init)
      guard let language = words.first else {
        problems.append(
          "\(place): code block without a language: tag haflow code ```haflow (it is checked),"
            + " output ```text, commands ```sh")
        continue
      }
      if language != "haflow" {
        if !otherLanguages.contains(language) {
          let known = (["haflow"] + otherLanguages.sorted()).joined(separator: ", ")
          problems.append("\(place): unknown language '\(language)' (known: \(known))")
        }
        continue
      }
      switch Array(words.dropFirst()) {
      case []:
        problems += check(block, document: document, expectErrors: false).problems
        problems += compareWithLinkedPlaybook(block, document: document, root: root)
      case ["check-error"]:
        let (found, rendered) = check(block, document: document, expectErrors: true)
        problems += found
        if index + 1 < blocks.count, blocks[index + 1].info == "text",
          blocks[index + 1].followsBlock,
          blocks[index + 1].code != rendered
        {
          problems.append(
            "\(document):\(blocks[index + 1].fenceLine): the output shown differs from what"
              + " `haflow check` prints for the block above:\n\(rendered)")
        }
      default:
        problems.append("\(place): unknown attributes in '\(block.info)' (only check-error)")
      }
    }
    return problems
  }

  /// Checks one block with the driver; diagnostics are placed at their document lines. Also
  /// returns the diagnostics as `haflow check` renders them for the file `playbook.hf`.
  static func check(_ block: DocBlock, document: String, expectErrors: Bool)
    -> (problems: [String], rendered: String)
  {
    let place = "\(document):\(block.fenceLine)"
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-docblock-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("playbook.hf")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try block.code.write(to: file, atomically: true, encoding: .utf8)
      for path in imports(in: block.code) where !path.hasPrefix("/") {
        let stub = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(
          at: stub.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "".write(to: stub, atomically: true, encoding: .utf8)
      }
    } catch {
      return (["\(place): cannot write the block to \(directory.path): \(error)"], "")
    }
    let outcome = Driver(sink: RecordingSink()).check(paths: [file.path])
    var problems = outcome.usageErrors.map { "\(place): \($0)" }
    var expected = expectErrors ? expectedErrors(in: block.code) : [:]
    if expectErrors, expected.isEmpty {
      problems.append("\(place): a check-error block needs a `# error: MESSAGE` line")
    }
    for diagnostic in outcome.diagnostics where diagnostic.severity != .note {
      guard let source = outcome.sources.file(of: diagnostic.span) else {
        problems.append("\(place): \(diagnostic.severity.rawValue): \(diagnostic.message)")
        continue
      }
      let (line, column) = source.lineColumn(of: diagnostic.span.start)
      if diagnostic.severity == .error, expected[line] == diagnostic.message {
        expected[line] = nil
        continue
      }
      let location =
        diagnostic.span.file == 0
        ? "\(document):\(block.fenceLine + line):\(column)"
        : "\(place) (in \(source.name):\(line):\(column))"
      problems.append(
        "\(location): \(diagnostic.severity.rawValue): \(diagnostic.message)\n"
          + diagnostic.rendered(in: outcome.sources))
    }
    for (line, message) in expected.sorted(by: { $0.key < $1.key }) {
      problems.append(
        "\(document):\(block.fenceLine + line): expected error not reported: \(message)")
    }
    let rendered = outcome.diagnostics.map {
      $0.rendered(in: outcome.sources).replacingOccurrences(of: directory.path + "/", with: "")
    }
    return (problems, rendered.map { $0 + "\n" }.joined())
  }

  /// `# error: MESSAGE` comments by 1-based block line.
  static func expectedErrors(in code: String) -> [Int: String] {
    var expected: [Int: String] = [:]
    for (index, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      if let match = line.firstMatch(of: #/#\s*error:\s*(.+?)\s*$/#) {
        expected[index + 1] = String(match.output.1)
      }
    }
    return expected
  }

  /// The paths of `import "…"` lines.
  static func imports(in code: String) -> [String] {
    code.split(separator: "\n").compactMap { line in
      line.firstMatch(of: #/^\s*import\s+"([^"]+)"/#).map { String($0.output.1) }
    }
  }

  /// When the paragraph before the block links a `.hf` file, the block must be that file
  /// less its leading comment lines.
  static func compareWithLinkedPlaybook(_ block: DocBlock, document: String, root: URL)
    -> [String]
  {
    guard let match = block.lead.firstMatch(of: #/\]\(([^)\s]+\.hf)\)/#) else { return [] }
    let linked = String(match.output.1)
    let base = URL(fileURLWithPath: document, relativeTo: root).deletingLastPathComponent()
    let url = base.appendingPathComponent(linked).standardizedFileURL
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
      return [
        "\(document):\(block.fenceLine): the paragraph above links \(linked), which is missing"
      ]
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    while let first = lines.first, first.hasPrefix("#") || first.isEmpty { lines.removeFirst() }
    guard lines.joined(separator: "\n") == block.code else {
      return [
        "\(document):\(block.fenceLine): this block differs from \(linked) (the paragraph"
          + " above links it)"
      ]
    }
    return []
  }
}
