import Synchronization

/// Every secret value one run knows, and the matcher that redacts them from any text.
///
/// Secrets are registered where they enter the run: `param`s of type secret, `secret(…)` and
/// every other built-in that returns one, and the secrets a command carries. The run's sink,
/// its errors and the debugger's views redact through it, so a secret printed by a command
/// that never mentioned it (`cat tokfile`) is still redacted.
///
/// Text is redacted line by line, so a value is registered by lines: a secret holding
/// newlines is found by each of its lines that is long enough to be told from ordinary text
/// (`minimumLineLength` characters, whitespace trimmed). A value that already contains a
/// registered secret is derived from it (an interpolation, a JSON document) and adds nothing.
/// A value shorter than `minimumLength` is not looked for at all (`split(secret("a:b"), ":")`
/// must not turn every `a` of the output into a redaction); it still prints as `<secret>`.
public final class SecretRegistry: Sendable {
  /// A line of a multi-line secret shorter than this (trimmed) is not looked for on its own:
  /// `{` or `-----END-----` lines would redact ordinary output.
  public static let minimumLineLength = 8
  /// A value shorter than this is not looked for in text (by a registry made with the
  /// default).
  public static let minimumLength = 3

  /// How long a value must be to be looked for.
  public let minimumLength: Int

  private struct State {
    /// Value → redacted form, in registration order.
    var patterns: [(value: String, replacement: String)] = []
    var known: Set<String> = []
    /// Nil when a secret was registered since it was built.
    var matcher: SecretMatcher? = .empty
  }

  private let state = Mutex(State())
  /// How many patterns are registered, readable without the lock: every output line and event
  /// of a run asks for the matcher, and most runs register no secret.
  private let patternCount = Atomic<Int>(0)

  /// An empty registry; values shorter than `minimumLength` are not looked for.
  public init(minimumLength: Int = SecretRegistry.minimumLength) {
    self.minimumLength = max(1, minimumLength)
  }

  /// Registers a secret's value, shown as `secret.redacted`.
  public func register(_ secret: Secret) {
    let value = secret.value
    guard value.count >= minimumLength, !state.withLock({ $0.known.contains(value) })
    else { return }
    if !value.contains("\n") {
      add([value], replacement: secret.redacted)
      return
    }
    if matcher.occurs(in: value) { return }
    let lines = value.split(separator: "\n").map {
      $0.trimmingWhitespace()
    }.filter { $0.count >= Self.minimumLineLength }
    add([value] + lines, replacement: secret.redacted)
  }

  /// Registers every secret in `value`: a secret, or secrets inside a list or map.
  public func register(secretsIn value: Value) {
    switch value {
    case .secret(let secret): register(secret)
    case .list(let items): for item in items { register(secretsIn: item) }
    case .map(let entries): for item in entries.values { register(secretsIn: item) }
    case .command(let command): for secret in command.secrets { register(secret) }
    default: break
    }
  }

  /// Whether no secret is registered.
  public var isEmpty: Bool { patternCount.load(ordering: .acquiring) == 0 }

  /// The matcher for every secret registered so far.
  public var matcher: SecretMatcher {
    if isEmpty { return .empty }
    return state.withLock { state in
      if let matcher = state.matcher { return matcher }
      let matcher = SecretMatcher(state.patterns)
      state.matcher = matcher
      return matcher
    }
  }

  /// A matcher for every secret registered so far except `values` (secrets a command's output
  /// revealed, kept in its result for the program to read; shown redacted everywhere else).
  public func matcher(excluding values: Set<String>) -> SecretMatcher {
    guard !values.isEmpty else { return matcher }
    return SecretMatcher(state.withLock { $0.patterns }.filter { !values.contains($0.value) })
  }

  /// `text` with every registered secret redacted.
  public func redact(_ text: String) -> String { matcher.redact(text) }

  /// `error` with every registered secret redacted from its message, hint, notes and result.
  public func redact(_ error: RuntimeError) -> RuntimeError {
    let matcher = matcher
    guard !matcher.isEmpty else { return error }
    var error = error
    error.message = matcher.redact(error.message)
    error.hint = error.hint.map(matcher.redact)
    error.diagnostic.notes = error.diagnostic.notes.map { note in
      var note = note
      note.message = matcher.redact(note.message)
      return note
    }
    if var result = error.result {
      result.stdout = matcher.redact(result.stdout)
      result.stderr = matcher.redact(result.stderr)
      result.command = matcher.redact(result.command)
      error.result = result
    }
    return error
  }

  private func add(_ values: [String], replacement: String) {
    state.withLock { state in
      for value in values where !state.known.contains(value) {
        state.known.insert(value)
        state.patterns.append((value, replacement))
        state.matcher = nil
      }
      patternCount.store(state.patterns.count, ordering: .releasing)
    }
  }
}

extension Substring {
  fileprivate func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
