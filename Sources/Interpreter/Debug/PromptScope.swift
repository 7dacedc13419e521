import Lexer

/// The names declared at a debugger prompt (`let r = …` typed while paused) and their values,
/// kept from one input to the next while the run stays paused at the same step.
public final class PromptScope: @unchecked Sendable {
  let block = BlockScope()
  var values: [Value] = []

  /// An empty prompt scope.
  public init() {}

  /// The names declared so far.
  public var names: [String] { block.names.keys.sorted() }
}

/// What evaluating debugger input produced.
public struct PromptEvaluation: Sendable {
  /// Static errors and warnings; when any is an error nothing ran and `result` is nil.
  public var diagnostics: [Diagnostic]
  /// The input's value (its last expression) or the runtime error that stopped it.
  public var result: Result<Value, RuntimeError>?
}

extension PromptScope {
  /// The names declared at the prompt with their values.
  public var variables: [(name: String, value: Value)] {
    block.names.sorted { $0.key < $1.key }.compactMap { name, binding in
      guard case .local(let slot) = binding.storage, slot < values.count else { return nil }
      return (name, values[slot])
    }
  }
}
