import Foundation
import Interpreter
import Lexer

extension Driver {
  /// Lexes, parses and checks files (and what they import) without running anything. With an
  /// inventory (`check -i`), host and group names written as literals must be in it.
  public func check(paths: [String], inventory: Inventory? = nil) -> RunOutcome {
    let loader = SourceLoader()
    var diagnostics: [Diagnostic] = []
    var usageErrors: [String] = []
    let hosts = inventory.map(Self.withLocalhost)
    for path in paths {
      switch loader.load(path: path) {
      case .failure(let message):
        usageErrors.append(message.description)
      case .success(let program):
        let interpreter = Interpreter(run: makeContext(RunOptions(environment: [:])))
        diagnostics +=
          interpreter.compile(program, importer: loader.importer, hostsToCheck: hosts)
          .diagnostics
      }
    }
    return RunOutcome(
      sources: loader.sources,
      diagnostics: Diagnostic.inSourceOrder(loader.diagnostics + diagnostics),
      usageErrors: usageErrors,
      paramErrors: Diagnostic.inSourceOrder(ParamDefaults.check(loader.paramDeclarations())),
      runtimeError: nil)
  }

  /// Checks then runs a playbook file, under `debugger` when one is given.
  public func run(path: String, options: RunOptions, debugger: DebugSession? = nil) -> RunOutcome {
    let loader = SourceLoader()
    switch loader.load(path: path) {
    case .failure(let error):
      let outcome = RunOutcome(
        sources: loader.sources, diagnostics: [], usageErrors: [error.description],
        runtimeError: nil)
      options.events?.recordRefused(
        outcome, playbook: path, inventory: Self.withLocalhost(options.inventory), elapsed: 0)
      return outcome
    case .success(let program):
      return run(program: program, loader: loader, options: options, debugger: debugger)
    }
  }

  /// Checks then runs program text (for tests and embedding).
  public func run(source text: String, name: String, options: RunOptions) -> RunOutcome {
    let loader = SourceLoader()
    let program = loader.add(text: text, name: name)
    return run(program: program, loader: loader, options: options)
  }

  /// Checks, binds params, then runs `program`; with a debugger, the run pauses where it says.
  func run(
    program: Program, loader: SourceLoader, options: RunOptions, debugger: DebugSession? = nil
  ) -> RunOutcome {
    let checking = DispatchTime.now().uptimeNanoseconds
    let outcome = runChecked(
      program: program, loader: loader, options: options, debugger: debugger)
    if !outcome.began, let events = options.events {
      events.recordRefused(
        outcome, playbook: Self.playbookName(program, loader: loader),
        inventory: Self.withLocalhost(options.inventory),
        elapsed: Int64(DispatchTime.now().uptimeNanoseconds - checking))
    }
    return outcome
  }

  /// The name of the file `program` was read from, for `run_start`.
  private static func playbookName(_ program: Program, loader: SourceLoader) -> String {
    let files = loader.sources.files
    return files.indices.contains(program.file) ? files[program.file].name : "?"
  }

