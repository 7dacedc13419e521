import Foundation
import Interpreter
import TestSupport
import Testing

@testable import Session

/// Interpolations are quoted for where they stand in the command, and a real `/bin/sh` gets
/// back exactly the value: bare (one word), inside the author's double quotes (escaped for
/// them), inside `$(…)` within double quotes (bare again). Hostile values: quotes, `$`,
/// backquotes, backslashes, newlines, spaces, empty, non-ASCII.
@Suite struct CommandQuotingTests {
  static let hostile = [
    "a\"b", "c$HOME", "d`id`e", "f\\g", "new\nline", "", "ünï €", "x'y", "sp ace",
    "$(echo INJECTED)", "tab\there", "\\\"", "!bang", "*", "~",
  ]

  @Test(.timeLimit(.minutes(1))) func hostileValuesReachTheShellIntact() async throws {
    let values = Self.hostile.map { Value.quoted($0) }.joined(separator: ", ")
    let source = """
      let values = [\(values)]
      var bare = []
      var quoted = []
      var nested = []
      for v in values {
        bare = bare + [local `printf '%s|' ${v}`.stdout]
        quoted = quoted + [local `printf '%s|' "<${v}>"`.stdout]
        nested = nested + [local `printf '%s|' "$(printf '%s' ${v})"`.stdout]
      }
      print(json.encode({"bare": bare, "quoted": quoted, "nested": nested}))
      """
    let sink = RecordingSink()
    // Off Swift Testing's pool: local commands run on swift-subprocess's async tasks.
    let outcome = try await blocking {
      Driver(sink: sink).run(
        source: source, name: "quoting.hf", options: RunOptions(environment: [:]))
    }
    #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
    #expect(outcome.runtimeError == nil, "\(String(describing: outcome.runtimeError?.message))")
    let printed = try #require(sink.printed.first)
    let decoded = try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: [String]]
    let results = try #require(decoded)
    #expect(results["bare"] == Self.hostile.map { $0 + "|" })
    #expect(results["quoted"] == Self.hostile.map { "<" + $0 + ">|" })
    // Command substitution drops trailing newlines, as sh does.
    #expect(results["nested"] == Self.hostile.map { $0 + "|" })
  }

  @Test(.timeLimit(.minutes(1))) func aListInsideDoubleQuotesIsOneWordOfItsItems() async throws {
    let sink = RecordingSink()
    let outcome = try await blocking {
      Driver(sink: sink).run(
        source:
          "let xs = [\"a b\", \"c\\\"d\"]\nprint(local `printf '%s|' \"${xs}\" ${xs}`.stdout)",
        name: "list.hf", options: RunOptions(environment: [:]))
    }
    #expect(outcome.runtimeError == nil)
    #expect(sink.printed == ["a b c\"d|a b|c\"d|"])
  }

  @Test(.timeLimit(.minutes(1))) func aSecretInsideDoubleQuotesIsEscapedAndRedacted()
    async throws
  {
    let sink = RecordingSink()
    let outcome = try await blocking {
      Driver(sink: sink).run(
        source:
          "let s = secret(\"p\\\"w $x\")\nlet r = local `printf '%s' \"${s}\"`\nprint(r.stdout)",
        name: "secret.hf", options: RunOptions(environment: [:]))
    }
    #expect(outcome.runtimeError == nil)
    let started = sink.events.compactMap { event -> String? in
      if case .commandStarted(_, let command) = event { command } else { nil }
    }
    #expect(started == ["printf '%s' \"<secret>\""])
    #expect(!sink.printed.joined().contains("p\"w"))
  }
}
