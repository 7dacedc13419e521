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
    /// A host could not be reached, or its connection dropped while a command or transfer ran
    /// (the run's recap counts the host as unreachable in that step).
    case unreachable
    /// A host is locked by another run (`haflow run`'s run lock): going on could make two
    /// runs change the same hosts at once.
    case locked

    /// Whether an error of this kind ends the run whatever the program says: `try` does not
    /// catch it and `retry` does not try again.
    public var endsTheRun: Bool { self == .interrupted || self == .locked }
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
  /// What went wrong and where: message (secrets already redacted), span, hint and notes.
  /// The span is `.unknown` until the interpreter fills in the call site.
  public var diagnostic: Diagnostic
  /// Innermost call first.
  public var stack: [StackEntry]
  /// For command failures, the result.
  public var result: CommandResult?
  /// The host the error happened on, if any.
  public var host: String?

  /// Makes an error; built-ins usually leave `span` to the interpreter.
  public init(
    _ message: String, kind: Kind = .error, at span: Span = .unknown, hint: String? = nil,
    notes: [Diagnostic.Note] = [], result: CommandResult? = nil, host: String? = nil
  ) {
    self.init(
      Diagnostic(.error, message, at: span, hint: hint, notes: notes), kind: kind,
      result: result, host: host)
  }

  /// Makes an error from a diagnostic (its severity is taken to be `.error`).
  public init(
    _ diagnostic: Diagnostic, kind: Kind = .error, result: CommandResult? = nil,
    host: String? = nil
  ) {
    self.kind = kind
    self.diagnostic = diagnostic
    self.diagnostic.severity = .error
    self.stack = []
    self.result = result
    self.host = host
  }

  /// The message, secrets already redacted.
  public var message: String {
    get { diagnostic.message }
    set { diagnostic.message = newValue }
  }

  /// Where; `.unknown` until the interpreter fills in the call site.
  public var span: Span {
    get { diagnostic.span }
    set { diagnostic.span = newValue }
  }

  /// An optional hint.
  public var hint: String? {
    get { diagnostic.hint }
    set { diagnostic.hint = newValue }
  }

  /// Renders as a diagnostic (the host in front of the message) with the stack under it.
  public func rendered(in sources: SourceMap) -> String {
    var shown = diagnostic
    if let host { shown.message = "[\(host)] " + shown.message }
    var out = shown.rendered(in: sources)
    for entry in stack {
      out += "\n    in \(entry.function) called at \(sources.location(of: entry.span))"
    }
    return out
  }
}
