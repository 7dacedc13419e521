import Foundation
import Testing

/// `haflow run --log FILE` and `--log-format json` on `haflow lab` hosts (127.0.0.200–.202):
/// every event kind a real run emits is checked against the tables of docs/events.md.
@Suite(.serialized) struct RunEventsTests {
  /// A playbook that makes every kind of event: probes, logs, prints, warnings, commands with
  /// output on both streams, transfers, a skipped step, an unreachable host, and the error
  /// that stops the run.
  static let playbook = """
    param token: secret
    let nodes = group("lab")

    step "probe from here" {
      let p = probe("${nodes[0].address}:22", timeout: 2s)
      log("probed: ${p.status}")
    }
    step "say things" on nodes[0] {
      `echo "hello ${token}"; echo "to stderr ${token}" >&2`
      warn("careful")
      print("printed")
    }
    step "move files" on nodes[0] {
      write_file("/tmp/haflow-events/a", "content", parents: true)
      read_file("/tmp/haflow-events/a")
    }
    step "left out" { log("never") }
    step "everywhere" on nodes parallel { `true` }
    step "cannot reach" on "gone" { `true` }
    """

  /// The lab's inventory plus a host nothing listens for.
  static func inventory(lab: String, directory: URL) throws -> String {
    let path = directory.path + "/events.ini"
    let labInventory = try String(contentsOfFile: lab + "/inventory.ini", encoding: .utf8)
    try (labInventory + "\n[other]\ngone ansible_host=127.0.0.200 ansible_port=1\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  @Test(.timeLimit(.minutes(8))) func everyEventKindMatchesTheDocument() async throws {
    try await RunLab.withLab { directory, lab in
      let inventory = try Self.inventory(lab: lab, directory: directory)
      let playbook = directory.path + "/events.hf"
      try Self.playbook.write(toFile: playbook, atomically: true, encoding: .utf8)
      let logPath = directory.path + "/run.jsonl"
      let token = "tok-\(UInt32.random(in: 1_000_000...UInt32.max))"
      let run = try HaflowCLI.run(
        [
          "run", "-i", inventory, playbook, "-p", "token=\(token)", "--skip", "left out",
          "--log", logPath,
        ])
      #expect(run.status == 1, "the unreachable host fails the run: \(run.stderr)")
      #expect(
        run.stderr.contains(
          "failed and unreachable hosts\n  gone in \"cannot reach\": unreachable: connection refused"
        ), "\(run.stderr)")
      #expect(
        run.stderr.contains("  gone   ok=0 changed=0 failed=0 skipped=0 unreachable=1"),
        "\(run.stderr)")
      let text = try String(contentsOfFile: logPath, encoding: .utf8)
      let attributes = try FileManager.default.attributesOfItem(atPath: logPath)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)
      #expect(!text.contains(token), "the secret param is redacted from the log")
      #expect(!run.stderr.contains(token) && !run.stdout.contains(token))
      let document = try EventDocument.load()
      let events = try EventDocument.parse(lines: text)
      var kinds = Set<String>()
      for event in events {
        let problems = document.problems(with: event)
        #expect(problems.isEmpty, "\(problems) in \(event)")
        kinds.insert(event["event"]?.text ?? "?")
      }
      #expect(
        kinds == Set(document.kinds.keys),
        "documented kinds not emitted: \(Set(document.kinds.keys).subtracting(kinds))")
      #expect(events.first?["event"]?.text == "run_start")
      #expect(events.last?["event"]?.text == "run_end")
      #expect(events.last?["exit_status"] == .int(1))
      let unreachable = events.first { $0["event"]?.text == "host_unreachable" }
      #expect(unreachable?["host"]?.text == "gone")
      #expect(unreachable?["step"]?.text == "cannot reach")
      let stderrLine = events.first {
        $0["event"]?.text == "output" && $0["stream"]?.text == "stderr"
      }
      #expect((stderrLine?["line"]?.text)?.hasPrefix("to stderr <secret") == true)
      #expect(stderrLine?["step"]?.text == "say things")
      #expect(stderrLine?["host"]?.text == "node1")

      // --log-format json: the same events on standard output, nothing else there.
      let json = try HaflowCLI.run(
        [
          "run", "-i", inventory, playbook, "-p", "token=\(token)", "--skip", "cannot reach",
          "--log-format", "json",
        ])
      #expect(json.status == 0, "\(json.stderr)")
      let streamed = try EventDocument.parse(lines: json.stdout)
      #expect(streamed.count > 10)
      for event in streamed { #expect(document.problems(with: event).isEmpty, "\(event)") }
      #expect(streamed.last?["status"]?.text == "ok")
      #expect(!json.stderr.contains("==> step"), "no progress text beside the events")
      #expect(!json.stdout.contains(token))
    }
  }
}

