import Foundation
import Interpreter
import Synchronization
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session
@testable import Stdlib

/// Playbooks over real SSH: `on` blocks, transfer built-ins, parallel limits and failures, as
/// `haflow run -i` runs them (Driver + SSHExecutor). Several inventory hosts point at the one
/// server; each gets its own session.
@Suite(.sshServer(address: "127.0.0.10"))
struct SSHPlaybookTests {
  /// Runs `source` against `count` hosts `n1…nN` of the suite's server.
  static func run(
    _ source: String, on server: SSHServerFixture, hosts count: Int = 2,
    sink: RecordingSink = RecordingSink()
  ) throws -> RunOutcome {
    let hosts = (1...count).map { index in
      var host = server.host("n\(index)")
      host.groups = ["nodes"]
      return host
    }
    let executor = server.executor()
    defer { executor.close() }
    let driver = Driver(sink: sink, executor: executor)
    return driver.run(
      source: source, name: "play.hf",
      options: RunOptions(environment: [:], inventory: Inventory(hosts: hosts)))
  }

  static func printed(_ outcome: RunOutcome, _ sink: RecordingSink) -> [String] {
    if let error = outcome.runtimeError { Issue.record("run failed: \(error.message)") }
    return sink.printed
  }

  @Test func commandsRunOnEachHostAndResultsAreCollected() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let outcome = try await blocking {
      try Self.run(
        """
        let r = on "nodes" { trim(`echo hi-$((6*7))`.stdout) }
        print(r)
        let failed = on "n1" { run(`echo oops >&2; exit 3`, check: false) }
        print(failed.exit, trim(failed.stderr))
        """, on: server, sink: sink)
    }
    #expect(Self.printed(outcome, sink) == [#"{"n1": "hi-42", "n2": "hi-42"}"#, "3 oops"])
    let hostsWithOutput = Set(
      sink.events.compactMap { if case .commandOutput(let h, _, _) = $0 { h } else { nil } })
    #expect(hostsWithOutput == ["n1", "n2"])
  }

  @Test func transferBuiltinsRoundTripWithModes() async throws {
    let server = try SSHServerFixture.require()
    let root = try server.scratch("play-transfers")
    let local = root + "/ca.key"
    try Data("KEY-MATERIAL\n".utf8).write(to: URL(fileURLWithPath: local))
    let sink = RecordingSink()
    let outcome = try await blocking {
      try Self.run(
        """
        let token = secret("abcdef.0123456789abcdef")
        on "n1" {
          upload("\(root)/ca.key", "\(root)/n1/pki/ca.key", mode: "0600", parents: true)
          write_file("\(root)/n1/token", token, mode: "0600")
          print(trim(read_file("\(root)/n1/pki/ca.key")))
        }
        let c = copy(from: "n1", path: "\(root)/n1/pki/ca.key", to: "n2", to_path: "\(root)/n2/pki/ca.key", parents: true)
        print(c.mode, c.bytes, c.host)
        let s = scp("n2:\(root)/n2/pki/ca.key", "\(root)/back/", parents: true)
        print(s.path)
        on "n2" { download("\(root)/n2/pki/ca.key", "\(root)/back/again.key") }
        """, on: server, sink: sink)
    }
    #expect(
      Self.printed(outcome, sink) == ["KEY-MATERIAL", "0600 13 n2", "\(root)/back/ca.key"])
    for path in ["/n1/pki/ca.key", "/n2/pki/ca.key", "/back/ca.key", "/back/again.key"] {
      #expect(try String(contentsOfFile: root + path, encoding: .utf8) == "KEY-MATERIAL\n")
      let mode = try FileManager.default.attributesOfItem(atPath: root + path)[.posixPermissions]
      #expect(mode as? Int == 0o600, "mode of \(path)")
    }
    #expect(
      try String(contentsOfFile: root + "/n1/token", encoding: .utf8) == "abcdef.0123456789abcdef")
    // The secret never reaches the log, and each transfer is logged once.
    let logs = sink.events.compactMap { if case .log(let text, _) = $0 { text } else { nil } }
    #expect(!logs.joined().contains("0123456789abcdef"))
    #expect(logs.filter { $0.hasPrefix("copied n1:") }.count == 1)
    #expect(logs.contains { $0.hasPrefix("scp n2:") })
  }

  /// Transfers say whether they changed the target: the same bytes are not written again
  /// (content, mtime and inode stay), a different mode alone is set and counts as a change.
  @Test func transfersReportWhetherTheyChangedTheTarget() async throws {
    let server = try SSHServerFixture.require()
    let root = try server.scratch("play-changed")
    try Data("conf v1\n".utf8).write(to: URL(fileURLWithPath: root + "/local.conf"))
    chmod(root + "/local.conf", 0o640)
    let playbook = """
      let w = on "n1" { write_file("\(root)/n1/w.conf", "conf v1\\n", mode: "0640", parents: true) }
      let u = on "n1" { upload("\(root)/local.conf", "\(root)/n1/u.conf", parents: true) }
      let c = copy(from: "n1", path: "\(root)/n1/w.conf", to: "n2", to_path: "\(root)/n2/c.conf", parents: true)
      let s = scp("n1:\(root)/n1/u.conf", "\(root)/back/s.conf", parents: true)
      let d = on "n2" { download("\(root)/n2/c.conf", "\(root)/back/d.conf") }
      print(w.changed, u.changed, c.changed, s.changed, d.changed)
      """
    let files = ["/n1/w.conf", "/n1/u.conf", "/n2/c.conf", "/back/s.conf", "/back/d.conf"]
    let first = RecordingSink()
    let firstRun = try await blocking { try Self.run(playbook, on: server, sink: first) }
    #expect(Self.printed(firstRun, first) == ["true true true true true"])
    // Put every file's mtime in the past, and note its inode.
    let past = Date(timeIntervalSince1970: 1_000_000_000)
    var inodes: [String: Int] = [:]
    for file in files {
      try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: root + file)
      inodes[file] =
        try FileManager.default.attributesOfItem(atPath: root + file)[.systemFileNumber] as? Int
    }
    let second = RecordingSink()
    let secondRun = try await blocking { try Self.run(playbook, on: server, sink: second) }
    #expect(Self.printed(secondRun, second) == ["false false false false false"])
    for file in files {
      let attributes = try FileManager.default.attributesOfItem(atPath: root + file)
      #expect(attributes[.modificationDate] as? Date == past, "\(file) was written again")
      #expect(attributes[.systemFileNumber] as? Int == inodes[file], "\(file) was replaced")
      #expect(attributes[.posixPermissions] as? Int == 0o640, "mode of \(file)")
      #expect(try String(contentsOfFile: root + file, encoding: .utf8) == "conf v1\n")
    }
    let logs = second.events.compactMap { if case .log(let text, _) = $0 { text } else { nil } }
    #expect(
      logs.contains { $0.hasPrefix("wrote \(root)/n1/w.conf") && $0.hasSuffix(", unchanged)") })
    // A different mode on the same content: set in place, a change; the content is not sent.
    chmod(root + "/n1/w.conf", 0o600)
    let third = RecordingSink()
    let thirdRun = try await blocking { try Self.run(playbook, on: server, sink: third) }
    #expect(Self.printed(thirdRun, third) == ["true false false false false"])
    let w = try FileManager.default.attributesOfItem(atPath: root + "/n1/w.conf")
    #expect(w[.posixPermissions] as? Int == 0o640)
    #expect(w[.modificationDate] as? Date == past)
  }

  /// `read_file` of files whose content changes while read (`/proc`): returned as read.
  @Test func readFileReadsPseudoFiles() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let outcome = try await blocking {
      try Self.run(
        """
        on "n1" {
          print(starts_with(read_file("/proc/meminfo"), "MemTotal:"))
          print(contains(read_file("/proc/self/status"), "State:"))
        }
        """, on: server, sink: sink)
    }
    #expect(Self.printed(outcome, sink) == ["true", "true"])
  }

  @Test func transferErrorsAreClear() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let outcome = try await blocking {
      try Self.run(
        """
        write_file("/tmp/x", "y")
        """, on: server, sink: sink)
    }
    // Written as literals, both are caught before anything runs; computed, when they run.
    #expect(
      outcome.diagnostics.map(\.message) == [
        "'write_file' outside 'on': it has no host to work on"
      ])
    let computed = try await blocking {
      try Self.run("fn put() { write_file(\"/tmp/x\", \"y\") }\nput()", on: server)
    }
    #expect(computed.runtimeError?.message == "'write_file' has no host to work on")
    let badMode = try await blocking {
      try Self.run(
        #"var mode = 600\#non "n1" { write_file("/tmp/haflow-mode-test", "y", mode: mode) }"#,
        on: server)
    }
    #expect(badMode.runtimeError?.message.contains("mode is written as an octal string") == true)
    let missing = try await blocking {
      try Self.run(#"on "n1" { read_file("/nonexistent/haflow/file") }"#, on: server)
    }
    let message = try #require(missing.runtimeError?.message)
    #expect(message.contains("/nonexistent/haflow/file"), "\(message)")
    #expect(missing.runtimeError?.host == "n1")
    let unknown = try await blocking {
      try Self.run(#"scp("cp9:/etc/hosts", "/tmp/")"#, on: server)
    }
    #expect(unknown.runtimeError?.message == "scp: 'cp9' is not a host of the inventory")
  }

  @Test func parallelLimitIsNeverExceeded() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let started = ContinuousClock.now
    let outcome = try await blocking {
      try Self.run(
        """
        on "nodes" parallel(limit: 3) { `sleep 0.3` }
        """, on: server, hosts: 8, sink: sink)
    }
    let elapsed = ContinuousClock.now - started
    #expect(outcome.runtimeError == nil)
    var running = 0
    var most = 0
    for event in sink.events {
      switch event {
      case .commandStarted: running += 1
      case .commandFinished: running -= 1
      default: continue
      }
      most = max(most, running)
    }
    #expect(most <= 3, "at most \(most) commands ran at once")
    #expect(most >= 2, "branches ran in parallel")
    // 8 hosts, 3 at a time, 0.3 s each: three waves.
    #expect(elapsed >= .milliseconds(900))
    print("8 hosts, limit 3: at most \(most) at once, \(elapsed)")
  }

  @Test func aConnectionCutMidCommandFailsOnlyThatHost() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let outcome = try await blocking {
      try Self.run(
        """
        on "nodes" parallel {
          if current_host().name == "n2" { `kill -9 $PPID; sleep 5` } else { `echo fine` }
        }
        """, on: server, hosts: 3, sink: sink)
    }
    let error = try #require(outcome.runtimeError)
    #expect(error.message.hasPrefix("failed on 1 of 3 hosts"), "\(error.message)")
    #expect(error.message.contains("n2: lost the connection to n2"), "\(error.message)")
    let fine = sink.outputLines.filter { $0.0 == "fine" }.count
    #expect(fine == 2)
  }

  @Test func unreachableHostsStopOnBeforeAnythingRuns() async throws {
    let server = try SSHServerFixture.require()
    let sink = RecordingSink()
    let outcome = try await blocking {
      let executor = server.executor()
      defer { executor.close() }
      var down = server.host("down")
      down.port = 1
      down.groups = ["nodes"]
      var up = server.host("up")
      up.groups = ["nodes"]
      return Driver(sink: sink, executor: executor).run(
        source: #"on "nodes" { `echo ran` }"#, name: "play.hf",
        options: RunOptions(environment: [:], inventory: Inventory(hosts: [up, down])))
    }
    let error = try #require(outcome.runtimeError)
    #expect(error.message.contains("connection refused"), "\(error.message)")
    #expect(error.host == "down")
    #expect(sink.outputLines.isEmpty, "nothing ran on the reachable host")
  }
}
