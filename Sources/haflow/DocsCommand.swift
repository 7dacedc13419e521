import ArgumentParser
import Foundation
import Stdlib

/// `haflow docs [--output FILE]`.
struct DocsCommand: ParsableCommand {
  /// Names and help.
  static let configuration = CommandConfiguration(
    commandName: "docs",
    abstract: "Print the standard library reference (docs/stdlib.md) as Markdown.",
    discussion: HelpText.docs)

  /// `--output FILE`.
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
  var output: String?

  /// Prints or writes the reference.
  func run() throws {
    let markdown = StdlibDocs.markdown(Stdlib.table)
    guard let output else { return Console.out(markdown) }
    do {
      try markdown.write(toFile: output, atomically: true, encoding: .utf8)
    } catch {
      let style = TerminalStyle.forStandardError(environment: ProcessInfo.processInfo.environment)
      OutcomeReport(style: style).usageError(
        "cannot write '\(output)': \(error.localizedDescription)")
      throw ExitCode(ExitStatus.failed)
    }
  }
}
