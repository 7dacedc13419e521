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
    #expect(result.stderr.contains("haflow: error: missing required param 'endpoint'"))
    #expect(result.stdout.isEmpty)
  }

  @Test func illTypedParamIsAUsageError() throws {
    let ws = try Workspace()
    try ws.write("params.hf", "param replicas: int\nprint(replicas)\n")
    let result = try ws.haflow("run", "params.hf", "-p", "replicas=many")
    #expect(result.status == 2)
    #expect(result.stderr.contains("replicas"))
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
