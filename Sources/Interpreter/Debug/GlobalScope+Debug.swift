import Lexer

extension GlobalScope {
  /// The literal step names compiled so far, in source order (for `:steps` and `:break`).
  public var stepNamesInOrder: [(name: String, span: Span)] {
    stepNames.map { ($0.key, $0.value) }.sorted { a, b in
      (a.span.file, a.span.start) < (b.span.file, b.span.start)
    }
  }

  /// Forgets the step names seen so far, so that the next REPL input may use one again.
  public func forgetStepNames() { stepNames = [:] }
}
