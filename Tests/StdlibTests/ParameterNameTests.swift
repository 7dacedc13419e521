import Interpreter
import Testing

@testable import Stdlib

/// Built-in bodies read their arguments through handles resolved from parameter names when the
/// table is built, so a misspelled or renamed parameter stops the table build, naming the
/// built-in and the name, before anything is called.
@Suite struct ParameterNameTests {
  /// A family with one built-in whose body asks for `chek` where the parameter is `check`.
  static func misspelled(resolved: inout Bool) -> BuiltinFamily {
    BuiltinFamily(
      title: "Broken", help: "A body that misspells a parameter.",
      builtins: [
        Builtin(
          "demo", [.req("cmd"), .opt("check", "true")], help: "Misspells check.",
          resolve: { param in
            resolved = true
            let (cmd, check) = (param["cmd"], param["chek"])
            return { call in
              Issue.record("the body of a built-in that failed to build ran")
              return .bool(try call.optionalBool(check, default: true) && call[cmd] != nil)
            }
          })
      ])
  }

  @Test func aMisspelledParameterStopsTheTableBuild() throws {
    var resolved = false
    let family = Self.misspelled(resolved: &resolved)
    // The names were looked up when the built-in was made, not when it is called.
    #expect(resolved)
    let error = #expect(throws: BuiltinTableError.self) { try Stdlib.makeTable([family]) }
    #expect(
      error?.problems == [
        "built-in 'demo' has no parameter named 'chek' (did you mean 'check'?)",
        "built-in 'demo' never reads its parameter 'check'",
      ])
    // An entry added to a table by hand still never runs a body that reads the wrong slot.
    let builtin = try #require(family.builtins.first)
    #expect(throws: RuntimeError.self) {
      try Harness.invoke(builtin, [.s("x")], named: [], context: Harness().context)
    }
  }

  @Test func aRenamedParameterStopsTheTableBuild() {
    // The parameter list says `command`; the body still asks for the old name `cmd`.
    let family = BuiltinFamily(
      title: "Renamed", help: "A parameter renamed in the list only.",
      builtins: [
        Builtin(
          "renamed", [.req("command")], help: "Reads a stale name.",
          resolve: { param in
            let cmd = param["cmd"]
            return { call in try call.value(cmd) }
          })
      ])
    let error = #expect(throws: BuiltinTableError.self) { try Stdlib.makeTable([family]) }
    #expect(
      error?.problems == [
        "built-in 'renamed' has no parameter named 'cmd' (its parameters: command)",
        "built-in 'renamed' never reads its parameter 'command'",
      ])
  }

  @Test func aBodyThatCannotReadItsParametersStopsTheTableBuild() {
    let family = BuiltinFamily(
      title: "Unread", help: "A body without handles.",
      builtins: [Builtin("unread", [.req("x")], help: "Reads nothing.") { _ in .nil }])
    let error = #expect(throws: BuiltinTableError.self) { try Stdlib.makeTable([family]) }
    #expect(error?.problems == ["built-in 'unread' never reads its parameter 'x'"])
  }

  @Test func theStandardTableBuilds() throws {
    let table = try Stdlib.makeTable(Stdlib.families)
    let builtins = Stdlib.families.flatMap(\.builtins)
    #expect(table.entries.count == builtins.count)
    for builtin in builtins {
      #expect(builtin.definitionProblems.isEmpty, "\(builtin.name)")
    }
    #expect(Stdlib.table.entries.map(\.name) == table.entries.map(\.name))
  }

  @Test func handlesKeepTheArgumentNumbersOfMessages() {
    let harness = Harness()
    #expect(
      harness.error("run", .raw("true"), .int(1), named: [("locally", .bool(true))])
        == "bad argument #2 to 'run' (bool expected, got int)")
    #expect(
      harness.error("run", .raw("true"), named: [("check", .int(1)), ("locally", .bool(true))])
        == "bad argument #7 to 'run' (bool expected, got int)")
    #expect(
      harness.error("command", .s("a"), .s("b"), .map([:]))
        == "bad argument #3 to 'command' (cannot put a value of type map into a command)")
    #expect(
      harness.error("split", .s("a b"), named: [("limit", .int(0))])
        == "bad argument #3 to 'split' (limit must be at least 1, got 0)")
  }
}
