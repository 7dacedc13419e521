import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Remote
@testable import Session

/// What `haflow run -vv` and the live line learn from the transport, against a real sshd on
/// 127.0.0.223: the auth method that worked (also the `host_connect` event's `auth`), each
/// command's channel opened and closed.
@Suite(.sshServer(address: "127.0.0.223"))
struct SSHRunDetailTests {
  /// Collects what a callback is told.
  final class Collected<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
  }

  @Test(.timeLimit(.minutes(1))) func theAuthMethodAndEachChannelAreTold() async throws {
    let server = try SSHServerFixture.require()
    try await blocking {
      let traces = Collected<ChannelTrace>()
      var configuration = server.configuration()
      configuration.channelTrace = { traces.append($0) }
      let executor = SSHExecutor(configuration: configuration)
      defer { executor.close() }
      let events = Collected<RunEvent>()
      let log = RunEventLog(listeners: [{ events.append($0) }])
      let observed = log.observing(executor)
      let host = server.host("h1")
      #expect(observed.prepare([host]).isEmpty)
      // The configuration's HOME is the server's directory, which holds the client key.
      #expect(executor.authMethod(for: host) == "publickey (~/client_ed25519)")
      let connect = try #require(events.all.first { $0.kind == .hostConnect })
      #expect(connect["auth"] == .string("publickey (~/client_ed25519)"))
      #expect(connect.host == "h1")

      #expect(try executor.run("true", on: host).exitStatus == 0)
      #expect(try executor.run("exit 3", on: host).exitStatus == 3)
      let seen = traces.all
      #expect(seen.map(\.phase) == [.opened, .closed, .opened, .closed])
      #expect(seen.map(\.exitStatus) == [nil, 0, nil, 3])
      #expect(seen.allSatisfy { $0.host == "h1" && $0.duration >= .zero })
    }
  }

  @Test func aKeyOutsideHomeIsNamedByItsFullPath() {
    #expect(Authenticator.abbreviated("/srv/keys/id", home: "/root") == "/srv/keys/id")
    #expect(Authenticator.abbreviated("/root/.ssh/id", home: "/root") == "~/.ssh/id")
    #expect(Authenticator.abbreviated("/rootless/id", home: "/root") == "/rootless/id")
    #expect(Authenticator.abbreviated("/x/id", home: "/") == "/x/id")
  }
}
