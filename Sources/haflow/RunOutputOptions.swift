import ArgumentParser
import Foundation
import Session

/// How `haflow run` shows a run: text or JSON events, a log file, colours, verbosity.
struct RunOutputOptions: ParsableArguments {
  /// `--log-format`.
  enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  /// `--color`.
  enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
  }

  /// `--log-format text|json`.
  @Option(
    help: ArgumentHelp(
      "text: progress and a recap on standard error; json: the run's events on standard output, one JSON object per line (docs/events.md).",
      valueName: "format"))
  var logFormat: LogFormat = .text

  /// `--log FILE`.
  @Option(
    name: .customLong("log"),
    help: ArgumentHelp(
      "Also write the run's events to this file, one JSON object per line (mode 0600).",
      valueName: "file"))
  var logFile: String?

  /// `--color auto|always|never`.
  @Option(
    help: ArgumentHelp(
      "Colours: auto (on a terminal, unless NO_COLOR is set), always, never.", valueName: "when"))
  var color: ColorChoice = .auto

  /// `-v`, `-vv`.
  @Flag(
    name: .customShort("v"),
    help: "Show command output live on a terminal too (-vv: also connections, transfers, probes).")
  var verbosity: Int

  /// The style for standard error.
  func style(environment: [String: String]) -> TerminalStyle {
    switch color {
    case .always: TerminalStyle(enabled: true)
    case .never: TerminalStyle(enabled: false)
    case .auto: TerminalStyle.forStandardError(environment: environment)
    }
  }

  /// Opens the `--log` file (0600, truncated); exits 2 when it cannot be created.
  func openLogFile(report: OutcomeReport) throws -> EventFile? {
    guard let logFile else { return nil }
    do {
      return try EventFile(path: logFile)
    } catch {
      report.usageError("--log: cannot write \(logFile): \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }
}

/// A file of JSON events, one per line, written as they happen.
final class EventFile: Sendable {
  private let handle: FileHandle

  /// Creates (or truncates) the file with mode 0600: events can hold hosts' output.
  init(path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    fchmod(fd, 0o600)
    handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  /// Writes one event as a line.
  func write(_ event: RunEvent) {
    try? handle.write(contentsOf: Data((event.jsonLine + "\n").utf8))
  }
}
