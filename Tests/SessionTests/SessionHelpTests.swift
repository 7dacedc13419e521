import Interpreter
import Stdlib
import Testing

@testable import Session

/// `:help` is generated from the built-in table and the command lists.
@Suite struct SessionHelpTests {
  @Test func overviewListsCommandsEveryBuiltinAndModule() {
    let text = SessionHelp.overview(SessionHelp.debugCommands, table: Stdlib.table)
    for command in SessionHelp.debugCommands { #expect(text.contains(command.usage)) }
    for builtin in Stdlib.table.entries where !builtin.name.contains(".") {
      #expect(text.contains(builtin.name), "\(builtin.name)")
    }
    for module in Stdlib.table.modules { #expect(text.contains(module.name)) }
  }

  @Test func topicsForBuiltinsModulesAndCommands() throws {
    let len = try #require(Stdlib.table.lookup("len"))
    #expect(
      SessionHelp.topic("len", commands: SessionHelp.replCommands, table: Stdlib.table)
        == "\(len.signature)\n  \(len.help)\n")
    let json = try #require(
      SessionHelp.topic("json", commands: SessionHelp.replCommands, table: Stdlib.table))
    #expect(json.contains("json.decode(") && json.contains("json.encode("))
    let retry = SessionHelp.topic(
      ":retry", commands: SessionHelp.debugCommands, table: Stdlib.table)
    #expect(retry?.contains("run the failed step again") == true)
    #expect(SessionHelp.topic("nope", commands: [], table: Stdlib.table) == nil)
  }
}
