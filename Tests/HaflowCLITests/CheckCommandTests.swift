import Testing

/// `haflow check`: diagnostics on standard error, a summary on standard output.
@Suite struct CheckCommandTests {
  @Test func cleanFilesPass() throws {
    let ws = try Workspace()
    try ws.write("a.hf", "print(1)\n")
    try ws.write("b.hf", "let x = 2\nprint(x)\n")
    let result = try ws.haflow("check", "a.hf", "b.hf")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "ok: 2 files\n")
    #expect(result.stderr.isEmpty)
  }

  @Test func checkDoesNotRun() throws {
    let ws = try Workspace()
    try ws.write("a.hf", "print(\"ran\")\nfail(\"ran\")\n")
    let result = try ws.haflow("check", "a.hf")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "ok: 1 file\n")
  }

  @Test func errorsExit65AndAreAllReported() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "print(1)\n")
    try ws.write("bad.hf", "print(u1)\nprint(u2)\n")
    let result = try ws.haflow("check", "ok.hf", "bad.hf")
    #expect(result.status == 65)
    #expect(result.stderr.contains("bad.hf:1:7: error: undefined name 'u1'"))
    #expect(result.stderr.contains("bad.hf:2:7: error: undefined name 'u2'"))
    #expect(result.stderr.hasSuffix("haflow: 2 errors\n"))
    #expect(result.stdout.isEmpty)
  }

  @Test func syntaxErrorShowsTheSourceLine() throws {
    let ws = try Workspace()
    try ws.write("bad.hf", "let x = \"abc\n")
    let result = try ws.haflow("check", "bad.hf")
    #expect(result.status == 65)
    #expect(result.stderr.contains("bad.hf:1:9: error: "))
    #expect(result.stderr.contains("| let x = \"abc"))
  }

  @Test func warningsAloneDoNotFail() throws {
    let ws = try Workspace()
    try ws.write("warn.hf", "fn f() {\n  let unused = 1\n  return 2\n}\nprint(f())\n")
    let result = try ws.haflow("check", "warn.hf")
    #expect(result.status == 0)
    #expect(result.stderr.contains("warn.hf:2:7: warning: unused variable 'unused'"))
    #expect(result.stdout == "ok: 1 file (1 warning)\n")
  }

  @Test func unreadableFileIsAUsageError() throws {
    let ws = try Workspace()
    let result = try ws.haflow("check", "missing.hf")
    #expect(result.status == 2)
    #expect(result.stderr.contains("cannot read 'missing.hf'"))
  }

  /// `check -i INVENTORY`: host and group names written as literals are checked against the
  /// inventory, with "did you mean"; without `-i` they are not.
  @Test func anInventoryChecksHostAndGroupNames() throws {
    let ws = try Workspace()
    try ws.write("hosts.ini", "[workers]\nnode1\nnode2\n\n[control_plane]\ncp1\n")
    try ws.write(
      "site.hf",
      """
      let cps = group("control_plan")
      let first = host("cp1")
      step "join" on "wokers" parallel { 1 }
      on host("nod1") { 2 }
      on ["localhost", "workers,!node2"] { 3 }

      """)
    let result = try ws.haflow("check", "-i", "hosts.ini", "site.hf")
    #expect(result.status == 65, "\(result.stderr)")
    let stderr = result.stderr
    #expect(stderr.contains("site.hf:1:17: error: unknown group 'control_plan' in the inventory"))
    #expect(stderr.contains("did you mean 'control_plane'?"))
    #expect(stderr.contains("site.hf:3:16: error: "), "\(stderr)")
    #expect(stderr.contains("did you mean 'workers'?"))
    #expect(stderr.contains("site.hf:4:9: error: unknown host 'nod1' in the inventory"))
    #expect(stderr.contains("did you mean 'node1'?"))
    #expect(stderr.hasSuffix("haflow: 3 errors\n"), "\(stderr)")
    let without = try ws.haflow("check", "site.hf")
    #expect(without.status == 0, "\(without.stderr)")
  }
}

/// `check -i`: the kubeadm rules see the inventory's groups; an even number of control-plane
/// or etcd hosts is a warning that says why, at the first literal naming the group.
@Suite struct KubeadmCheckTests {
  @Test func anEvenControlPlaneIsAWarningThatSaysWhy() throws {
    let ws = try Workspace()
    try ws.write("hosts.ini", "[control_plane]\ncp1\ncp2\ncp3\ncp4\n\n[etcd]\ne1\ne2\ne3\n")
    try ws.write(
      "site.hf",
      """
      let cps = group("control_plane")
      on "control_plane" { `true` }
      on "etcd" { `true` }

      """)
    let result = try ws.haflow("check", "-i", "hosts.ini", "site.hf")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stderr.contains(
        "site.hf:1:17: warning: group 'control_plane' has 4 hosts: etcd needs a majority (its "
          + "quorum), so 4 "
          + "members survive 1 failure, no more than 3 would"), "\(result.stderr)")
    #expect(result.stderr.contains("use an odd number (3 or 5)"))
    #expect(!result.stderr.contains("site.hf:2:"), "warned twice: \(result.stderr)")
    #expect(!result.stderr.contains("group 'etcd'"))
  }
}
