import Foundation
import Testing

/// What one run of the `haflow` binary produced.
struct CLIResult {
  /// The exit status.
  var status: Int32
  /// Everything written to standard output.
  var stdout: String
  /// Everything written to standard error.
  var stderr: String
}

/// Runs the built `haflow` executable, end to end.
enum HaflowCLI {
  /// The package root (three levels above this file).
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The binary: `$HAFLOW_BIN`, else the one next to the running test bundle (this works for
  /// `swift test` with or without `--scratch-path`), else the newest `.build*/debug/haflow`.
  static let binary: URL? = locate()

  static func locate() -> URL? {
    let files = FileManager.default
    if let path = ProcessInfo.processInfo.environment["HAFLOW_BIN"] {
      return URL(fileURLWithPath: path)
    }
    var directories: [URL] = []
    if let first = CommandLine.arguments.first {
      directories.append(
        URL(fileURLWithPath: first).resolvingSymlinksInPath()
          .deletingLastPathComponent())
    }
    if let executable = Bundle.main.executableURL {
      directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
    }
    // macOS: the tests live in `<bin>/haflowPackageTests.xctest`, loaded by a helper tool.
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      directories.append(bundle.bundleURL.deletingLastPathComponent())
    }
    for directory in directories {
      let candidate = directory.appendingPathComponent("haflow")
      if files.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    let scratch = (try? files.contentsOfDirectory(atPath: packageRoot.path)) ?? []
    let built = scratch.filter { $0.hasPrefix(".build") }
      .map { packageRoot.appendingPathComponent($0).appendingPathComponent("debug/haflow") }
      .filter { files.isExecutableFile(atPath: $0.path) }
    return built.max { modified($0) < modified($1) }
  }

  private static func modified(_ url: URL) -> Date {
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    return attributes?[.modificationDate] as? Date ?? .distantPast
  }

  /// Runs `haflow ARGUMENTS` in `directory` and collects its output (colour off). Bounded: a
  /// run that takes more than `limit` seconds is killed with everything it started and the
  /// call throws. Spawned with posix_spawn, not Foundation's `Process`, whose wait on Linux can
  /// block forever when a grandchild keeps an inherited descriptor open. `launcher` goes in
  /// front of the binary (e.g. `["unshare", "-n"]`); `binary` replaces the located one.
  static func run(
    _ arguments: [String], in directory: URL? = nil, limit: Double = 90, launcher: [String] = [],
    binary: String? = nil
  ) throws -> CLIResult {
    let located = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let program = binary ?? located.path
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: output) }
    let outPath = output.appendingPathComponent("stdout").path
    let errPath = output.appendingPathComponent("stderr").path
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    let pid = try ChildProcess.spawn(
      launcher + [program] + arguments, environment: environment,
      directory: directory?.path ?? FileManager.default.currentDirectoryPath,
      output: outPath, errors: errPath)
    guard let status = ChildProcess.reap(pid, within: limit) else {
      ChildProcess.killTree(pid)
      _ = ChildProcess.reap(pid, within: 5)
      throw PTYError("haflow \(arguments.joined(separator: " ")) took more than \(Int(limit))s")
    }
    return CLIResult(
      status: status,
      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
  }
}

/// A temporary directory of playbooks for one test, removed when the test ends.
final class Workspace {
  /// The directory.
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-ws-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  /// Writes a file and returns its path.
  @discardableResult
  func write(_ name: String, _ text: String) throws -> String {
    let file = url.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// Runs `haflow` in this directory.
  func haflow(_ arguments: String...) throws -> CLIResult {
    try HaflowCLI.run(arguments, in: url)
  }
}
