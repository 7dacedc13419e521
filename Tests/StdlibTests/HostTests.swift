import Interpreter
import Testing

import struct Interpreter.Host

@testable import Stdlib

@Suite struct HostTests {
  var h: Harness {
    var h = Harness()
    h.inventory = Inventory(hosts: [
      Host(name: "cp1", address: "10.0.0.1", groups: ["control_plane"]),
      Host(name: "cp2", groups: ["control_plane"]),
      Host(name: "w1", groups: ["workers"]),
    ])
    return h
  }

  @Test func hostLookup() throws {
    guard case .host(let host) = try h.call("host", .s("cp1")) else {
      Issue.record("not a host")
      return
    }
    #expect(host.address == "10.0.0.1")
    #expect(try h.call("host", .host(host)) == .host(host))
  }

  @Test func unknownHostSuggests() {
    let error = h.runtimeError("host", .s("cp3"))
    #expect(error?.message == "unknown host 'cp3'")
    #expect(error?.hint == "did you mean 'cp1'?")
    #expect(Harness().runtimeError("host", .s("x"))?.hint == "the inventory has no hosts")
    #expect(h.error("host", .int(1)) == "bad argument #1 to 'host' (host expected, got int)")
  }

  @Test func groups() throws {
    #expect(
      try h.call("group", .s("control_plane"))
        == .list([.host(Host(name: "cp1")), .host(Host(name: "cp2"))]))
    let error = h.runtimeError("group", .s("worker"))
    #expect(error?.message == "unknown group 'worker'")
    #expect(error?.hint == "did you mean 'workers'?")
    #expect(h.runtimeError("group", .s("zzzzzzz"))?.hint == "groups: control_plane, workers")
  }

  @Test func allHosts() throws {
    guard case .list(let all) = try h.call("hosts") else {
      Issue.record("not a list")
      return
    }
    #expect(all.count == 3)
    #expect(try Harness().call("hosts") == .list([]))
  }
}