/// The tables of docs/events.md: for each kind, its fields with their type and whether they
/// are always there.
struct EventDocument {
  struct Field {
    var type: String
    var always: Bool
  }

  var common: [String: Field] = [:]
  var kinds: [String: [String: Field]] = [:]

  static func load() throws -> EventDocument {
    let path = HaflowCLI.packageRoot.appendingPathComponent("docs/events.md").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var document = EventDocument()
    var section: String?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("## ") {
        let title = line.dropFirst(3)
        if title == "Every event" {
          section = ""
        } else if title.hasPrefix("`") && title.hasSuffix("`") {
          section = String(title.dropFirst().dropLast())
          document.kinds[section!] = [:]
        } else {
          section = nil
        }
        continue
      }
      guard let current = section, line.hasPrefix("| `") else { continue }
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count >= 3 else { continue }
      let name = String(cells[0].dropFirst().dropLast())
      let field = Field(type: cells[1], always: cells[2] == "yes")
      if current.isEmpty {
        document.common[name] = field
      } else {
        document.kinds[current]?[name] = field
      }
    }
    try #require(document.common.count == 2 && document.kinds.count >= 16, "docs/events.md tables")
    return document
  }

  static func parse(lines text: String) throws -> [[String: JSONField]] {
    try text.split(separator: "\n").map { line in
      try JSONDecoder().decode([String: JSONField].self, from: Data(line.utf8))
    }
  }

  /// What is wrong with `event` by the document: unknown kind, undocumented key, missing key,
  /// wrong type.
  func problems(with event: [String: JSONField]) -> [String] {
    guard case .string(let kind) = event["event"], let fields = kinds[kind] else {
      return ["undocumented kind \(String(describing: event["event"]))"]
    }
    let all = common.merging(fields) { a, _ in a }
    var problems: [String] = []
    for (name, field) in all where field.always && event[name] == nil {
      problems.append("\(kind): missing \(name)")
    }
    for (name, value) in event {
      guard let field = all[name] else {
        problems.append("\(kind): undocumented field \(name)")
        continue
      }
      if !value.matches(field.type) {
        problems.append("\(kind): \(name) is not a \(field.type): \(value)")
      }
    }
    if case .string(let time) = event["time"],
      time.range(
        of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$"#, options: .regularExpression) == nil
    {
      problems.append("time is not RFC 3339 with a fraction: \(time)")
    }
    return problems
  }
}

/// A JSON value as the event document types it.
enum JSONField: Decodable, Equatable, CustomStringConvertible {
  case bool(Bool), int(Int), number(Double), string(String), strings([String])
  /// Any other JSON (a step's `value`): null, an object, a list of non-strings.
  case json

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int.self) {
      self = .int(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([String].self) {
      self = .strings(value)
    } else {
      _ = try container.decode(AnyJSON.self)
      self = .json
    }
  }

  /// Whether the value has the document's type (`number` takes whole numbers too).
  func matches(_ type: String) -> Bool {
    switch (self, type) {
    case (.bool, "bool"), (.int, "int"), (.int, "number"), (.number, "number"),
      (.string, "string"), (.strings, "strings"), (_, "JSON"):
      true
    default: false
    }
  }

  /// The text, when it is one.
  var text: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  var description: String {
    switch self {
    case .bool(let v): "\(v)"
    case .int(let v): "\(v)"
    case .number(let v): "\(v)"
    case .string(let v): "\"\(v)\""
    case .strings(let v): "\(v)"
    case .json: "<JSON>"
    }
  }
}

/// Any JSON value, read and dropped.
struct AnyJSON: Decodable {
  init(from decoder: any Decoder) throws {
    if var list = try? decoder.unkeyedContainer() {
      while !list.isAtEnd { _ = try list.decode(AnyJSON.self) }
    } else if let object = try? decoder.container(keyedBy: AnyKey.self) {
      for key in object.allKeys { _ = try object.decode(AnyJSON.self, forKey: key) }
    } else {
      let single = try decoder.singleValueContainer()
      if single.decodeNil() { return }
      if (try? single.decode(Bool.self)) != nil || (try? single.decode(Double.self)) != nil {
        return
      }
      _ = try single.decode(String.self)
    }
  }

  struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
