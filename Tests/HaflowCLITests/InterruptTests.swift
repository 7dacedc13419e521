import Foundation
import Testing

/// Ctrl-C during a run stops the commands it started and exits 130.
@Suite struct InterruptTests {
  @Test func sigintStopsLocalCommandsAndExits130() async throws {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-interrupt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let marker = "haflow-interrupt-\(UInt32.random(in: 1...UInt32.max))"
    let playbook = directory.appendingPathComponent("wait.hf")
    try "step \"wait\" { local `sleep 30 && echo \(marker)` }\n"
      .write(to: playbook, atomically: true, encoding: .utf8)

    let process = Process()
    process.executableURL = binary
    process.arguments = ["run", playbook.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Interrupt once the command runs (a loaded machine may take seconds to get there).
    let launched = Date()
    while !Self.isRunning(marker) && Date().timeIntervalSince(launched) < 20 {
      try await Task.sleep(for: .milliseconds(50))
    }
    let started = Date()
    process.interrupt()
    while process.isRunning && Date().timeIntervalSince(started) < 10 {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning, "haflow did not exit within 10 s of SIGINT")
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    // Bounded, not timed: the stop must come long before the 30 s sleep would end (CI's
    // shared cores once took 4.8 s here).
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(!Self.isRunning(marker), "the local command outlived haflow")
  }

  /// Whether a process whose command line holds `marker` runs (`pgrep -f`).
  static func isRunning(_ marker: String) -> Bool {
    let pgrep = Process()
    pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
    pgrep.arguments = ["-f", marker]
    pgrep.standardOutput = FileHandle.nullDevice
    guard (try? pgrep.run()) != nil else { return false }
    pgrep.waitUntilExit()
    return pgrep.terminationStatus == 0
  }
}

/// A signal during a run that runs no command: the evaluation is cancelled, the run unwinds
/// (sessions closed) and haflow exits 130 for SIGINT, 143 for SIGTERM, in a bounded time far
/// below the 30 s sleep and the 10 min wait it cuts short (a few seconds on CI's shared cores).
@Suite struct RunCancellationTests {
  static let cases: [(String, Int32, Int32)] = [
    ("step \"wait\" { sleep(30s) }\n", SIGINT, 130),
    ("step \"spin\" { while true {} }\n", SIGTERM, 143),
    ("wait_for_port(\"127.0.0.73\", 9, timeout: 10m)\n", SIGINT, 130),
  ]

  @Test(arguments: 0..<cases.count) func signalStopsTheRun(_ index: Int) async throws {
    let (source, signal, status) = Self.cases[index]
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-cancel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let playbook = directory.appendingPathComponent("cancel.hf")
    try source.write(to: playbook, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = binary
    process.arguments = ["run", playbook.path]
    let errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    try process.run()
    // Time to start and install the signal handlers on a loaded machine.
    try await Task.sleep(for: .milliseconds(2000))
    #expect(process.isRunning, "the run ended before the signal")
    let started = Date()
    kill(process.processIdentifier, signal)
    while process.isRunning && Date().timeIntervalSince(started) < 10 {
      try await Task.sleep(for: .milliseconds(20))
    }
    let elapsed = Date().timeIntervalSince(started)
    #expect(!process.isRunning, "haflow did not stop within 10 s")
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    #expect(process.terminationStatus == status)
    #expect(elapsed < 6, "haflow took \(elapsed)s to stop")
    let text = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(text.contains("haflow: interrupted"), "\(text)")
    #expect(!text.contains("did not stop"), "\(text)")
  }
}
