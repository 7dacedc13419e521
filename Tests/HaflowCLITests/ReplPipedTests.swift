import Foundation
import Testing

/// `haflow repl` with input from a pipe: no prompt, values on stdout, errors on stderr, and a
/// non-zero exit status when any input failed.
@Suite struct ReplPipedTests {
  @Test func pipedInputPrintsValuesWithoutPrompts() async throws {
    let result = try await ReplPiped.run(
      """
      let x = 20
      x * 2 + 2
      let s = secret("hunter2")
      s
      [1,
       2]
      :vars
      """)
    #expect(result.status == 0)
    #expect(
      result.stdout
        == """
        42 : int
        <secret> : secret
        [1, 2] : list
        s = <secret> : secret
        x = 20 : int

        """)
    #expect(!result.stdout.contains("haflow>"))
    #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"))
  }

  @Test func aFailedInputMakesTheExitStatusOne() async throws {
    let result = try await ReplPiped.run("1 +\n2\nnope(1)\n\"after\"\n")
    #expect(result.status == 1)
    #expect(result.stdout == "3 : int\n\"after\" : string\n")
    #expect(result.stderr.contains("<repl>:1:1: error: undefined name 'nope'"))
    #expect(result.stderr.contains("^~~~"))
  }
}

/// Runs `haflow repl` with text on standard input.
enum ReplPiped {
  static func run(_ input: String, arguments: [String] = ["repl"]) async throws -> CLIResult {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    return try await offThePool {
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      var environment = ProcessInfo.processInfo.environment
      environment["NO_COLOR"] = "1"
      process.environment = environment
      let stdin = Pipe()
      let stdout = Pipe()
      let stderr = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = stderr
      try process.run()
      // A hung REPL must not hang the tests.
      let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
      DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
      defer { watchdog.cancel() }
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
      let out = stdout.fileHandleForReading.readDataToEndOfFile()
      let err = stderr.fileHandleForReading.readDataToEndOfFile()
      let exited = Date()
      while process.isRunning && Date().timeIntervalSince(exited) < 10 { usleep(10_000) }
      return CLIResult(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
        stderr: String(decoding: err, as: UTF8.self))
    }
  }
}
