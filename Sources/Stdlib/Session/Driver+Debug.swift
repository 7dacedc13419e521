import Foundation
import Interpreter
import Lexer

extension Driver {
  /// Checks then runs a playbook under `debugger`, like `run(path:options:)`. The driver's
  /// sink should be `debugger.recorder` so that `:out` sees the commands.
  public func debug(path: String, options: RunOptions, debugger: DebugSession) -> RunOutcome {
    let loader = SourceLoader()
    let program: Program
    switch loader.load(path: path) {
    case .failure(let error):
      return RunOutcome(
        sources: loader.sources, diagnostics: [], usageErrors: [error.description],
        runtimeError: nil)
    case .success(let loaded): program = loaded
    }
    let checker = Interpreter(run: makeContext(RunOptions(environment: [:])))
    let checked = checker.compile(program, importer: loader.importer)
    var outcome = RunOutcome(
      sources: loader.sources, diagnostics: Self.sorted(loader.diagnostics + checked.diagnostics),
      usageErrors: [], runtimeError: nil)
    options.onChecked?(outcome.diagnostics, outcome.sources)
    guard !outcome.diagnostics.contains(where: { $0.severity == .error }) else { return outcome }
    let (params, paramErrors) = ParamBinder.bind(
      declarations: loader.paramDeclarations(), given: options.params)
    guard paramErrors.isEmpty else {
      outcome.usageErrors = paramErrors
      return outcome
    }
    let inventory = Self.withLocalhost(options.inventory)
    let context = RunContext(
      sink: sink, executor: executor, inventory: inventory, builtins: table, params: params,
      environment: options.environment, debugger: debugger)
    let interpreter = Interpreter(run: context)
    let (code, _) = interpreter.compile(program, importer: loader.importer)
    outcome.sources = loader.sources
    guard let code else { return outcome }
    debugger.attach(
      sources: loader.sources, mainFile: program.file,
      stepNames: interpreter.globalScope.stepNamesInOrder.map(\.name), inventory: inventory)
    do {
      _ = try interpreter.execute(code)
    } catch let error as RuntimeError {
      outcome.runtimeError = error
    } catch {
      outcome.runtimeError = RuntimeError("\(error)")
    }
    return outcome
  }
}
