import Testing

/// `--version`, `--help` and usage errors, which never run a playbook.
@Suite struct GlobalOptionsTests {
  @Test func version() throws {
    let result = try HaflowCLI.run(["--version"])
    #expect(result.status == 0)
    #expect(result.stdout == "haflow 0.1.0\n")
  }

  @Test func rootHelpTeachesCommandsAndExitCodes() throws {
    let result = try HaflowCLI.run(["--help"])
    #expect(result.status == 0)
    for text in [
      "OVERVIEW:", "EXAMPLES:", "haflow run playbooks/examples/hello-local.hf", "EXIT CODES:",
      "65  syntax or check errors", "2   usage error", "run ", "check ", "docs ",
    ] {
      #expect(result.stdout.contains(text), "missing \(text)")
    }
  }

  @Test(arguments: ["run", "check", "docs"])
  func subcommandHelpHasExamplesAndExitCodes(_ command: String) throws {
    let result = try HaflowCLI.run([command, "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("EXAMPLES:\n  haflow \(command)"))
    #expect(result.stdout.contains("EXIT CODES:"))
  }

  @Test func runHelpListsItsOptions() throws {
    let help = try HaflowCLI.run(["run", "--help"]).stdout
    for option in ["-p, --param <name=value>", "--params <file.yaml>", "-q, --quiet"] {
      #expect(help.contains(option), "missing \(option)")
    }
  }

  @Test func unknownFlagIsAUsageError() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "print(1)\n")
    let result = try ws.haflow("run", "--bogus", "ok.hf")
    #expect(result.status == 2)
    #expect(result.stderr.contains("haflow: error: Unknown option '--bogus'"))
    #expect(result.stderr.contains("Usage: haflow run"))
    #expect(result.stdout.isEmpty)
  }

  @Test func unknownSubcommandIsAUsageError() throws {
    let result = try HaflowCLI.run(["frobnicate"])
    #expect(result.status == 2)
  }

  @Test func missingArgumentIsAUsageError() throws {
    #expect(try HaflowCLI.run(["run"]).status == 2)
    #expect(try HaflowCLI.run(["check"]).status == 2)
  }
}
