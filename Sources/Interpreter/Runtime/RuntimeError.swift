import Lexer

/// An error raised while a program runs: where, why, and the call stack.
public struct RuntimeError: Error, Sendable {
  /// What raised it, as seen by `catch e` in `e.kind`.
  public enum Kind: String, Sendable {
    /// A type mismatch, bad index, overflow, … raised by the interpreter or a built-in.
    case error
    /// `fail("…")` in the program.
    case failure
    /// `assert(…)` was false.
    case assertion
    /// A command exited non-zero.
    case command
    /// The run was interrupted (Ctrl-C).
    case interrupted
  }

  /// One entry of the call stack.
  public struct StackEntry: Sendable, Hashable {
    /// The function's name.
    public var function: String
    /// Where it was called.
    public var span: Span
    /// Makes an entry.
    public init(function: String, span: Span) {
      self.function = function
      self.span = span
    }
  }

  /// The kind.
  public var kind: Kind
  /// The message, secrets already redacted.
  public var message: String
  /// Where; `.unknown` until the interpreter fills in the call site.
  public var span: Span
  /// An optional hint.
  public var hint: String?
  /// Innermost call first.
  public var stack: [StackEntry]
  /// For command failures, the result.
  public var result: CommandResult?
  /// The host the error happened on, if any.
  public var host: String?

  /// Makes an error; built-ins usually leave `span` to the interpreter.
  public init(
    _ message: String, kind: Kind = .error, at span: Span = .unknown, hint: String? = nil,
    result: CommandResult? = nil, host: String? = nil
  ) {
    self.kind = kind
    self.message = message
    self.span = span
    self.hint = hint
    self.stack = []
    self.result = result
    self.host = host
  }

  /// Renders as a diagnostic with the stack under it.
  public func rendered(in sources: SourceMap) -> String {
    var diagnostic = Diagnostic(.error, message, at: span, hint: hint)
    if let host { diagnostic.message = "[\(host)] " + diagnostic.message }
    var out = diagnostic.rendered(in: sources)
    for entry in stack {
      out += "\n    in \(entry.function) called at \(sources.location(of: entry.span))"
    }
    return out
  }
}
