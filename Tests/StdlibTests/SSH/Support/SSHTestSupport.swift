import Foundation
import Interpreter
import Synchronization
import Testing

import struct Interpreter.Host

@testable import Stdlib

/// Starts an `SSHServerFixture` for a whole suite, publishes it as `SSHServerFixture.current`,
/// and stops it afterwards, checking that no sshd process is left.
struct SSHServerTrait: SuiteTrait, TestScoping {
  let options: SSHServerFixture.Options

  var isRecursive: Bool { false }

  func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let options = self.options
    let fixture = try await blocking { try SSHServerFixture(options) }
    do {
      try await SSHServerFixture.$current.withValue(fixture) { try await function() }
    } catch {
      _ = try? await blocking { fixture.stop() }
      throw error
    }
    let leftover = try await blocking { fixture.stop() }
    #expect(leftover.isEmpty, "sshd processes left running: \(leftover)")
  }
}

extension Trait where Self == SSHServerTrait {
  /// Runs the suite against a fresh OpenSSH server.
  static func sshServer(_ options: SSHServerFixture.Options = .init()) -> Self {
    SSHServerTrait(options: options)
  }

  /// Runs the suite against a fresh OpenSSH server on `address`.
  static func sshServer(address: String, sftp: Bool = true) -> Self {
    var options = SSHServerFixture.Options()
    options.address = address
    options.sftp = sftp
    return SSHServerTrait(options: options)
  }
}

/// Runs blocking work on a thread of its own and awaits it, so Swift Testing's cooperative
/// threads (two on this machine) never block on SSH I/O.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try work() }) }
    thread.stackSize = 8 << 20
    thread.start()
  }
}

extension SSHServerFixture {
  /// The fixture of the running suite.
  static func require() throws -> SSHServerFixture {
    try #require(SSHServerFixture.current, "the suite needs the .sshServer() trait")
  }

  /// A fresh directory under the fixture's, for one test.
  func scratch(_ name: String) throws -> String {
    let path = directory + "/" + name
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// An inventory host for this server.
  func host(_ name: String = "h", user: String = "root") -> Host {
    Host(name: name, address: address, port: port, user: user)
  }

  /// A configuration trusting this server, with the client key, no agent.
  func configuration(knownHosts: String? = nil) -> SSHConfiguration {
    var configuration = SSHConfiguration(environment: ["HOME": directory, "USER": "root"])
    configuration.knownHostsPath = knownHosts ?? self.knownHosts
    configuration.identityFiles = [clientKey]
    configuration.agentSocket = nil
    configuration.connectTimeout = .seconds(5)
    configuration.killGrace = .milliseconds(500)
    return configuration
  }

  /// An executor for this server.
  func executor(knownHosts: String? = nil) -> SSHExecutor {
    SSHExecutor(configuration: configuration(knownHosts: knownHosts))
  }
}

extension SSHExecutor {
  /// Runs shell text on `host` (blocking: call inside `blocking`).
  func run(
    _ text: String, on host: Host, sudo: Bool = false, env: [String: String] = [:],
    cwd: String? = nil, stdin: String? = nil, timeout: Int64? = nil,
    sink: any OutputSink = RecordingSink()
  ) throws -> CommandResult {
    try run(
      CommandRequest(
        command: CommandValue([.raw(text)]), host: host, sudo: sudo, environment: env,
        directory: cwd, stdin: stdin, timeout: timeout),
      sink: sink)
  }
}

/// The message of the error `body` throws, or nil.
func errorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as RuntimeError {
    return error.message + (error.hint.map { "\nhint: " + $0 } ?? "")
  } catch {
    return "\(error)"
  }
}

/// Test users: `haflowtest` (shell /bin/sh, passwordless sudo) and `haflowpw` (sudo wants a
/// password). Created when missing; sudo is installed with apt when missing.
enum TestUsers {
  static let sudoer = "haflowtest"
  static let passwordSudoer = "haflowpw"
  /// `passwordSudoer`'s password (its crypt hash is set below).
  static let sudoPassword = "sudo-pw-4711"
  private static let sudoPasswordHash =
    "$6$haflowtestsalt$7qIQ/a6OW7sq9GW739iGAS/s.uJyGajSe73SY/ejgCKebb8JdBnNpaptNKDspwieZb30GZOShLGjUjXMJKGRj/"

  /// Whether the users can be made (root only).
  static var canCreate: Bool { getuid() == 0 }

  private static let done = Mutex<Bool>(false)

  /// Makes sure both users and the sudo rules exist (once per test process).
  static func ensure() throws {
    try done.withLock { done in
      if done { return }
      try create()
      done = true
    }
  }

  private static func create() throws {
    if !FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") {
      _ = try? Shell.run("apt-get", "install", "-y", "-q", "sudo")
      if !FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo") {
        try Shell.run("apt-get", "update", "-q")
        try Shell.run("apt-get", "install", "-y", "-q", "sudo")
      }
    }
    for user in [sudoer, passwordSudoer] {
      if (try? Shell.run("id", "-u", user)) == nil {
        _ = try? Shell.run("useradd", "-m", "-s", "/bin/sh", user)
      }
      // Not locked ("!"), or sshd refuses the account; "*" still allows no password login.
      _ = try? Shell.run("usermod", "-p", user == sudoer ? "*" : sudoPasswordHash, user)
    }
    let rules = """
      \(sudoer) ALL=(ALL) NOPASSWD: ALL
      \(passwordSudoer) ALL=(ALL) ALL

      """
    let path = "/etc/sudoers.d/haflow-tests"
    if (try? String(contentsOfFile: path, encoding: .utf8)) != rules {
      try rules.write(toFile: path, atomically: true, encoding: .utf8)
      chmod(path, 0o440)
    }
  }
}
