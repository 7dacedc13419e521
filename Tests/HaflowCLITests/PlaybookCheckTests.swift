import Foundation
import Testing

/// Every shipped playbook passes `haflow check`, alone and against the example site
/// inventories, with no error and no warning; the examples' params files name only params the
/// playbooks declare, with values of the declared types.
@Suite struct PlaybookCheckTests {
  static let playbooks = HaflowCLI.packageRoot.appendingPathComponent("playbooks")

  /// The shipped playbooks: `playbooks/*.hf`, `playbooks/lib/*.hf`, `playbooks/examples/*.hf`.
  static func shipped() throws -> [String] {
    var files: [String] = []
    for folder in ["", "lib", "examples"] {
      let directory = playbooks.appendingPathComponent(folder)
      let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      files += names.filter { $0.hasSuffix(".hf") }.sorted().map { directory.path + "/" + $0 }
    }
    return files
  }

  /// The HA playbooks issue 10 asks for, each with its header.
  static let recipes = [
    "stacked-etcd.hf", "etcd-cluster.hf", "external-etcd.hf", "manual-certs.hf",
    "join-workers.hf", "reupload-certs.hf", "reset.hf",
  ]

  @Test func everyShippedPlaybookChecksClean() throws {
    let files = try Self.shipped()
    for recipe in Self.recipes {
      #expect(files.contains(Self.playbooks.path + "/" + recipe), "\(recipe) is missing")
    }
    let result = try HaflowCLI.run(["check"] + files)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "warnings: \(result.stderr)")
    #expect(result.stdout == "ok: \(files.count) files\n")
  }

  /// The summary lines count in words ("joined 1 control plane", not "1 control planes"):
  /// lib/words.hf's `counted`, and no recipe or lib printing a count before a plural of its
  /// own (the examples are not the kubeadm recipes: hello-lab.hf's "all 3 copies" is kept).
  @Test func summaryLinesCountInWords() throws {
    let script = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-words-\(UUID().uuidString).hf")
    defer { try? FileManager.default.removeItem(at: script) }
    try
      ("import \"\(Self.playbooks.path)/lib/words.hf\"\n"
      + "print(counted(1, \"control plane\"), \"|\", counted(3, \"control plane\"), \"|\",\n"
      + "  counted(0, \"worker\"), \"|\", counted(1, \"etcd host\", \"etcd hosts\"))\n").write(
        to: script, atomically: true, encoding: .utf8)
    let result = try HaflowCLI.run(["run", script.path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "1 control plane | 3 control planes | 0 workers | 1 etcd host\n")
    let bare = try Regex(#"\$\{len\([^}]*\)\} [a-z ]*s\b"#)
    for file in try Self.shipped() where !file.contains("/examples/") {
      let text = try String(contentsOfFile: file, encoding: .utf8)
      for line in text.split(separator: "\n") where line.contains("print(") {
        #expect(line.firstMatch(of: bare) == nil, "\(file): \(line)")
      }
    }
  }

  @Test func theRecipesCheckAgainstTheExampleInventories() throws {
    for site in ["stacked-site.ini", "external-site.ini"] {
      let inventory = Self.playbooks.path + "/examples/" + site
      let files = Self.recipes.map { Self.playbooks.path + "/" + $0 }
      let result = try HaflowCLI.run(["check", "-i", inventory] + files)
      #expect(result.status == 0, "\(site): \(result.stderr)")
      #expect(result.stderr.isEmpty, "\(site): \(result.stderr)")
      let listing = try HaflowCLI.run(["inventory", "-i", inventory, "--json"])
      #expect(listing.status == 0, "\(listing.stderr)")
      for group in ["load_balancer", "control_plane", "workers", "etcd"] {
        #expect(listing.stdout.contains("\"\(group)\""), "\(site) has no group \(group)")
      }
    }
  }

  @Test func everyRecipeHasAHeaderNamingItsParamsAndGroups() throws {
    for recipe in Self.recipes {
      let text = try String(
        contentsOf: Self.playbooks.appendingPathComponent(recipe), encoding: .utf8)
      let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
      #expect(header.hasPrefix("# \(recipe) — "), "\(recipe): header")
      #expect(header.contains("What it does"), "\(recipe): what it does")
      #expect(header.contains("Groups:"), "\(recipe): groups")
      #expect(header.contains("Params"), "\(recipe): params")
      let params = text.split(separator: "\n").compactMap { line in
        line.firstMatch(of: #/^param (\w+)/#).map { String($0.output.1) }
      }
      for name in params {
        #expect(header.contains(name), "\(recipe): param \(name) is not in the header")
      }
    }
  }

  /// The params files are bound as a run binds them: an unknown name or a wrong type stops
  /// the run with exit status 2 before any host is touched; these bind, and the run then
  /// stops only where it reaches a host that does not exist (exit 1, not 2).
  @Test(.timeLimit(.minutes(2))) func theExampleParamsFilesBind() throws {
    let pairs = [
      ("stacked-site.ini", "stacked.yaml", "stacked-etcd.hf"),
      ("stacked-site.ini", "stacked.yaml", "manual-certs.hf"),
      ("external-site.ini", "external.yaml", "external-etcd.hf"),
      ("external-site.ini", "external.yaml", "manual-certs.hf"),
    ]
    let ws = try Workspace()
    for (site, params, recipe) in pairs {
      // The example inventory with every host on an address nothing listens on, so the run
      // fails fast at its first connection, after the params were bound.
      var text = try String(
        contentsOf: Self.playbooks.appendingPathComponent("examples/" + site), encoding: .utf8)
      text = text.replacing(
        #/ansible_host=10\.0\.\d+\.\d+/#, with: "ansible_host=127.0.0.1 ansible_port=1")
      text = text.replacing(
        #/control_plane_endpoint=\S+/#, with: "control_plane_endpoint=127.0.0.1:1")
      let inventory = try ws.write(site, text)
      let result = try HaflowCLI.run(
        [
          "run", "-i", inventory, Self.playbooks.path + "/" + recipe, "--params",
          Self.playbooks.path + "/examples/" + params, "-p", "endpoint=127.0.0.1:1",
        ], in: ws.url)
      #expect(result.status == 1, "\(recipe) with \(params): \(result.stderr)")
      #expect(!result.stderr.contains("param"), "\(recipe) with \(params): \(result.stderr)")
    }
  }
}
