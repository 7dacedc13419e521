import Interpreter
import TestSupport
import Testing

import struct Interpreter.Host

@testable import Stdlib

@Suite struct CommandTests {
  let h = Harness()

  func command(_ value: Value) -> CommandValue? {
    if case .command(let c) = value { return c }
    return nil
  }

  @Test func commandQuotesEachWord() throws {
    let c = command(try h.call("command", .s("echo"), .s("a b"), .int(3), .s("it's")))
    #expect(c?.shellText == "echo 'a b' 3 'it'\\''s'")
  }

  @Test func commandExpandsListsAndSplicesCommands() throws {
    let inner = command(try h.call("raw", .s("| wc -l")))
    let c = command(
      try h.call(
        "command", .s("ls"), .strings("-l", "a b"), .ints(), .command(inner ?? CommandValue([]))))
    #expect(c?.shellText == "ls -l 'a b' | wc -l")
  }

  @Test func commandKeepsSecretsRedacted() throws {
    let c = command(try h.call("command", .s("login"), .secret(Secret("p w", label: "pw"))))
    #expect(c?.shellText == "login 'p w'")
    #expect(c?.displayText == "login <secret pw>")
    #expect(c?.secrets == [Secret("p w", label: "pw")])
  }

  @Test func commandUsesHostAddresses() throws {
    let c = command(
      try h.call("command", .s("ping"), .host(Host(name: "cp1", address: "10.0.0.1"))))
    #expect(c?.shellText == "ping 10.0.0.1")
  }

  @Test func commandErrors() {
    #expect(
      h.error("command", .s("x"), .map([:]))
        == "bad argument #2 to 'command' (cannot put a value of type map into a command)")
    #expect(
      h.error("command", .list([.nil]))
        == "bad argument #1 to 'command' (cannot put a value of type nil into a command)")
  }

  @Test func rawIsUnquoted() throws {
    #expect(
      command(try h.call("raw", .s("echo $HOME | tr a b")))?.shellText == "echo $HOME | tr a b")
    let secret = command(try h.call("raw", .secret(Secret("x=1", label: "s"))))
    #expect(secret?.shellText == "x=1" && secret?.displayText == "<secret s>")
    #expect(h.error("raw", .int(1)) == "bad argument #1 to 'raw' (string expected, got int)")
  }

  @Test func runNeedsAHost() {
    let error = h.runtimeError("run", .raw("true"))
    #expect(error?.message == "run() has no host to run on: true")
    #expect(error?.hint == "call it inside 'on HOSTS { … }', or pass locally: true to run it here")
  }

  @Test func runPassesOptions() throws {
    let fake = FakeExecutor(stdout: "ok\n")
    var h = Harness()
    h.executor = fake
    h.currentHost = Host(name: "cp1")
    let result = try h.call(
      "run", .raw("systemctl restart kubelet"),
      named: [
        ("sudo", .bool(true)), ("env", .map(["A": .s("1"), "N": .int(2)])), ("cwd", .s("/tmp")),
        ("stdin", .s("input")), ("timeout", .seconds(30)),
      ])
    guard case .result(let r) = result, let request = fake.requests.first else {
      Issue.record("no result")
      return
    }
    #expect(r.stdout == "ok\n" && r.host == "cp1")
    #expect(request.host?.name == "cp1")
    #expect(request.sudo && request.directory == "/tmp" && request.stdin == "input")
    #expect(request.environment == ["A": "1", "N": "2"])
    #expect(request.timeout == 30_000_000_000)
    #expect(request.command.shellText == "systemctl restart kubelet")
  }

  @Test func runLocally() throws {
    let fake = FakeExecutor()
    var h = Harness()
    h.executor = fake
    h.currentHost = Host(name: "cp1")
    _ = try h.call("run", .raw("true"), named: [("locally", .bool(true))])
    #expect(fake.requests.first?.host == nil)
  }

  @Test func runChecksTheExitStatus() throws {
    var h = Harness()
    h.executor = FakeExecutor(exitStatus: 3, stderr: "boom\n")
    h.currentHost = Host(name: "cp1")
    let error = h.runtimeError("run", .raw("false"))
    #expect(error?.kind == .command)
    #expect(error?.message == "command failed with exit status 3: false\nboom")
    guard case .result(let r) = try h.call("run", .raw("false"), named: [("check", .bool(false))])
    else {
      Issue.record("no result")
      return
    }
    #expect(r.exitStatus == 3)
  }

  @Test func runRedactsSecretEnvironmentAndStdin() throws {
    var h = Harness()
    h.executor = FakeExecutor(stdout: "token is T0K3N and pw is PW\n", stderr: "PW\n")
    h.currentHost = Host(name: "cp1")
    let value = try h.call(
      "run", .raw("cat"),
      named: [
        ("env", .map(["TOKEN": .secret(Secret("T0K3N", label: "token"))])),
        ("stdin", .secret(Secret("PW"))), ("check", .bool(false)),
      ])
    guard case .result(let r) = value else {
      Issue.record("no result")
      return
    }
    #expect(r.stdout == "token is <secret token> and pw is <secret>\n")
    #expect(r.stderr == "<secret>\n")
    #expect(h.sink.outputLines.map(\.0) == ["token is <secret token> and pw is <secret>"])
  }

  @Test func runArgumentErrors() {
    var h = Harness()
    h.currentHost = Host(name: "cp1")
    #expect(
      h.error("run", .int(1)) == "bad argument #1 to 'run' (command expected, got int)")
    #expect(
      h.error("run", .raw("x"), named: [("env", .map(["A-B": .s("1")]))])
        == "bad argument #3 to 'run' (invalid environment variable name \"A-B\")")
    #expect(
      h.error("run", .raw("x"), named: [("env", .map(["A": .ints()]))])
        == "bad argument #3 to 'run' (environment value \"A\" is a list)")
    #expect(
      h.error("run", .raw("x"), named: [("timeout", .int(5))])
        == "bad argument #6 to 'run' (duration expected, got int)")
    #expect(
      h.error("run", .raw("x"), named: [("timeout", .seconds(0))])
        == "bad argument #6 to 'run' (timeout must be positive)")
    #expect(
      h.error("run", .raw("x"), named: [("sudo", .s("yes"))])
        == "bad argument #2 to 'run' (bool expected, got string)")
  }
}

/// `run` takes command values only: a string or a secret would run as raw shell.
@Suite struct RunRefusesStringsTests {
  @Test func aStringOrASecretIsRefusedWithTheWayOut() {
    let h = Harness()
    for value in [Value.s("ls /tmp"), .secret(Secret("ls"))] {
      let error = h.runtimeError("run", value, named: [("locally", .bool(true))])
      #expect(
        error?.message
          == "bad argument #1 to 'run' (command expected, got \(value.typeName): a \(value.typeName) would run as raw shell)"
      )
      #expect(error?.hint?.contains("raw(…) if raw shell is meant") == true)
    }
  }
}