  /// `run(program:…)` without the events of a refused run.
  private func runChecked(
    program: Program, loader: SourceLoader, options: RunOptions, debugger: DebugSession?
  ) -> RunOutcome {
    let checker = Interpreter(run: makeContext(RunOptions(environment: [:])))
    let compiled = checker.compile(program, importer: loader.importer)
    var outcome = RunOutcome(
      sources: loader.sources,
      diagnostics: Diagnostic.inSourceOrder(loader.diagnostics + compiled.diagnostics),
      usageErrors: [], runtimeError: nil)
    options.onChecked?(outcome.diagnostics, outcome.sources)
    guard !outcome.diagnostics.contains(where: { $0.severity == .error }) else { return outcome }
    let declarations = loader.paramDeclarations()
    let bound = ParamBinder.bind(declarations: declarations, given: options.params)
    let defaultErrors = ParamDefaults.check(
      declarations.filter { options.params[$0.name.text] == nil })
    guard bound.errors.isEmpty, bound.unknown.isEmpty, defaultErrors.isEmpty else {
      outcome.usageErrors = bound.unknown
      outcome.paramErrors = Diagnostic.inSourceOrder(bound.errors + defaultErrors)
      return outcome
    }
    let params = bound.values
    let inventory = Self.withLocalhost(options.inventory)
    let events = options.events
    let secrets = events?.secrets ?? SecretRegistry()
    let runSink: any OutputSink = events.map { EventSink(base: sink, log: $0) } ?? sink
    let context = RunContext(
      sink: runSink,
      executor: events?.observing(executor, locks: options.locks, sink: runSink) ?? executor,
      inventory: inventory, builtins: table,
      params: params, environment: options.environment, debugger: debugger,
      prober: events?.observing(prober) ?? prober, cancellation: options.cancellation,
      secrets: secrets,
      selection: options.resume.map { $0.selection(over: options.selection) } ?? options.selection
    )
    let interpreter = Interpreter(run: context)
    let (code, _) = interpreter.compile(program, importer: loader.importer)
    outcome.sources = loader.sources
    guard let code else { return outcome }
    if let selection = options.selection {
      let problems = selection.problems(
        stepNames: interpreter.globalScope.stepNamesInOrder.map(\.name))
      guard problems.isEmpty else {
        outcome.usageErrors = problems
        return outcome
      }
    }
    debugger?.attach(
      sources: loader.sources, mainFile: program.file,
      stepNames: interpreter.globalScope.stepNamesInOrder.map(\.name),
      steps: interpreter.globalScope.steps, inventory: inventory)
    if let problems = debugger?.breakpointProblems(), !problems.isEmpty {
      outcome.usageErrors = problems
      return outcome
    }
    let started = DispatchTime.now().uptimeNanoseconds
    outcome.began = true
    events?.recordStart(playbook: Self.playbookName(program, loader: loader), inventory: inventory)
    for warning in Self.inventoryWarnings(inventory, rules: table.staticRules) {
      context.sink.emit(.warning(warning, host: nil))
    }
    do {
      _ = try interpreter.execute(code)
    } catch let error as RuntimeError {
      if let problem = ParamDefaults.problem(error, declarations: declarations) {
        outcome.paramErrors = [problem]
      } else {
        outcome.runtimeError = context.secrets.redact(error)
      }
    } catch {
      outcome.runtimeError = context.secrets.redact(RuntimeError("\(error)"))
    }
    // The locks go on every way out: success, failure, Ctrl-C/SIGTERM (the run has unwound).
    if let events, let locks = options.locks, let runner = executor as? any LockScriptRunner {
      locks.release(runner: runner, log: events, sink: runSink)
    }
    events?.recordEnd(
      outcome, sources: loader.sources,
      elapsed: Int64(DispatchTime.now().uptimeNanoseconds - started),
      interruptedStatus: options.interruptedStatus)
    return outcome
  }

  func makeContext(_ options: RunOptions, params: [String: Value] = [:]) -> RunContext {
    RunContext(
      sink: sink, executor: executor, inventory: options.inventory, builtins: table,
      params: params, environment: options.environment, prober: prober)
  }

  /// What the library's rules find in the run's inventory, checked before the first command
  /// (an even number of control-plane or etcd hosts: etcd's quorum), one line per group with
  /// its hint; `haflow check -i` reports the same at the literal naming the group.
  static func inventoryWarnings(_ inventory: Inventory, rules: [any StaticRule]) -> [String] {
    var groups: [String] = []
    for group in inventory.hosts.flatMap(\.groups) where !groups.contains(group) {
      groups.append(group)
    }
    var warnings: [String] = []
    for group in groups {
      let count = inventory.group(named: group).count
      for rule in rules {
        for problem in rule.problems(inGroup: group, hostCount: count) where problem.isWarning {
          let line = problem.hint.map { problem.message + "; " + $0 } ?? problem.message
          if !warnings.contains(line) { warnings.append(line) }
        }
      }
    }
    return warnings
  }

  /// The implicit `localhost` (connection local), unless the inventory names one. It is
  /// marked implicit: `hosts()` and the pattern `all` leave it out, as Ansible does.
  static func withLocalhost(_ inventory: Inventory) -> Inventory {
    guard inventory.host(named: "localhost") == nil else { return inventory }
    var copy = inventory
    copy.hosts.append(
      Host(
        name: "localhost", address: "127.0.0.1", connection: .local, groups: ["local"],
        isImplicit: true))
    return copy
  }
}
