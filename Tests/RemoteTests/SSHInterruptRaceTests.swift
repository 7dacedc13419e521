import Foundation
import Remote
import Synchronization
import TestSupport
import Testing

/// An interrupt stops the remote commands whose process groups are known; a command whose
/// group arrives after the interrupt (it was starting) must stop itself as soon as it is
/// known, or the run waits for it (CI saw `sleep 30` outlive Ctrl-C on a lab host).
@Suite struct SSHInterruptRaceTests {
  /// Discards what the command prints.
  struct Discard: TransportOutput {
    func line(_ text: String, isError: Bool, host: String) {}
    func note(_ text: String, host: String) {}
    func warning(_ text: String, host: String) {}
  }

  /// The interrupt's flag.
  final class Flag: Sendable {
    let value = Atomic(false)
  }

  @Test(.timeLimit(.minutes(3))) func aCommandStartedAfterAnInterruptStops() async throws {
    var options = SSHServerFixture.Options()
    options.address = "127.0.0.57"
    let server = try SSHServerFixture(options)
    defer { server.stop() }
    var configuration = SSHConfiguration(environment: [:])
    configuration.knownHostsPath = server.knownHosts
    configuration.identityFiles = [server.clientKey]
    let flag = Flag()
    configuration.stop = StopCheck { flag.value.load(ordering: .relaxed) }
    let interrupted = configuration
    let host = RemoteHost(name: "race", address: server.address, port: server.port, user: "root")
    let result = try await blocking {
      let late = try SSHSession.connect(to: host, configuration: interrupted)
      defer { late.close() }
      // Interrupted now, with nothing running: the command starts after the interrupt.
      flag.value.store(true, ordering: .relaxed)
      #expect(late.terminateRunningCommands() == 0)
      let start = Date()
      let result = try late.run(ShellCommand(script: "sleep 100"), output: Discard())
      return (result.exitStatus, Date().timeIntervalSince(start))
    }
    #expect(result.0 == 143, "stopped by SIGTERM")
    #expect(result.1 < 90, "well before sleep 100 ends")
  }
}
