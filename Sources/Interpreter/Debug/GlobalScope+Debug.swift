import Lexer

extension GlobalScope {
  /// The literal step names compiled so far, in source order (for `:steps` and `:break`).
  public var stepNamesInOrder: [(name: String, span: Span)] {
    stepNames.map { ($0.key, $0.value) }.sorted { a, b in
      (a.span.file, a.span.start) < (b.span.file, b.span.start)
    }
  }

  /// Every step written in the files compiled so far, in source order (for `--break`).
  public var steps: [StepSite] {
    stepSites.sorted { a, b in (a.span.file, a.span.start) < (b.span.file, b.span.start) }
  }

  /// Forgets the step names seen so far, so that the next REPL input may use one again.
  public func forgetStepNames() {
    stepNames = [:]
    stepSites = []
  }
}

/// A step as written: its name when it is a literal, and the span of the whole step.
public struct StepSite: Sendable, Hashable {
  /// The literal name; nil when the name is computed (`step "join ${h}"`).
  public var name: String?
  /// The whole step expression.
  public var span: Span
  /// `on HOSTS parallel(…)`, when the step has one (for `--list-steps`).
  public var target: Span?
  /// Makes a site.
  public init(name: String?, span: Span, target: Span? = nil) {
    self.name = name
    self.span = span
    self.target = target
  }
}
