import TestSupport
import Testing

@testable import Inventory

/// What the fuzz targets (fuzz/README.md) found: small files that hung or grew without bound.
/// Each now ends in an error, quickly; the inputs are also in fuzz/crashes/. The tests that
/// expand to the limits take seconds of CPU in a debug build: they run on threads of their
/// own (`blocking`), not on Swift Testing's two cooperative threads, where they starved the
/// timing checks of other suites (a 300 ms timeout measured at 38 s).
@Suite(.timeLimit(.minutes(5))) struct InventoryFuzzFindingsTests {
  /// `web[0:99999999999]` counted its hosts with a stride's `underestimatedCount`, which walks
  /// the whole stride: the loader never returned.
  @Test func hugeRangeFailsAtOnce() {
    for pattern in ["web[0:99999999999]", "web[0:9223372036854775806]", "w[1:99999999999:1]"] {
      #expect(throws: HostPattern.Failure.self) { try HostPattern.expand(pattern) }
    }
    // Nested ranges of long names: Foundation's substring search for the next '[' in each
    // name took seconds before the limit was reached.
    let long = String(repeating: "\u{FFFD}", count: 40)
    #expect(throws: HostPattern.Failure.self) {
      try HostPattern.expand("all\(long)[01:20]ent\(long)[00:20]ent\(long)[0:320]")
    }
    let error = InventoryTest.error("web[0:99999999999]\n", name: "hosts.ini")
    #expect(error?.message == "host pattern 'web[0:99999999999]' expands to more than 100000 hosts")
  }

  /// A long name in a range made 100000 copies of itself (1 KB each: 100 MB); nested ranges
  /// made every intermediate name too. A pattern may make at most 10 MB of names.
  @Test func longNamesInRangesAreBounded() throws {
    let long = String(repeating: "U", count: 1_000)
    #expect {
      try HostPattern.expand("w\(long)[0:99999]")
    } throws: { error in
      (error as? HostPattern.Failure)?.message.hasSuffix(
        "expands to more than 10000000 bytes of names")
        == true
    }
    let error = InventoryTest.error(
      "host a\(long)[01:20]\(long)[1:3]\(long)[0:999]\n", name: "hosts.hf")
    #expect(error?.message.hasSuffix("expands to more than 10000000 bytes of names") == true)
    #expect(try HostPattern.expand("web[0:99999].cluster.example.com").names.count == 100_000)
  }

  /// Ranges after the first are expanded once and combined (they were expanded again for
  /// every name made): same names, same order, same errors.
  @Test func nestedRangesCombineInOrder() throws {
    #expect(
      try HostPattern.expand("n[1:2]-[a:b].x[08:09]").names == [
        "n1-a.x08", "n1-a.x09", "n1-b.x08", "n1-b.x09", "n2-a.x08", "n2-a.x09", "n2-b.x08",
        "n2-b.x09",
      ])
    #expect(try HostPattern.expand("a[1:2][3:4]").names == ["a13", "a14", "a23", "a24"])
    #expect(try HostPattern.expand("a[3:1][x").names == [])
    #expect(throws: HostPattern.Failure.self) { try HostPattern.expand("a[1:2]b]c[1:2]") }
    // The names made on the way count, as before: 99 + 99 × 1000 fit in 100000, 100 + 100000
    // do not.
    #expect(try HostPattern.expand("h[0:98][0:999]").names.count == 99_000)
    #expect(throws: HostPattern.Failure.self) { try HostPattern.expand("h[0:99][0:999]") }
  }

  /// A range on each of many lines, or one range with many variables, made millions of hosts
  /// and host variables from a few kilobytes.
  @Test func hostsAndHostVariablesAreBounded() async throws {
    let vars = (0..<400).map { "v\($0)=\($0)" }.joined(separator: " ")
    let many = (0..<40).map { "h\($0)[0:99999]" }.joined(separator: "\n")
    for (text, name) in [
      ("h[0:99999] \(vars)\n", "hosts.ini"), (many + "\n", "hosts.ini"),
      ("host h[0:99999] \(vars)\n", "hosts.hf"),
    ] {
      let error = try await blocking { InventoryTest.error(text, name: name) }
      #expect(error?.message == "the inventory holds more than 200000 hosts and host variables")
    }
  }

  /// Group variables are copied to every host below the group: 100000 hosts under 400
  /// `[all:vars]` resolved to 40 million values.
  @Test func resolvedVariablesAreBounded() async throws {
    let vars = (0..<400).map { "v\($0)=\($0)" }
    for (text, name) in [
      ("h[0:99999]\n[all:vars]\n" + vars.joined(separator: "\n") + "\n", "hosts.ini"),
      ("host h[0:99999]\ngroup all " + vars.joined(separator: " ") + "\n", "hosts.hf"),
    ] {
      let error = try await blocking { InventoryTest.error(text, name: name) }
      #expect(
        error?.message == "the inventory resolves to more than 200000 hosts and host variables")
    }
  }

  /// Aliases in variables, merge keys (`<<`) and `children` repeat what they refer to: each
  /// was bounded on its own (or not at all), so a 1 KB file stood for billions of values.
  @Test func yamlAliasesAreBoundedAcrossTheDocument() async throws {
    var laughs = ["x0: &x0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    for level in 1...5 {
      laughs.append(
        "x\(level): &x\(level) ["
          + Array(repeating: "*x\(level - 1)", count: 10).joined(
            separator: ", ") + "]")
    }
    laughs.append("g:\n  vars:\n" + (0..<40).map { "    v\($0): *x5" }.joined(separator: "\n"))
    var merges = ["m0: &m0 {a: 1}"]
    for level in 1...12 {
      let base = "*m\(level - 1)"
      merges.append("m\(level): &m\(level) {<<: [\(base), \(base), \(base), \(base)]}")
    }
    var children = ["c0: &c0 {hosts: {h: }}"]
    for level in 1...20 {
      children.append(
        "c\(level): &c\(level) {children: {a\(level): *c\(level - 1), b\(level): *c\(level - 1)}}")
    }
    for lines in [laughs, merges, children] {
      let text = lines.joined(separator: "\n") + "\n"
      let error = try await blocking { InventoryTest.error(text, name: "hosts.yml") }
      #expect(error?.message == "YAML document expands to more than 200000 values")
    }
  }

  /// The input that timed out (5 s) first: 1023 × 20 hosts from one line, which must load.
  @Test func twentyThousandHostsLoad() async throws {
    let text = "al:l\n  h[0:1022]x[01:20]\n"
    let inventory = try await blocking { try InventoryTest.load(text, name: "hosts.ini") }
    #expect(inventory.hosts.count == 1 + 1023 * 20)
  }

  /// A YAML error's column counts Unicode scalars (as libyaml does) on a CRLF line.
  @Test func yamlErrorColumnsCountScalars() {
    let error = InventoryTest.error("all:\r\n  é: [\r\n", name: "hosts.yml")
    #expect(error?.line == 3)
    let place = InventoryTest.error("g:\r\n  vars: {é: *nope}\r\n", name: "hosts.yml")
    #expect(place?.line == 2)
    #expect(place?.column == 13)
  }

  /// The ssh-config target serves `Include` from memory through `SSHConfigParser.Files`; a
  /// file that includes itself stops at the nesting limit.
  @Test func sshConfigIncludesThroughFiles() throws {
    let texts = [
      "/h/.ssh/config": "Include extra\nHost *\n  Port 2200\n",
      "/h/.ssh/extra": "Host web\n  User ops\n",
    ]
    let files = SSHConfigParser.Files(
      glob: { pattern in texts[pattern] == nil ? [] : [pattern] },
      read: { path in texts[path] ?? "" })
    var config = SSHConfig(environment: ["HOME": "/h", "USER": "me"])
    try SSHConfigParser.read(
      path: "/h/.ssh/config", into: &config, conditions: [], depth: 0, files: files)
    #expect(
      config.settings(for: "web") == SSHHostSettings(hostName: "web", user: "ops", port: 2200))
    var looping = SSHConfig(environment: ["HOME": "/h"])
    #expect {
      try SSHConfigParser.read(
        path: "/h/.ssh/config", into: &looping, conditions: [], depth: 0,
        files: SSHConfigParser.Files(
          glob: { _ in ["/h/.ssh/config"] }, read: { _ in "Include *\n" }))
    } throws: { error in
      (error as? InventoryError)?.message == "Include is nested more than 16 levels deep"
    }
  }
}
