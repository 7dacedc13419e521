import Foundation
import Interpreter
import Remote
import Session
import Synchronization
import Testing

import struct Interpreter.Host

/// Starts an `SSHServerFixture` for a whole suite, publishes it as `SSHServerFixture.current`,
/// and stops it afterwards, checking that no sshd process is left.
public struct SSHServerTrait: SuiteTrait, TestScoping {
  let options: SSHServerFixture.Options

  public var isRecursive: Bool { false }

  public func provideScope(
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
  public static func sshServer(_ options: SSHServerFixture.Options = .init()) -> Self {
    SSHServerTrait(options: options)
  }

  /// Runs the suite against a fresh OpenSSH server on `address`.
  public static func sshServer(address: String, sftp: Bool = true) -> Self {
    var options = SSHServerFixture.Options()
    options.address = address
    options.sftp = sftp
    return SSHServerTrait(options: options)
  }
}

extension SSHServerFixture {
  /// The fixture of the running suite.
  public static func require() throws -> SSHServerFixture {
    try #require(SSHServerFixture.current, "the suite needs the .sshServer() trait")
  }

  /// A fresh directory under the fixture's, for one test.
  public func scratch(_ name: String) throws -> String {
    let path = directory + "/" + name
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// An inventory host for this server.
  public func host(_ name: String = "h", user: String = "root") -> Host {
    Host(name: name, address: address, port: port, user: user)
  }

  /// A configuration trusting this server, with the client key, no agent.
  public func configuration(knownHosts: String? = nil) -> SSHConfiguration {
    var configuration = SSHConfiguration(environment: ["HOME": directory, "USER": "root"])
    configuration.knownHostsPath = knownHosts ?? self.knownHosts
    configuration.identityFiles = [clientKey]
    configuration.agentSocket = nil
    configuration.connectTimeout = .seconds(5)
    configuration.killGrace = .milliseconds(500)
    return configuration
  }

  /// An executor for this server.
  public func executor(knownHosts: String? = nil) -> SSHExecutor {
    SSHExecutor(configuration: configuration(knownHosts: knownHosts))
  }
}

extension SSHExecutor {
  /// Runs shell text on `host` (blocking: call inside `blocking`).
  public func run(
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
public func errorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as RuntimeError {
    return error.message + (error.hint.map { "\nhint: " + $0 } ?? "")
  } catch {
    return "\(error)"
  }
}
