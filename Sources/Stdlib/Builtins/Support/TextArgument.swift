import Interpreter

/// A string argument that may have been a secret. Text made from a secret stays secret, so
/// `trim(secret)` is still redacted wherever it is shown.
public struct TextArgument: Sendable {
  /// The text (the real value of a secret).
  public var text: String
  /// The secret it came from, if any.
  public var secret: Secret?

  /// Wraps text, remembering the secret it came from.
  public init(_ text: String, secret: Secret? = nil) {
    self.text = text
    self.secret = secret
  }

  /// Whether the argument was a secret.
  public var isSecret: Bool { secret != nil }

  /// `derived` as a value: a secret with the same label when this argument was a secret.
  public func wrap(_ derived: String) -> Value {
    guard let secret else { return .string(derived) }
    return .secret(Secret(derived, label: secret.label))
  }
}

/// Builds text from several values, remembering whether any of them was a secret.
struct TextBuilder {
  /// The text so far (secrets revealed).
  var text = ""
  /// Whether a secret went into it.
  var hasSecret = false

  /// Appends a value as `print` shows it, but with a secret's real value.
  mutating func append(_ value: Value) {
    switch value {
    case .secret(let secret):
      text += secret.value
      hasSecret = true
    default: text += value.display
    }
  }

  /// Appends plain text.
  mutating func append(_ string: String) { text += string }

  /// The result: a secret when any secret went in.
  var value: Value { hasSecret ? .secret(Secret(text)) : .string(text) }
}
