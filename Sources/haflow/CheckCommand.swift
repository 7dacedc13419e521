import ArgumentParser
import Foundation
import Inventory
import Session

/// `haflow check FILE…`.
struct CheckCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check playbooks for syntax and static errors without running them.",
    discussion: HelpText.check)

  /// The playbooks.
  @Argument(help: "The playbooks to check: .hf files, or directories (every .hf under them).")
  var files: [String]

  /// `-i FILE`.
  @Option(
    name: [.customShort("i"), .customLong("inventory")],
    help: ArgumentHelp(
      "Also check host and group names written in `on`, host() and group() against this inventory.",
      valueName: "file"))
  var inventory: String?

  /// Requires at least one file.
  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one playbook to check") }
    if let inventory { try ConnectionOptions.validateInventoryPath(inventory) }
  }

  /// Checks the files; exits 65 on errors, 2 when a file cannot be read.
  func run() throws {
    let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
    let driver = Driver(sink: TerminalSink(quiet: false, style: style))
    var files: [String] = []
    for path in self.files {
      guard let found = Self.playbooks(in: path) else {
        files.append(path)
        continue
      }
      guard !found.isEmpty else {
        OutcomeReport(style: style).usageError("no .hf files under '\(path)'")
        throw ExitCode(ExitStatus.usage)
      }
      files += found
    }
    var notes: [String] = []
    let hosts = try inventory.map { path in
      do {
        return InventoryBridge.inventory(try InventoryLoader.load(path: path, warnings: &notes))
      } catch let error as InventoryError {
        throw OutcomeReport(style: style).inventoryFailure(error, warnings: notes)
      }
    }
    for note in notes { Console.err(OutcomeReport(style: style).highlight(note) + "\n") }
    let outcome = driver.check(paths: files, inventory: hosts)
    OutcomeReport(style: style).write(outcome, isRun: false)
    guard outcome.exitCode == ExitStatus.ok else { throw ExitCode(outcome.exitCode) }
    let warnings = outcome.diagnostics.count { $0.severity == .warning }
    var line = "ok: " + OutcomeReport.counted(files.count, "file")
    if warnings > 0 { line += " (" + OutcomeReport.counted(warnings, "warning") + ")" }
    Console.out(line + "\n")
  }

  /// Every `.hf` file under `path`, sorted, when it is a directory (hidden files and
  /// directories left out); nil when it is not a directory.
  static func playbooks(in path: String) -> [String]? {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { return nil }
    let root = URL(fileURLWithPath: path)
    guard
      let walker = FileManager.default.enumerator(
        at: root, includingPropertiesForKeys: [.isRegularFileKey],
        options: [.skipsHiddenFiles])
    else { return [] }
    var found: [String] = []
    let prefix = path.hasSuffix("/") ? path : path + "/"
    let rootPath = root.standardizedFileURL.path + "/"
    while let url = walker.nextObject() as? URL {
      let full = url.standardizedFileURL.path
      guard full.hasSuffix(".hf"), full.hasPrefix(rootPath),
        (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
      else { continue }
      found.append(prefix + full.dropFirst(rootPath.count))
    }
    return found.sorted()
  }
}
