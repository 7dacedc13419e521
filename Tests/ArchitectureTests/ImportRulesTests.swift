import Foundation
import Testing

/// The one-way dependency rules of docs/architecture.md, checked file by file: Swift lets a file
/// import any module its target reaches through another dependency, so the compiler alone
/// would not notice the transport importing the interpreter.
@Suite struct ImportRulesTests {
  /// Modules every target may import.
  static let system: Set<String> = [
    "Foundation", "Dispatch", "Synchronization", "Glibc", "Darwin", "Musl",
  ]

  @Test func everySourceFileImportsOnlyWhatItsTargetMay() throws {
    let rules = try ArchitecturePage.load()
    #expect(rules.allowed.count >= 8, "the import-rules table has too few rows")
    var checked = 0
    var violations: [String] = []
    for file in try SourceTree.swiftFiles() {
      let target = try #require(
        rules.target(of: file.relativePath), "no target owns \(file.relativePath)")
      let allowed = rules.allowed[target] ?? []
      for line in file.imports where !Self.system.contains(line.module) {
        if !allowed.contains(line.module) {
          violations.append(
            "\(file.relativePath):\(line.number): \(target) may not import \(line.module)")
        }
      }
      checked += 1
    }
    #expect(checked > 150, "only \(checked) source files found")
    #expect(violations.isEmpty, "forbidden imports:\n\(violations.joined(separator: "\n"))")
  }

  @Test func aForbiddenImportIsCaught() throws {
    let rules = try ArchitecturePage.load()
    let transport = try #require(rules.target(of: "Sources/Stdlib/Remote/SSH/SSHSession.swift"))
    #expect(transport == "Remote")
    #expect(rules.allowed["Remote"]?.contains("Interpreter") == false)
    #expect(rules.target(of: "Sources/Stdlib/Builtins/StdlibTable.swift") == "Stdlib")
    let parsed = SourceFileImports.parse(
      "import Foundation\n  import Glibc\n@testable import Session\nimport struct Interpreter.Host\n"
    )
    #expect(parsed.map(\.module) == ["Foundation", "Glibc", "Session", "Interpreter"])
    #expect(parsed.map(\.number) == [1, 2, 3, 4])
  }
}

/// The tables of docs/architecture.md: which folder each target owns, and what it may import.
struct ArchitecturePage {
  /// Target name → folder, from the "targets and what each owns" table.
  var folders: [String: String]
  /// Target name → modules it may import, from the import-rules table.
  var allowed: [String: Set<String>]

  static func load() throws -> ArchitecturePage {
    let text = try String(
      contentsOfFile: SourceTree.root + "/docs/architecture.md", encoding: .utf8)
    var folders: [String: String] = [:]
    var allowed: [String: Set<String>] = [:]
    var inRules = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.contains("<!-- import-rules") { inRules = true }
      if line.contains("<!-- end import-rules") { inRules = false }
      guard line.hasPrefix("|"), !line.hasPrefix("|---") else { continue }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 3 else { continue }
      if inRules {
        guard cells[1] != "target" else { continue }
        allowed[cells[1]] = Set(
          cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty })
      } else if cells[1].hasPrefix("`"), cells[2].hasPrefix("`Sources/") {
        folders[cells[1].trimmingCharacters(in: ["`"])] = cells[2].trimmingCharacters(in: ["`"])
      }
    }
    return ArchitecturePage(folders: folders, allowed: allowed)
  }

  /// The target whose folder is the longest prefix of `path` and has import rules.
  func target(of path: String) -> String? {
    folders.filter { path.hasPrefix($0.value + "/") && allowed[$0.key] != nil }
      .max { $0.value.count < $1.value.count }?.key
  }
}

/// One `import` line of a source file.
struct SourceFileImports {
  var module: String
  var number: Int

  /// Every import of `text`, also indented ones (inside `#if`) and `import struct M.T` forms.
  static func parse(_ text: String) -> [SourceFileImports] {
    var found: [SourceFileImports] = []
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var words = raw.split(separator: " ").map(String.init)
      if words.first == "@testable" { words.removeFirst() }
      guard words.first == "import", words.count >= 2 else { continue }
      let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "typealias"]
      let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
      let module = path.split(separator: ".").first.map(String.init) ?? path
      found.append(SourceFileImports(module: module, number: index + 1))
    }
    return found
  }
}

/// The package's Swift sources.
enum SourceTree {
  /// The package root (this file is Tests/ArchitectureTests/ImportRulesTests.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  struct File {
    var relativePath: String
    var imports: [SourceFileImports]
  }

  static func swiftFiles() throws -> [File] {
    let sources = root + "/Sources"
    guard let walker = FileManager.default.enumerator(atPath: sources) else { return [] }
    var files: [File] = []
    while let next = walker.nextObject() as? String {
      guard next.hasSuffix(".swift") else { continue }
      let text = try String(contentsOfFile: sources + "/" + next, encoding: .utf8)
      files.append(File(relativePath: "Sources/" + next, imports: SourceFileImports.parse(text)))
    }
    return files.sorted { $0.relativePath < $1.relativePath }
  }
}
