import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What a new user notices first: `check` on a directory, help examples that can be run as
/// they stand, and why `-i "$(haflow lab up)"` failed.
@Suite struct SmallThingsTests {
  @Test func checkTakesADirectory() throws {
    let ws = try Workspace()
    try FileManager.default.createDirectory(
      at: ws.url.appendingPathComponent("site/lib"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: ws.url.appendingPathComponent("site/.hidden"), withIntermediateDirectories: true)
    try ws.write("site/a.hf", "import \"lib/b.hf\"\nprint(twice(2))\n")
    try ws.write("site/lib/b.hf", "fn twice(x) { x * 2 }\n")
    try ws.write("site/notes.txt", "not a playbook\n")
    try ws.write("site/.hidden/c.hf", "this is not checked(\n")
    let clean = try ws.haflow("check", "site")
    #expect(clean.status == 0, "\(clean.stderr)")
    #expect(clean.stdout == "ok: 2 files\n")

    try ws.write("site/lib/bad.hf", "print(undefined_thing)\n")
    let bad = try ws.haflow("check", "site/")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("site/lib/bad.hf:1:7: error: undefined name 'undefined_thing'"))

    try FileManager.default.createDirectory(
      at: ws.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
    let empty = try ws.haflow("check", "empty")
    #expect(empty.status == 2)
    #expect(empty.stderr.contains("no .hf files under 'empty'"))
  }

  /// Every repository path an example in `--help` names exists (a glob matches a file).
  @Test(arguments: [
    [], ["run"], ["check"], ["exec"], ["lab"], ["lab", "up"], ["lab", "down"],
    ["lab", "status"], ["inventory"], ["docs"], ["repl"], ["debug"],
  ])
  func helpExamplesNamePathsThatExist(command: [String]) throws {
    let help = try HaflowCLI.run(command + ["--help"])
    #expect(help.status == 0)
    let paths = help.stdout.matches(of: #/(?:playbooks|docs)(?:/[A-Za-z0-9_.*-]+)*/#)
      .map { String($0.output).trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
    for path in paths {
      var found = glob_t()
      defer { globfree(&found) }
      let root = HaflowCLI.packageRoot.path + "/"
      #expect(
        glob(root + path, 0, nil, &found) == 0 && found.gl_pathc > 0,
        "haflow \(command.joined(separator: " ")) --help names \(path), which matches nothing")
    }
  }

  /// `haflow run -i "$(haflow lab up)"` (the README's command) when the lab cannot start:
  /// the lab's reason, then a `-i` message that points at it, not an unnamed unreadable file.
  @Test func anEmptyInventoryPathPointsAtTheLabError() throws {
    let ws = try Workspace()
    try ws.write("ok.hf", "print(1)\n")
    let script =
      #"HAFLOW_LAB_DIR=/proc/haflow-no-lab "$0" run -i "$(HAFLOW_LAB_DIR=/proc/haflow-no-lab "$0" lab up)" ok.hf"#
    let result = try HaflowCLI.run([], in: ws.url, launcher: ["/bin/sh", "-c", script])
    #expect(result.status == 2)
    #expect(result.stderr.contains("haflow: error: cannot create /proc/haflow-no-lab"))
    #expect(
      result.stderr.contains(
        "haflow: error: -i was given an empty path; if it came from $(haflow lab up), the lab did not start: its error is printed above"
      ), "\(result.stderr)")
    #expect(!result.stderr.contains("cannot read the file"))
    let inventory = try ws.haflow("inventory", "-i", "")
    #expect(inventory.status == 2)
    #expect(inventory.stderr.contains("-i was given an empty path"))
  }
}
