import Foundation
import Testing

/// `haflow repl` on a real pseudo-terminal: editing keys, history across sessions, completion,
/// multi-line input, errors, Ctrl-C and Ctrl-D.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReplTerminalTests {
  @Test func typingAndEditing() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      // "1 + 1", Backspace, "41", then brackets added at both ends with Ctrl-A / Ctrl-E.
      try pty.send("1 + 1" + ReplPTY.Key.backspace + "41")
      try pty.send(ReplPTY.Key.ctrlA + "(" + ReplPTY.Key.ctrlE + ")")
      try pty.send(ReplPTY.Key.left + " * 1" + ReplPTY.Key.enter)
      try pty.expect("42 : int")
      try pty.line("let greeting = \"hi\" + \" there\"")
      try pty.line("greeting")
      try pty.expect("\"hi there\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }

  @Test func historyIsRecalledInTheNextSession() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    let history = directory.appendingPathComponent("history").path
    try await offThePool {
      let first = try ReplPTY(["repl"], in: directory)
      try first.expect("haflow> ")
      try first.line("\"from the \" + \"first session\"")
      try first.expect("\"from the first session\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try first.expect("haflow> ")
      try first.send(ReplPTY.Key.ctrlD)
      #expect(first.waitForExit() == 0)
    }
    let attributes = try FileManager.default.attributesOfItem(atPath: history)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    try await offThePool {
      let second = try ReplPTY(["repl"], in: directory)
      try second.expect("haflow> ")
      try second.send(ReplPTY.Key.up + ReplPTY.Key.enter)
      try second.expect("\"from the first session\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try second.expect("haflow> ")
      try second.send(ReplPTY.Key.ctrlD)
      #expect(second.waitForExit() == 0)
    }
  }

  /// A line holding a secret literal is kept in the history redacted: the literal, and any
  /// secret the session knows by then, never reach the file.
  @Test func secretsTypedAtThePromptStayOutOfTheHistory() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    let history = directory.appendingPathComponent("history").path
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.line("let pw = secret(\"hunter2\", label: \"pw\")")
      try pty.expect("haflow> ")
      try pty.line("reveal(pw) == \"hunter2\"")
      try pty.expect("true : bool")
      try pty.line("let other = secret(")
      try pty.line("  \"swordfish\")")
      try pty.expect("haflow> ")
      try pty.line("\"kept\" + \" in history\"")
      try pty.expect("\"kept in history\" : string")
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
    let saved = try String(contentsOfFile: history, encoding: .utf8)
    #expect(!saved.contains("hunter2"), "\(saved)")
    #expect(!saved.contains("swordfish"), "\(saved)")
    #expect(saved.components(separatedBy: "<redacted>").count == 3, "\(saved)")
    #expect(saved.contains("<secret"), "\(saved)")
    #expect(saved.contains("kept"))
  }

  @Test func tabCompletesNamesMembersAndCommands() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.line("let zebra_count = 7")
      try pty.expect("haflow> ")
      try pty.send("zebra_c" + ReplPTY.Key.tab + " + 1" + ReplPTY.Key.enter)
      try pty.expect("8 : int")
      try pty.send("json.dec" + ReplPTY.Key.tab + "(\"[1, 2]\")" + ReplPTY.Key.enter)
      try pty.expect("[1, 2] : list")
      // Two candidates: Tab lists them.
      try pty.send("json." + ReplPTY.Key.tab)
      try pty.expect("json.decode  json.encode")
      try pty.send(ReplPTY.Key.ctrlC)
      try pty.send(":hel" + ReplPTY.Key.tab + " len" + ReplPTY.Key.enter)
      try pty.expect("len(value)")
      // Inside a string, a host name completes with the closing quote.
      try pty.expect("haflow> ")
      try pty.send(
        "on \"localh" + ReplPTY.Key.tab + " { \"tab-\" + \"closed\" }" + ReplPTY.Key.enter)
      try pty.expect("\"tab-closed\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }

  @Test func multiLineInputAndAnErrorThenACorrectInput() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.line("fn twice(x) {")
      try pty.expect("...> ")
      try pty.line("  return x * 2")
      try pty.expect("...> ")
      try pty.line("}")
      try pty.expect("haflow> ")
      try pty.line("[twice(1),")
      try pty.expect("...> ")
      try pty.line(" twice(2)]")
      try pty.expect("[2, 4] : list")
      try pty.line("twice(undefined_thing)")
      try pty.expect("error: undefined name 'undefined_thing'")
      try pty.expect("^~~~")
      try pty.line("twice(21)")
      try pty.expect("42 : int")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }

  @Test func ctrlCStopsARunningCommandWithinASecond() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.line("on \"localhost\" { `sleep 30` }")
      try pty.expect("$ sleep 30")
      Thread.sleep(forTimeInterval: 0.5)
      try pty.interrupt()
      let waited = try pty.expect("haflow> ", timeout: 5)
      #expect(waited < 1, "the prompt came back \(waited)s after Ctrl-C")
      try pty.line("\"still here\"")
      try pty.expect("\"still here\" : string")
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }

  @Test func ctrlCAtThePromptDropsTheLineAndCtrlDLeaves() async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.send("this is not haflow" + ReplPTY.Key.ctrlC)
      try pty.expect("^C")
      try pty.expect("haflow> ")
      try pty.line("1 + 2")
      try pty.expect("3 : int")
      #expect(!pty.screen.contains("error"))
      // Ctrl-D at the prompt: typed earlier, the terminal would take it as its own EOF.
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }
}

/// Ctrl-C during evaluation that runs no command: `sleep`, `wait_for_port`, a loop. The
/// prompt comes back within a second with `interrupted`, and the session keeps its variables.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ReplInterruptTests {
  static let inputs = [
    "sleep(30s)",
    "wait_for_port(\"127.0.0.72\", 9, timeout: 10m, every: 5s)",
    "while true {}",
    "fn spin(n) { while true {} }\nspin(1)",
  ]

  @Test(arguments: inputs) func ctrlCStopsEvaluationWithinASecond(_ input: String) async throws {
    let directory = try ReplFiles.makeDirectory()
    defer { ReplFiles.remove(directory) }
    try await offThePool {
      let pty = try ReplPTY(["repl"], in: directory)
      try pty.expect("haflow> ")
      try pty.line("let kept = 40 + 2")
      try pty.expect("haflow> ")
      try pty.line("kept")
      try pty.expect("42 : int")
      try pty.expect("haflow> ")
      for line in input.split(separator: "\n") { try pty.line(String(line)) }
      Thread.sleep(forTimeInterval: 0.7)
      #expect(!pty.screen.contains("interrupted"), "stopped before Ctrl-C: \(pty.screen)")
      try pty.interrupt()
      let waited = try pty.expect("interrupted", timeout: 5)
      #expect(waited < 1, "interrupted came \(waited)s after Ctrl-C")
      try pty.expect("haflow> ", timeout: 5)
      try pty.line("kept + 1 + 1")
      try pty.expect("44 : int")
      try pty.expect("haflow> ")
      try pty.send(ReplPTY.Key.ctrlD)
      #expect(pty.waitForExit() == 0)
    }
  }
}
