import Interpreter
import Testing

import struct Interpreter.Host

@testable import Stdlib

/// `Stdlib.facts` — what `haflow check` knows of the built-ins — agrees with what their bodies
/// do at run time: a fact the bodies do not bear out would make `check` refuse good playbooks.
@Suite struct FactsTests {
  /// Arguments that get each built-in past its other parameters, so the one under test is
  /// what fails.
  static let samples: [String: [Value]] = [
    "run": [.command(CommandValue([.raw("true")]))],
    "read_file": [.s("/etc/hostname")],
    "write_file": [.s("/tmp/haflow-facts-never-written"), .s("x")],
    "upload": [.s("/etc/hostname"), .s("/tmp/haflow-facts-never-written")],
    "download": [.s("/etc/hostname"), .s("/tmp/haflow-facts-never-written")],
    "copy": [.s("localhost"), .s("/etc/hostname"), .s("localhost"), .s("/tmp/haflow-facts-x")],
    "scp": [.s("localhost:/etc/hostname"), .s("localhost:/tmp/haflow-facts-never-written")],
    "probe": [.s("127.0.0.1:9")],
    "wait_for_port": [.s("127.0.0.1:9")],
    "sleep": [],
    "seconds": [],
    "milliseconds": [],
    "wait_until": [.fn("now")],
    "retry": [.fn("now")],
    "kubeadm.parse_init": [.s("x")],
    "kubeadm.parse_join_command": [.s("x")],
    "kubeadm.refresh_if_expired": [.map([:]), .s("localhost")],
  ]

  /// A built-in said to need the enclosing `on`'s host fails without one.
  @Test(arguments: Stdlib.facts.hostBound.keys.sorted())
  func hostBoundBuiltinsFailOutsideOn(name: String) throws {
    let arguments = try #require(Self.samples[name], "no sample arguments for \(name)")
    let message = Harness().error(name, arguments)
    #expect(message?.contains("no host") == true, "\(name): \(message ?? "no error")")
  }

  /// Every parameter said to take a duration refuses an int; every mode refuses an int.
  @Test func parameterKindsAreWhatTheBodiesAccept() throws {
    var harness = Harness()
    let local = Host(name: "localhost", connection: .local)
    harness.inventory = Inventory(hosts: [local])
    harness.currentHost = local
    for builtin in Stdlib.table.entries {
      for parameter in builtin.parameters {
        guard let kind = parameter.expects, kind == .duration || kind == .octalMode else {
          continue
        }
        let arguments = try #require(Self.samples[builtin.name], "no sample for \(builtin.name)")
        let message =
          harness.error(builtin.name, arguments, named: [(parameter.name, .int(2))]) ?? "no error"
        let expected = kind == .duration ? "duration expected, got int" : "octal string"
        #expect(message.contains(expected), "\(builtin.name)(\(parameter.name): 2): \(message)")
      }
    }
  }
}

extension Harness {
  /// `error(name, args…)` with the positional arguments as an array.
  func error(_ name: String, _ positional: [Value], named: [(String, Value)] = []) -> String? {
    guard let builtin = Stdlib.table.lookup(name) else { return "no built-in \(name)" }
    do {
      _ = try Harness.invoke(builtin, positional, named: named, context: context)
      return nil
    } catch let error as RuntimeError {
      return error.message
    } catch {
      return "unexpected error \(error)"
    }
  }
}
