import Interpreter
import Stdlib
import Testing

@testable import Session

/// Tab completion and the "is this input finished?" rule of the REPL and the debugger.
@Suite struct SessionCompletionTests {
  let completer = Completer(
    table: Stdlib.table, variables: ["zebra", "zone"], hosts: ["cp1", "cp2", "worker1"],
    groups: ["control_plane", "workers"], commands: [":help", ":hosts", ":next", ":on"],
    stepNames: ["init first control plane", "join workers"])

  @Test func keywordsBuiltinsAndVariables() {
    #expect(completer.complete("ze").candidates == ["zebra"])
    #expect(completer.complete("let x = zo").candidates == ["zone"])
    #expect(completer.complete("para").candidates == ["parallel", "param"])
    #expect(completer.complete("print(le").candidates.contains("len"))
    #expect(completer.complete("js") == Completion(replacing: 2, candidates: ["json"]))
  }

  @Test func moduleMembersComeFromTheTable() {
    let members = Stdlib.table.members(of: "json").map(\.name)
    #expect(completer.complete("json.").candidates == members.sorted())
    let yaml = completer.complete("x = yaml.dec")
    #expect(yaml.replacing == 8 && yaml.candidates.contains("yaml.decode"))
    #expect(yaml.candidates.allSatisfy { $0.hasPrefix("yaml.dec") })
    for module in Stdlib.table.modules {
      #expect(!completer.complete(module.name + ".").candidates.isEmpty, "\(module.name)")
    }
    #expect(completer.complete("zebra.").candidates.isEmpty)
  }

  @Test func hostsAndGroupsInsideAStringCloseIt() {
    #expect(completer.complete("on \"cp").candidates == ["cp1\"", "cp2\""])
    #expect(completer.complete("on \"cp").commonPrefix == "cp")
    #expect(completer.complete("on \"con").candidates == ["control_plane\""])
    #expect(completer.complete("on \"wo").candidates == ["worker1\"", "workers\""])
    #expect(completer.complete("on \"wo").replacing == 2)
    #expect(completer.complete("\"cp1\" + cp").candidates.isEmpty)
    // The last term of a host pattern.
    #expect(completer.complete("on \"workers,!cp").candidates == ["cp1\"", "cp2\""])
    #expect(completer.complete("on \"workers,!cp").replacing == 2)
    #expect(completer.complete("on \"control_plane:&wor").candidates == ["worker1\"", "workers\""])
    #expect(completer.complete("on \"cp1,").candidates.count == 5)
  }

  @Test func colonCommandsAndTheirArguments() {
    #expect(completer.complete(":h").candidates == [":help", ":hosts"])
    #expect(completer.complete(":on w").candidates == ["worker1"])
    #expect(completer.complete(":break \"jo").candidates == ["\"join workers\""])
    #expect(completer.complete(":help json.en").candidates == ["json.encode"])
  }

  @Test func commonPrefix() {
    #expect(Completion(replacing: 1, candidates: ["cp1", "cp2"]).commonPrefix == "cp")
    #expect(Completion(replacing: 1, candidates: []).commonPrefix == "")
  }

  @Test(arguments: [
    "1 + 2", "let x = [1, 2]", "f(x) { y }", "\"unterminated", "", "# only a comment",
    "on \"cp1\" { `uptime` }", "xs[1...]", "let s = \"a ${ {\"k\": 1}[\"k\"] } b\"",
  ])
  func completeInputs(_ text: String) {
    #expect(InputCompleteness.isComplete(text))
  }

  @Test(arguments: [
    "[1,", "f(", "fn f(x) {", "if x {\n  1", "1 +", "let x =", "a and", "x ??",
    "`echo one", "let s = \"\"\"\n  text", "m = {\n  a: 1,", "step \"s\" on cps {",
  ])
  func unfinishedInputs(_ text: String) {
    #expect(!InputCompleteness.isComplete(text))
  }
}
