import Foundation
import Testing

/// A SIGTERM or SIGINT sent at any moment of haflow's start is never lost: before its handlers
/// are in place the signal ends haflow (nothing has run), after they are it stops the run.
/// haflow used to ignore both signals for an instant while it installed the handlers.
@Suite struct SignalWindowTests {
  @Test(.timeLimit(.minutes(3))) func aSignalRightAfterStartEndsTheRun() async throws {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-signalwindow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let playbook = directory.appendingPathComponent("wait.hf").path
    try "step \"wait\" { sleep(30s) }\n".write(toFile: playbook, atomically: true, encoding: .utf8)
    let environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
    try await offThePool {
      // Delays spread over haflow's start (argument parsing, loading, installing handlers).
      for (index, delay) in [0, 1, 2, 3, 5, 8, 12, 18, 25, 35, 50, 70, 100, 150].enumerated() {
        let signal = index % 2 == 0 ? SIGTERM : SIGINT
        let pid = try ChildProcess.spawn(
          [binary.path, "run", playbook], environment: environment, directory: directory.path)
        usleep(useconds_t(delay * 1000))
        kill(pid, signal)
        let status = ChildProcess.reap(pid, within: 15)
        if status == nil { ChildProcess.killTree(pid) }
        // 128 + the signal either way: its default action, or haflow's handler's exit status.
        #expect(
          status == 128 + signal,
          "signal \(signal) after \(delay) ms: \(String(describing: status))")
      }
    }
  }
}
