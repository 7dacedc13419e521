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
    #expect(Stdlib.table.modules.map(\.name) == ["json", "yaml"])
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

  /// Every built-in survives every combination of odd arguments without trapping.
  @Test func noBuiltinTrapsOnOddArguments() {
    let odd: [Value?] = [
      nil, .nil, .int(Int.min), .int(-1), .float(.nan), .float(-.infinity), .s(""), .s("{"),
      .duration(Int64.min), .list([]), .list([.nil, .int(1)]), .map([:]), .secret(Secret("")),
      .command(CommandValue([])), .host(Host(name: "x")), .fn("len"),
    ]
    let harness = Harness()
    for builtin in Stdlib.table.entries
    where !["sleep", "print", "log", "warn"].contains(builtin.name) {
      for value in odd {
        let slots = builtin.parameters.map { parameter -> Value? in
          parameter.kind == .variadic ? .list(value.map { [$0] } ?? []) : value
        }
        var call = BuiltinCall(
          arguments: slots, builtin: builtin, span: .unknown, context: harness.context)
        _ = try? builtin.body(&call)
      }
    }
  }
}
