import Interpreter
import Lexer
import Testing

import struct Interpreter.Host

@testable import Stdlib

@Suite struct TableTests {
  @Test func namesAreUniqueAndHelpIsOneLine() {
    var seen = Set<String>()
    for builtin in Stdlib.table.entries {
      #expect(seen.insert(builtin.name).inserted, "duplicate \(builtin.name)")
      #expect(!builtin.help.isEmpty && !builtin.help.contains("\n"), "\(builtin.name)")
      #expect(builtin.help.hasSuffix("."), "\(builtin.name) help should end with a period")
      let names = builtin.parameters.map(\.name)
      #expect(Set(names).count == names.count, "\(builtin.name) repeats a parameter")
    }
  }

  @Test func modulesAreDeclared() {
    #expect(Stdlib.table.modules.map(\.name) == ["json", "yaml", "kubeadm"])
    #expect(Stdlib.table.members(of: "json").map(\.shortName) == ["encode", "decode"])
    #expect(Stdlib.table.isGlobal("yaml") && Stdlib.table.isGlobal("print"))
  }

  @Test func variadicParametersComeLast() {
    for builtin in Stdlib.table.entries {
      for parameter in builtin.parameters.dropLast() {
        #expect(parameter.kind != .variadic, "\(builtin.name)")
      }
    }
  }

  @Test func expectedParameterNames() {
    #expect(Stdlib.table.lookup("len")?.signature == "len(value)")
    #expect(
      Stdlib.table.lookup("run")?.signature
        == "run(cmd, sudo = false, env = {}, cwd = nil, stdin = nil, timeout = nil, check = true, locally = false, sudo_password = nil)"
    )
    #expect(Stdlib.table.lookup("print")?.signature == "print(values…)")
  }

  /// Every built-in survives every combination of odd arguments without trapping: each call
  /// returns a value or throws a `RuntimeError` (never another error). What each accepts is
  /// counted, and the counts must say that the calls reached the bodies: a built-in whose
  /// first parameter is required turns away the call that leaves it out, `type`, `str` and
  /// `repr` take every value, and the built-ins with no parameters answer every call.
  @Test func noBuiltinTrapsOnOddArguments() {
    let odd: [Value?] = [
      nil, .nil, .int(Int.min), .int(-1), .float(.nan), .float(-.infinity), .s(""), .s("{"),
      .duration(Int64.min), .list([]), .list([.nil, .int(1)]), .map([:]), .secret(Secret("")),
      .command(CommandValue([])), .host(Host(name: "x")), .fn("len"),
    ]
    let harness = Harness()
    // For each built-in, one entry per odd value: accepted (true) or rejected (false).
    var outcomes: [String: [Bool]] = [:]
    for builtin in Stdlib.table.entries
    where !["sleep", "print", "log", "warn"].contains(builtin.name) {
      for value in odd {
        let slots = builtin.parameters.map { parameter -> Value? in
          parameter.kind == .variadic ? .list(value.map { [$0] } ?? []) : value
        }
        var call = BuiltinCall(
          arguments: slots, builtin: builtin, span: .unknown, context: harness.context)
        let described = "\(builtin.name)(\(value.map { "\($0)" } ?? "nothing"))"
        do {
          _ = try builtin.body(&call)
          outcomes[builtin.name, default: []].append(true)
        } catch let error as RuntimeError {
          outcomes[builtin.name, default: []].append(false)
          if !["fail", "assert"].contains(builtin.name) {
            #expect(error.kind == .error && !error.message.isEmpty, "\(described): \(error)")
          }
        } catch {
          Issue.record("\(described) threw \(type(of: error)), not a RuntimeError: \(error)")
        }
      }
    }
    for builtin in Stdlib.table.entries {
      guard let results = outcomes[builtin.name] else { continue }
      #expect(results.count == odd.count, "\(builtin.name): \(results)")
      if builtin.parameters.first?.kind == .required {
        #expect(
          results.first == false, "\(builtin.name) accepted a call without its first argument")
      }
      if builtin.parameters.isEmpty {
        #expect(results.allSatisfy { $0 }, "\(builtin.name): \(results)")
      }
    }
    for name in ["type", "str", "repr"] {
      #expect(
        outcomes[name]?.dropFirst().allSatisfy { $0 } == true, "\(name): \(outcomes[name] ?? [])")
    }
    #expect(outcomes.count == Stdlib.table.entries.count - 4)
  }
}
