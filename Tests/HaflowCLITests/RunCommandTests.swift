import Foundation
import Testing

/// `haflow run`: output streams, params and exit codes.
@Suite struct RunCommandTests {
  @Test func okRunPrintsToStandardOutput() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "let who = \"world\"\nprint(\"hello, ${who}\")\n")
    let result = try ws.haflow("run", "ok.hf")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "hello, world\n")
  }

  @Test func syntaxErrorExits65WithLocation() throws {
    let ws = try Workspace()
    try ws.write("bad.hf", "print(1)\nlet = 2\n")
    let result = try ws.haflow("run", "bad.hf")
    #expect(result.status == 65)
    #expect(result.stderr.contains("bad.hf:2:"))
    #expect(result.stderr.contains(": error: "))
    #expect(result.stdout.isEmpty, "nothing runs when the file does not check")
  }

  @Test func checkErrorExits65() throws {
    let ws = try Workspace()
    try ws.write("undefined.hf", "print(1)\nprint(hollo)\n")
    let result = try ws.haflow("run", "undefined.hf")
    #expect(result.status == 65)
    #expect(result.stderr.contains("undefined.hf:2:7: error: undefined name 'hollo'"))
    #expect(result.stderr.hasSuffix("haflow: 1 error; nothing ran\n"))
    #expect(result.stdout.isEmpty)
  }

  @Test func runtimeFailureExits1WithLocationAndStack() throws {
    let ws = try Workspace()
    try ws.write(
      "fails.hf",
      """
      print("before")
      fn check(ok) {
        if not ok { fail("the load balancer is not reachable") }
      }
      check(false)
      print("after")

      """)
    let result = try ws.haflow("run", "fails.hf")
    #expect(result.status == 1)
    #expect(result.stdout == "before\n")
    #expect(result.stderr.contains("fails.hf:3:"))
    #expect(result.stderr.contains("error: the load balancer is not reachable"))
    #expect(result.stderr.contains("in check called at fails.hf:5:"))
  }

  @Test func stepProgressGoesToStandardError() throws {
    let ws = try Workspace()
    try ws.write(
      "steps.hf",
      """
      step "greet" { print("hi") }
      step "breaks" { fail("kubeadm init failed") }

      """)
    let result = try ws.haflow("run", "steps.hf")
    #expect(result.status == 1)
    #expect(result.stdout == "hi\n")
    #expect(result.stderr.contains("==> step \"greet\"\n"))
    #expect(result.stderr.contains("ok  step \"greet\" ("))
    #expect(result.stderr.contains("FAILED step \"breaks\" ("))
    #expect(result.stderr.contains("): kubeadm init failed"))
  }

  @Test func commandOutputIsPrefixedAndQuietHidesIt() throws {
    let ws = try Workspace()
    try ws.write(
      "cmd.hf",
      """
      step "say" on "localhost" {
        `echo from-the-shell`
        log("logged")
      }

      """)
    let loud = try ws.haflow("run", "cmd.hf")
    #expect(loud.status == 0, "\(loud.stderr)")
    #expect(loud.stderr.contains("==> step \"say\" on localhost"))
    #expect(loud.stderr.contains("[localhost] from-the-shell"))
    #expect(loud.stderr.contains("logged"))
    let quiet = try ws.haflow("run", "--quiet", "cmd.hf")
    #expect(quiet.status == 0)
    #expect(!quiet.stderr.contains("from-the-shell"))
    #expect(!quiet.stderr.contains("logged"))
    #expect(quiet.stderr.contains("ok  step \"say\""))
  }

  @Test func paramsFromFlagsSplitAtTheFirstEquals() throws {
    let ws = try Workspace()
    try ws.write(
      "params.hf",
      """
      param label: string
      param replicas: int = 1
      param wait: duration = 1m
      print(label, replicas, wait)

      """)
    let result = try ws.haflow("run", "params.hf", "-p", "label=a=b", "-p", "replicas=3")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "a=b 3 1m\n")
  }

  @Test func paramsFromYAMLAndFlagsWin() throws {
    let ws = try Workspace()
    try ws.write(
      "params.hf", "param label: string\nparam replicas: int = 1\nprint(label, replicas)\n")
    try ws.write("site.yaml", "label: from-file\nreplicas: 5\n")
    let fromFile = try ws.haflow("run", "params.hf", "--params", "site.yaml")
    #expect(fromFile.status == 0, "\(fromFile.stderr)")
    #expect(fromFile.stdout == "from-file 5\n")
    let overridden = try ws.haflow(
      "run", "params.hf", "--params", "site.yaml", "-p", "label=from-flag")
    #expect(overridden.stdout == "from-flag 5\n")
  }

  @Test func missingParamIsAUsageError() throws {
    let ws = try Workspace()
    try ws.write("params.hf", "param endpoint: string\nprint(endpoint)\n")
    let result = try ws.haflow("run", "params.hf")
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("params.hf:1:7: error: missing required param 'endpoint' (string)"),
      "\(result.stderr)")
    #expect(result.stderr.contains("hint: pass -p endpoint=VALUE"))
    #expect(result.stdout.isEmpty)
  }

  @Test func illTypedParamIsAUsageError() throws {
    let ws = try Workspace()
    try ws.write("params.hf", "param replicas: int\nprint(replicas)\n")
    let result = try ws.haflow("run", "params.hf", "-p", "replicas=many")
    #expect(result.status == 2)
    #expect(
      result.stderr.contains("params.hf:1:7: error: param 'replicas' must be an int, got \"many\""),
      "\(result.stderr)")
    #expect(result.stderr.contains("hint: given by -p replicas=many"))
  }

  /// A default that does not fit its type is found by `check`, and stops `run` before
  /// anything runs: exit 2, at the default.
  @Test func illTypedDefaultIsFoundByCheckWithItsPlace() throws {
    let ws = try Workspace()
    try ws.write(
      "params.hf", "print(\"before\")\nparam replicas: int = \"three\"\nprint(replicas)\n")
    let located = "params.hf:2:23: error: param 'replicas' must be an int, got \"three\""
    let check = try ws.haflow("check", "params.hf")
    #expect(check.status == 2)
    #expect(check.stderr.contains(located), "\(check.stderr)")
    #expect(!check.stdout.contains("ok:"))
    let run = try ws.haflow("run", "params.hf")
    #expect(run.status == 2)
    #expect(run.stderr.contains(located), "\(run.stderr)")
    #expect(!run.stderr.contains("<unknown>"))
    #expect(run.stdout.isEmpty, "nothing ran")
    // Given a value, the default is not used and nothing is wrong.
    #expect(try ws.haflow("run", "params.hf", "-p", "replicas=3").stdout == "before\n3\n")
    // A default computed at run time that does not fit: exit 2, at the default.
    try ws.write("env.hf", "param replicas: int = env(\"NO_SUCH_VARIABLE\") ?? \"many\"\n")
    let computed = try ws.haflow("run", "env.hf")
    #expect(computed.status == 2)
    #expect(
      computed.stderr.contains("env.hf:1:23: error: param 'replicas' must be an int, got \"many\""),
      "\(computed.stderr)")
  }

  /// `--params` reads YAML 1.2: a string param keeps the text as written, `yes` is a
  /// string, and a quoted number is a string that an int param refuses.
  @Test func paramsFileReadsTheYAML12CoreSchema() throws {
    let ws = try Workspace()
    try ws.write(
      "params.hf",
      """
      param version: string
      param answer: string
      param count: int = 1
      param ratio: float = 0.5
      param enabled: bool = false
      print(version, answer, count, ratio, enabled)

      """)
    try ws.write("site.yaml", "version: 1.10\nanswer: yes\ncount: 010\nratio: 2\nenabled: true\n")
    let typed = try ws.haflow("run", "params.hf", "--params", "site.yaml")
    #expect(typed.status == 0, "\(typed.stderr)")
    #expect(typed.stdout == "1.10 yes 10 2.0 true\n")

    try ws.write("quoted.yaml", "version: \"1.10\"\nanswer: x\ncount: \"3\"\n")
    let quoted = try ws.haflow("run", "params.hf", "--params", "quoted.yaml")
    #expect(quoted.status == 2)
    #expect(
      quoted.stderr.contains(
        "params.hf:3:7: error: param 'count' must be an int, got the string \"3\""),
      "\(quoted.stderr)")
    #expect(quoted.stderr.contains("write count: 3 without quotes"))

    try ws.write("yes.yaml", "version: a\nanswer: b\nenabled: yes\n")
    let yes = try ws.haflow("run", "params.hf", "--params", "yes.yaml")
    #expect(yes.status == 2)
    #expect(yes.stderr.contains("param 'enabled' must be true or false, got the string \"yes\""))
  }

  @Test func paramWithoutEqualsIsAUsageError() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "print(1)\n")
    let result = try ws.haflow("run", "ok.hf", "-p", "replicas")
    #expect(result.status == 2)
    #expect(result.stderr.contains("-p expects name=value, got 'replicas'"))
  }

  @Test func unreadableFilesAreUsageErrors() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "print(1)\n")
    let missing = try ws.haflow("run", "missing.hf")
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("cannot read 'missing.hf'"))
    let badParams = try ws.haflow("run", "ok.hf", "--params", "missing.yaml")
    #expect(badParams.status == 2)
    #expect(badParams.stderr.contains("cannot read params file 'missing.yaml'"))
    try ws.write("list.yaml", "- 1\n- 2\n")
    let notAMap = try ws.haflow("run", "ok.hf", "--params", "list.yaml")
    #expect(notAMap.status == 2)
    #expect(notAMap.stderr.contains("must be a mapping"))
  }

  @Test func shippedExampleRuns() throws {
    let example = HaflowCLI.packageRoot.appendingPathComponent("playbooks/examples/hello-local.hf")
    let result = try HaflowCLI.run(["run", example.path, "-p", "greeting=hi"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("hi"))
  }
}
