import Foundation
import Interpreter
import Lexer
import Synchronization

/// One REPL session: every input is checked and run in one persistent top-level scope, against
/// the inventory (with the implicit `localhost`) and the executor it was made with.
public final class ReplSession: @unchecked Sendable {
  /// The interpreter holding the session's names and values.
  public let interpreter: Interpreter
  private let loader = SourceLoader()

  /// Makes a session; `inventory` gets the implicit `localhost` unless it has one. Cancelling
  /// `cancellation` (Ctrl-C) stops the input being evaluated; the next input starts afresh.
  public init(
    driver: Driver, inventory: Inventory, environment: [String: String],
    cancellation: Cancellation = Cancellation()
  ) {
    let context = RunContext(
      sink: driver.sink, executor: driver.executor,
      inventory: Driver.withLocalhost(inventory), builtins: driver.table,
      environment: environment, prober: driver.prober, cancellation: cancellation)
    interpreter = Interpreter(run: context)
  }

  /// Whether an input is being evaluated now (a Ctrl-C then cancels it).
  public var isEvaluating: Bool { evaluating.load(ordering: .acquiring) }
  private let evaluating = Atomic<Bool>(false)

  /// Every input so far, for rendering diagnostics and errors.
  public var sources: SourceMap { loader.sources }

  /// The run's effects (inventory, executor, sink).
  public var run: RunContext { interpreter.run }

  /// Checks and runs one input. Names it declares stay for the next input, also when it fails.
  public func evaluate(_ text: String) -> SessionResult {
    let before = loader.diagnostics.count
    let program = loader.add(text: text, name: "<repl>")
    let parseDiagnostics = Array(loader.diagnostics.dropFirst(before))
    if parseDiagnostics.contains(where: { $0.severity == .error }) {
      return SessionResult(diagnostics: parseDiagnostics, result: nil)
    }
    interpreter.globalScope.forgetStepNames()
    let (code, diagnostics) = interpreter.compile(
      program, importer: loader.importer, allowsRedeclaration: true)
    let all = parseDiagnostics + diagnostics
    guard let code else { return SessionResult(diagnostics: all, result: nil) }
    // A Ctrl-C that came while no input ran must not stop this one.
    run.cancellation.reset()
    evaluating.store(true, ordering: .releasing)
    defer { evaluating.store(false, ordering: .releasing) }
    let result: Result<Value, RuntimeError>
    do {
      result = .success(try interpreter.execute(code))
    } catch let error as RuntimeError {
      result = .failure(error)
    } catch {
      result = .failure(RuntimeError("\(error)"))
    }
    return SessionResult(diagnostics: all, result: result).redacted(by: run.secrets)
  }

  /// A completer for this session's names and hosts.
  public func completer(commands: [String]) -> Completer {
    Completer(
      table: run.builtins, variables: interpreter.globalScope.names,
      hosts: run.inventory.hosts.map(\.name),
      groups: Array(Set(run.inventory.hosts.flatMap(\.groups))).sorted(), commands: commands)
  }
}

/// What one REPL or debugger input produced.
public struct SessionResult: Sendable {
  /// Static errors and warnings; with an error nothing ran and `result` is nil.
  public var diagnostics: [Diagnostic]
  /// The value of the input's last expression, or the error that stopped it.
  public var result: Result<Value, RuntimeError>?

  /// Redacts the value line and the error; `.empty` until `redacted(by:)`.
  public var redaction = SecretMatcher.empty

  /// Makes a result.
  public init(diagnostics: [Diagnostic], result: Result<Value, RuntimeError>?) {
    self.diagnostics = diagnostics
    self.result = result
  }

  /// The result with the run's secrets redacted from its error and value line (a string that
  /// holds a secret's text, `reveal(tok)`, is shown redacted too).
  public func redacted(by secrets: SecretRegistry) -> SessionResult {
    var copy = self
    copy.redaction = secrets.matcher
    if case .failure(let error) = result { copy.result = .failure(secrets.redact(error)) }
    return copy
  }

  /// Whether the input failed: a static error or a runtime error.
  public var failed: Bool {
    if case .success = result { return false }
    return true
  }

  /// The value line the REPL prints: `3 : int`, `<secret> : secret`; nil for nil.
  public var valueLine: String? {
    guard case .success(let value) = result else { return nil }
    if case .nil = value { return nil }
    return redaction.redact("\(value.repr) : \(value.typeName)")
  }
}
