import Lexer
import Testing

@testable import Interpreter

@Suite struct ValueDisplayTests {
  @Test func scalarsPrintAsLiterals() {
    #expect(Value.int(-3).repr == "-3")
    #expect(Value.float(3).repr == "3.0")
    #expect(Value.float(0.25).repr == "0.25")
    #expect(Value.bool(true).display == "true")
    #expect(Value.nil.display == "nil")
  }

  @Test func stringsAreBareAtTopLevelAndQuotedInside() {
    #expect(Value.string("a\"b").display == "a\"b")
    #expect(Value.list([.string("a\"b"), .int(1)]).display == "[\"a\\\"b\", 1]")
    #expect(Value.map(["k": .string("v\n")]).repr == "{\"k\": \"v\\n\"}")
  }

  @Test func durationsUseLargestUnitsFirst() {
    #expect(Value.formatDuration(5_400_000_000_000) == "1h30m")
    #expect(Value.formatDuration(1_500_000_000) == "1s500ms")
    #expect(Value.formatDuration(0) == "0s")
    #expect(Value.formatDuration(-2_000_000_000) == "-2s")
    #expect(Value.formatDuration(86_400_000_000_001) == "1d1ns")
  }

  @Test func secretsNeverShowTheirValue() {
    let secret = Value.secret(Secret("s3cr3t", label: "certificate-key"))
    #expect(secret.display == "<secret certificate-key>")
    #expect(Value.list([secret]).repr == "[<secret certificate-key>]")
    #expect(!secret.repr.contains("s3cr3t"))
  }

  @Test func equalityIsStructural() {
    #expect(Value.int(1) == Value.float(1))
    #expect(Value.list([.int(1), .list([.int(2)])]) == Value.list([.int(1), .list([.int(2)])]))
    #expect(Value.string("1") != Value.int(1))
    #expect(Value.secret(Secret("a")) == Value.secret(Secret("a", label: "x")))
  }

  @Test func truthiness() {
    for falsy: Value in [
      .nil, .bool(false), .int(0), .float(0), .string(""), .list([]), .map([:]), .duration(0),
    ] {
      #expect(!falsy.isTruthy, "\(falsy.repr) should be false")
    }
    for truthy: Value in [.int(-1), .string(" "), .list([.nil]), .duration(1)] {
      #expect(truthy.isTruthy, "\(truthy.repr) should be true")
    }
  }
}

@Suite struct ShellQuoteTests {
  @Test func plainWordsStayBare() {
    #expect(ShellQuote.quote("kubeadm") == "kubeadm")
    #expect(ShellQuote.quote("10.0.0.1:6443") == "10.0.0.1:6443")
    #expect(ShellQuote.quote("--token=abc.def") == "--token=abc.def")
  }

  @Test func everythingElseIsSingleQuoted() {
    #expect(ShellQuote.quote("") == "''")
    #expect(ShellQuote.quote("a b") == "'a b'")
    #expect(ShellQuote.quote("it's") == "'it'\\''s'")
    #expect(ShellQuote.quote("$(rm -rf /)") == "'$(rm -rf /)'")
    #expect(ShellQuote.quote("a\nb") == "'a\nb'")
  }

  @Test func commandsRedactSecretsForDisplayOnly() {
    let command = CommandValue([
      .raw("kubeadm join --token "), .secretWord(Secret("abc.def", label: "token")),
      .raw(" "), .word("lb:6443"),
    ])
    #expect(command.shellText == "kubeadm join --token abc.def lb:6443")
    #expect(command.displayText == "kubeadm join --token <secret token> lb:6443")
    #expect(
      Redaction.redact("used abc.def here", secrets: command.secrets) == "used <secret token> here")
  }
}

@Suite struct DurationAndParamTests {
  @Test func durationText() {
    #expect(DurationText.parse("90s") == 90_000_000_000)
    #expect(DurationText.parse("1h30m") == 5_400_000_000_000)
    #expect(DurationText.parse("500ms") == 500_000_000)
    #expect(DurationText.parse("1m1h") == nil)
    #expect(DurationText.parse("5") == nil)
    #expect(DurationText.parse("") == nil)
    #expect(DurationText.parse("99999999999999999999h") == nil)
  }

  @Test func paramTextIsConvertedToTheDeclaredType() throws {
    #expect(try ParamTypes.parse("3", as: .int, name: "n") == .int(3))
    #expect(try ParamTypes.parse("yes", as: .bool, name: "b") == .bool(true))
    #expect(try ParamTypes.parse("2m", as: .duration, name: "d") == .duration(120_000_000_000))
    #expect(
      try ParamTypes.parse("a, b", as: .list, name: "l") == .list([.string("a"), .string("b")]))
    #expect(try ParamTypes.parse("k", as: .secret, name: "key") == .secret(Secret("k")))
  }

  @Test func illTypedParamsSayWhatWasExpected() {
    #expect(throws: RuntimeError.self) { try ParamTypes.parse("three", as: .int, name: "n") }
    do {
      _ = try ParamTypes.parse("soon", as: .duration, name: "wait")
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(
        error.message == "param 'wait' must be a duration like 90s, 10m or 1h30m, got \"soon\"")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}

@Suite struct SuggestTests {
  @Test func closeNamesAreSuggested() {
    #expect(Suggest.closest(to: "hollo", among: ["hello", "world"]) == "hello")
    #expect(
      Suggest.closest(to: "control_plan", among: ["control_plane", "workers"]) == "control_plane")
    #expect(Suggest.closest(to: "zzz", among: ["hello"]) == nil)
  }
}
