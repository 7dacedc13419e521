import Foundation
import Testing

@testable import Session

/// The run lock's script, run by this machine's `/bin/sh` in a temporary `HAFLOW_LOCK_DIR`
/// (as it runs over a session), and the holder line it stores.
@Suite struct RunLockScriptTests {
  /// Runs the script in `mode` with `directory` as the lock directory.
  static func run(
    _ mode: RunLockScript.Mode, _ content: String, expected: String = "", in directory: String
  ) throws -> RunLockScript.Answer {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c", RunLockScript.text, "haflow-lock", mode.rawValue, content, expected,
    ]
    process.environment = ["HAFLOW_LOCK_DIR": directory, "PATH": "/usr/bin:/bin"]
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return RunLockScript.answer(
      String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
      status: Int(process.terminationStatus))
  }

  static func holder(_ id: String, pid: Int32 = 42) -> RunLockHolder {
    RunLockHolder(
      runID: id, playbook: "it's site.hf", controller: "ops1", user: "alice", pid: pid,
      started: "2026-12-07T07:00:00.000000Z")
  }

  @Test func takeIsExclusiveReplaceChecksWhatWasReadReleaseOnlyItsOwn() throws {
    let directory =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-lockscript-\(UUID().uuidString)").path + "/nested"
    defer { try? FileManager.default.removeItem(atPath: directory + "/..") }
    let path = directory + "/run.lock"
    let first = Self.holder("run-a").line
    let second = Self.holder("run-b").line

    #expect(try Self.run(.take, first, in: directory) == .acquired(path: path))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == first + "\n")
    // A second take finds the first holder, whose line reads back as it was written.
    let held = try Self.run(.take, second, in: directory)
    #expect(held == .held(path: path, content: first))
    #expect(RunLockHolder.parse(first) == Self.holder("run-a"))
    // Replacing needs the content the caller read; a stale read changes nothing.
    #expect(try Self.run(.replace, second, expected: "other", in: directory) == held)
    #expect(
      try Self.run(.replace, second, expected: first, in: directory) == .acquired(path: path))
    // The first holder's release leaves the second's lock; the second's removes it.
    #expect(try Self.run(.release, first, in: directory) == .held(path: path, content: second))
    #expect(try Self.run(.release, second, in: directory) == .released(path: path))
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(try Self.run(.release, second, in: directory) == .absent(path: path))
  }

  @Test func aLockThatCannotBeMadeSaysWhy() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-lockscript-\(UUID().uuidString)").path
    try "not a directory".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let answer = try Self.run(.take, Self.holder("run-a").line, in: file)
    #expect(answer == .failed("cannot create the directory \(file)"))
  }

  @Test func holdersAreNamedInWords() {
    #expect(
      RunLocks.name(Self.holder("run-a", pid: 7).line)
        == "run run-a (it's site.hf), started 2026-12-07T07:00:00.000000Z by alice on ops1, pid 7")
    #expect(RunLocks.name("") == "an empty lock file")
    #expect(
      RunLocks.name("locked by hand\nsecond") == "a lock file haflow cannot read (locked by hand)")
  }
}
