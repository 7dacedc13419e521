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
    try await Task.sleep(for: .milliseconds(1500))
    let started = Date()
    process.interrupt()
    while process.isRunning && Date().timeIntervalSince(started) < 10 {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(!process.isRunning, "haflow did not exit within 10 s of SIGINT")
    if process.isRunning { process.terminate() }
    #expect(process.terminationStatus == 130)
    #expect(Date().timeIntervalSince(started) < 3)
    let survivors = Process()
    survivors.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
    survivors.arguments = ["-f", marker]
    survivors.standardOutput = FileHandle.nullDevice
    try survivors.run()
    survivors.waitUntilExit()
    #expect(survivors.terminationStatus == 1, "the local command outlived haflow")
  }
}
