import Foundation
import Interpreter
import Testing

@testable import Inventory
@testable import Session

/// Mangled inventories and ssh configs load or fail with an error, never crash.
@Suite struct InventoryRobustnessTests {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let pieces = [
    "[", "]", ":", "=", "#", ";", "\"", "'", "\\", " ", "\t", "\n", "\r\n", "-", "_", ".", ",",
    "{", "}", "(", ")", "!", "*", "?", "%", "~", "$", "0", "9", "a", "Z", "é", "\u{A0}", "...",
    "[0:", ":]", "0x", "1e", "'''", "\"\"\"", "---", "host ", "group ", ": ", "- ", "Host ",
    "Include ", "Match ",
  ]

  static func mangle(_ text: String, _ generator: inout Generator) -> String {
    var chars = Array(text)
    for _ in 0..<Int.random(in: 1...8, using: &generator) {
      let position = Int.random(in: 0...chars.count, using: &generator)
      let piece = Array(pieces.randomElement(using: &generator) ?? "")
      switch Int.random(in: 0..<3, using: &generator) {
      case 0: chars.insert(contentsOf: piece, at: position)
      case 1 where !chars.isEmpty: chars.remove(at: min(position, chars.count - 1))
      default:
        if !chars.isEmpty {
          chars.replaceSubrange(
            min(position, chars.count - 1)...min(position, chars.count - 1), with: piece)
        }
      }
    }
    return String(chars)
  }

  @Test func mangledInventories() throws {
    var generator = Generator(state: 42)
    let seeds = try InventoryFixtures.all.map { ($0.name, try $0.text()) }
    var loaded = 0
    for round in 0..<1_500 {
      let (name, text) = seeds[round % seeds.count]
      let mangled = Self.mangle(text, &generator)
      var warnings: [String] = []
      if let parsed = try? InventoryLoader.parse(mangled, path: name, warnings: &warnings) {
        let inventory = InventoryBridge.inventory(parsed)
        _ = InventoryRendering.json(inventory)
        _ = InventoryRendering.text(inventory)
        loaded += 1
      }
    }
    #expect(loaded > 0)
  }

  /// A mangled ssh config either loads with only well-formed directives (a port in 1–65535,
  /// a `Host` with a pattern, a `Match` with criteria), or fails with an `InventoryError` on a
  /// line of the file. Both outcomes occur, so both paths are exercised.
  @Test func mangledSSHConfigs() throws {
    let directory = try InventoryDirectory()
    var generator = Generator(state: 7)
    let sample = InventorySSHConfigTests.sample
    var loaded = 0
    var rejected = 0
    for round in 0..<300 {
      let mangled = Self.mangle(sample, &generator)
      let path = try directory.write("config\(round)", mangled)
      do {
        let config = try SSHConfig.load(path: path, environment: ["HOME": directory.url.path])
        loaded += 1
        let problems = Self.malformedDirectives(config)
        #expect(problems.isEmpty, "round \(round) loaded \(problems):\n\(mangled)")
        for host in ["cp1", "cp9", "web.example.com", "bastion", "other"] {
          let port = config.settings(for: host).port
          #expect(port.map { (1...65_535).contains($0) } ?? true, "round \(round), \(host)")
        }
      } catch let error as InventoryError {
        rejected += 1
        let lines = mangled.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(error.path == path, "round \(round): \(error)")
        #expect((1...lines).contains(error.line ?? 0), "round \(round): \(error)")
        #expect(!error.message.isEmpty)
      } catch {
        Issue.record("round \(round): not an InventoryError: \(error)")
      }
    }
    #expect(loaded + rejected == 300)
    #expect(loaded >= 50, "only \(loaded) of 300 mangled configs loaded")
    #expect(rejected >= 50, "only \(rejected) of 300 mangled configs were rejected")
  }

  /// What a loaded config should never hold, described.
  static func malformedDirectives(_ config: SSHConfig) -> [String] {
    var problems: [String] = []
    for directive in config.directives {
      if directive.keyword == "port",
        !(Int(directive.value).map { (1...65_535).contains($0) } ?? false)
      {
        problems.append("Port \(directive.value)")
      }
      for condition in directive.conditions {
        switch condition {
        case .host(let patterns) where patterns.isEmpty: problems.append("Host without patterns")
        case .match(let criteria) where criteria.isEmpty: problems.append("Match without criteria")
        default: continue
        }
      }
    }
    return problems
  }

  @Test func literalsThatEndEarly() {
    for text in [
      "-", "+", "- ", "[", "(", "{", "'", "\"", "r", "b'", "0x", "1e", "[1,", "{'a':", "\\",
    ] {
      #expect(PythonLiteral.evaluate(text) == nil, "\(text)")
    }
  }
}
