import Foundation
import Subprocess

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What `LocalProcesses` starts for a command: the program, its arguments and options.
struct LaunchPlan: Sendable {
  /// The program's path.
  var executable: String
  /// Its arguments.
  var arguments: [String]
  /// Variables added to the inherited environment.
  var environment: [String: String]
  /// The working directory.
  var directory: String?
  /// Text for standard input.
  var stdin: String?
  /// Time before the process group is terminated.
  var timeout: Duration?
  /// Time between SIGTERM and SIGKILL.
  var killGrace: Duration
  /// Whether the command goes through sudo.
  var usesSudo: Bool

  /// The plan for a command; nil when sudo is needed but not installed.
  init?(_ request: ShellCommand, killGrace: Duration) {
    let text = request.script
    directory = request.directory
    stdin = request.stdin
    timeout = request.timeout
    self.killGrace = killGrace
    usesSudo = request.sudo && getuid() != 0
    guard usesSudo else {
      executable = "/bin/sh"
      arguments = ["-c", text]
      environment = request.environment
      return
    }
    guard let sudo = LaunchPlan.findExecutable("sudo") else { return nil }
    executable = sudo
    environment = [:]
    if let password = request.sudoPassword {
      arguments = ["-S", "-p", "", "--"]
      stdin = password + "\n" + (request.stdin ?? "")
    } else {
      arguments = ["-n", "--"]
    }
    if !request.environment.isEmpty {
      arguments +=
        ["/usr/bin/env"]
        + request.environment.sorted { $0.key < $1.key }
        .map { "\($0.key)=\($0.value)" }
    }
    arguments += ["/bin/sh", "-c", text]
  }

  /// The first executable file named `name` on `PATH` (or in the usual system directories).
  static func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories =
      path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin"]
    for directory in directories where !directory.isEmpty {
      let candidate = directory + "/" + name
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// What came back from the process.
  struct Outcome: Sendable {
    var stdout: [UInt8]
    var stderr: [UInt8]
    var exitStatus: Int
    var timedOut: Bool
  }

  /// Starts the process, streams its output to `sink` and waits for it.
  func execute(hostName: String, sink: any TransportOutput, running: RunningCommands) throws
    -> Outcome
  {
    let plan = self
    if stdin != nil { _ = IgnoreSIGPIPE.once }
    do {
      return try BlockingBridge.wait {
        try await plan.launch(hostName: hostName, sink: sink, running: running)
      }
    } catch let error as RemoteError {
      throw error
    } catch {
      throw RemoteError("could not start \(executable) on this machine: \(error)")
    }
  }

  private func launch(hostName: String, sink: any TransportOutput, running: RunningCommands)
    async throws -> Outcome
  {
    var options = PlatformOptions()
    options.processGroupID = 0
    var overrides: [Environment.Key: String?] = [:]
    for (name, value) in environment {
      if let key = Environment.Key(rawValue: name) { overrides[key] = value }
    }
    let input = stdin.map { Array($0.utf8) }
    // Standard input is written by our own task (not `.string(…)`): a command that exits
    // without reading it must not fail the run.
    let result = try await Subprocess.run(
      .path(.init(executable)), arguments: Arguments(arguments),
      environment: Environment.inherit.updating(overrides),
      workingDirectory: directory.map { .init($0) }, platformOptions: options,
      input: .inputWriter, output: .sequence, error: .sequence
    ) { execution in
      try await running.tracking(execution.processIdentifier.value) {
        try await collect(execution, hostName: hostName, sink: sink, input: input)
      }
    }
    var outcome = result.closureResult
    switch result.terminationStatus {
    case .exited(let code): outcome.exitStatus = Int(code)
    case .signaled(let signal): outcome.exitStatus = 128 + Int(signal)
    }
    return outcome
  }

  /// Feeds stdin and drains both output streams while the process runs, under the timeout.
  private func collect(
    _ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>, hostName: String,
    sink: any TransportOutput, input: [UInt8]?
  ) async throws -> Outcome {
    let timeout = self.timeout
    let grace = killGrace
    return try await withThrowingTaskGroup(of: StreamEvent.self) { group in
      group.addTask {
        let writer = execution.standardInputWriter
        if let input { _ = try? await writer.write(input) }
        try? await writer.finish()
        return .inputDone
      }
      group.addTask {
        .stdout(
          try await Streams.drain(
            execution.standardOutput, host: hostName, isError: false, sink: sink))
      }
      group.addTask {
        .stderr(
          try await Streams.drain(
            execution.standardError, host: hostName, isError: true, sink: sink))
      }
      if let timeout {
        group.addTask {
          await Streams.watchdog(timeout: timeout, grace: grace) { signal in
            try? execution.send(signal: signal, toProcessGroup: true)
          }
        }
      }
      var collected = Outcome(stdout: [], stderr: [], exitStatus: 0, timedOut: false)
      var open = 2
      for try await event in group {
        switch event {
        case .stdout(let bytes):
          collected.stdout = bytes
          open -= 1
        case .stderr(let bytes):
          collected.stderr = bytes
          open -= 1
        case .watchdog(let fired): collected.timedOut = fired
        case .inputDone: break
        }
        if open == 0 { group.cancelAll() }
      }
      return collected
    }
  }
}

/// What one task of a running command reports.
enum StreamEvent: Sendable {
  case stdout([UInt8])
  case stderr([UInt8])
  case watchdog(fired: Bool)
  case inputDone
}

/// Ignores SIGPIPE once for the process, so writing stdin to a command that has already exited
/// reports an error instead of killing haflow.
enum IgnoreSIGPIPE {
  static let once: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
  }()
}
