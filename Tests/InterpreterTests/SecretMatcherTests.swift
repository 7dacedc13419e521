import Interpreter
import Testing

/// The automaton behind redaction and the registry that feeds it.
@Suite struct SecretMatcherTests {
  @Test func everyOccurrenceOfEverySecretIsReplacedInOnePass() {
    let matcher = SecretMatcher([
      ("s3cr3t", "<secret a>"), ("t0ken", "<secret b>"), ("ken-x", "<secret c>"),
    ])
    #expect(
      matcher.redact("a s3cr3t and t0ken, s3cr3t") == "a <secret a> and <secret b>, <secret a>")
    // Overlapping occurrences (t0ken, ken-x) become one redaction.
    #expect(matcher.redact("[t0ken-x]") == "[<secret c>]")
    // Adjacent ones stay two.
    #expect(matcher.redact("s3cr3tt0ken") == "<secret a><secret b>")
    #expect(matcher.redact("nothing here") == "nothing here")
    #expect(matcher.redact("") == "")
    #expect(matcher.redact("äöü s3cr3t ✓") == "äöü <secret a> ✓")
  }

  @Test func aSecretInsideALongerOneIsCoveredByIt() {
    let matcher = SecretMatcher([("bc", "<1>"), ("abcd", "<2>")])
    #expect(matcher.redact("xabcdx bc") == "x<2>x <1>")
  }

  @Test func manySecretsAreFoundAsCheaplyAsOne() {
    let secrets = (0..<500).map { ("secret-value-\($0)-zz", "<s\($0)>") }
    let matcher = SecretMatcher(secrets)
    #expect(matcher.redact("a secret-value-499-zz b secret-value-7-zz") == "a <s499> b <s7>")
  }

  @Test func theRegistryLooksForLinesOfMultiLineSecretsAndSkipsShortOnes() {
    let registry = SecretRegistry()
    registry.register(
      Secret("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\nab\n-----END KEY-----\n", label: "key"))
    #expect(registry.redact("line: MIIEvQIBADANBgkq") == "line: <secret key>")
    // "ab" is a line too short to be told from ordinary text.
    #expect(registry.redact("ab") == "ab")
    registry.register(Secret("xy"))
    #expect(registry.redact("xy") == "xy")
    // A value holding a known secret is derived from it and adds nothing of its own.
    registry.register(Secret("{\n  \"k\": \"MIIEvQIBADANBgkq\"\n}"))
    #expect(registry.redact("{") == "{")
  }

  @Test func aCommandsOwnShortSecretsAreStillRedactedFromItsOutput() {
    #expect(Redaction.redact("pw is PW", secrets: [Secret("PW")]) == "pw is <secret>")
  }
}
