import Foundation
import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Session

/// `on "PATTERN"` chooses hosts with the pattern language `exec` uses (`HostSelector`, whose
/// own tests cover the language), and `hosts()` is the inventory without the implicit
/// `localhost`: playbooks run on `local` hosts here, for real.
@Suite struct OnHostPatternTests {
  static let inventory = Inventory(
    hosts: (1...3).map { Host(name: "node\($0)", connection: .local, groups: ["workers"]) }
      + [Host(name: "lb", connection: .local, groups: ["lbs"])])

  func run(_ source: String) async throws -> (RunOutcome, [String]) {
    try await blocking {
      let sink = RecordingSink()
      let outcome = Driver(sink: sink).run(
        source: source, name: "on.hf", options: RunOptions(inventory: Self.inventory))
      return (outcome, sink.printed)
    }
  }

  @Test func onTakesAnsiblePatterns() async throws {
    let (outcome, printed) = try await run(
      """
      print(keys(on "workers,!node3" { `true` }))
      print(keys(on "workers:&workers[1:]" { `true` }))
      print(keys(on "node*,lb" { `true` }))
      print(keys(on "~node[13]" { `true` }))
      print(on "workers[-1]" { return current_host().name })
      print(on "node2" { return "one host, no map" })

      """)
    #expect(outcome.runtimeError == nil, "\(outcome.runtimeError?.message ?? "")")
    #expect(
      printed == [
        #"["node1", "node2"]"#, #"["node2", "node3"]"#, #"["node1", "node2", "node3", "lb"]"#,
        #"["node1", "node3"]"#, #"{"node3": "node3"}"#, "one host, no map",
      ])
  }

  @Test func anUnknownNameInAPatternIsAnErrorWithASuggestion() async throws {
    let (outcome, printed) = try await run("on \"workers,!nod3\" { print(\"ran\") }\n")
    #expect(printed.isEmpty)
    let error = try #require(outcome.runtimeError)
    #expect(error.message == "unknown host or group 'nod3' (in '!nod3')")
    #expect(error.hint == "did you mean 'node3'?")
    #expect(outcome.sources.location(of: error.span) == "on.hf:1:1")
  }

  @Test func hostsIsTheInventoryWithoutTheImplicitLocalhost() async throws {
    let (outcome, printed) = try await run(
      """
      print(hosts())
      print(len(hosts()), host("localhost").name, keys(on "all" { `true` }))

      """)
    #expect(outcome.runtimeError == nil, "\(outcome.runtimeError?.message ?? "")")
    #expect(
      printed == [
        "[<host node1>, <host node2>, <host node3>, <host lb>]",
        #"4 localhost ["node1", "node2", "node3", "lb"]"#,
      ])
  }
}
