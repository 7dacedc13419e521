import Lexer

extension PausedStep {
  /// Compiles `program` in the step's scope and runs it on the paused thread, with `host` as
  /// the host of its commands (nil: the paused one). The input is compiled like a function
  /// body nested where the step is written: it reads every visible name, assigns top-level
  /// variables, and keeps what it declares in `prompt` for the next input.
  public func evaluate(_ program: Program, on host: Host?, prompt: PromptScope)
    -> PromptEvaluation
  {
    guard isLive else {
      let error = RuntimeError("the step is no longer paused", at: span)
      return PromptEvaluation(diagnostics: [], result: .failure(error))
    }
    let function = scope.function
    let saved = (function.blocks, function.captures, function.captureIndex)
    function.blocks = scope.blocks
    defer { (function.blocks, function.captures, function.captureIndex) = saved }

    forgetRedeclared(in: program, prompt: prompt)
    let compiler = Compiler(
      table: run.builtins, globals: scope.globals, importer: nil, allowsRedeclaration: true)
    let input = FunctionScope(parent: function, isTopLevel: false, returnTarget: .function)
    input.blocks = [prompt.block]
    input.slotCount = prompt.values.count
    compiler.function = input
    compiler.functionDepth = 1
    let codes = compiler.compileBodyWithValue(program.statements)
    let diagnostics = compiler.diagnostics.filter { diagnostic in
      // Names declared at the prompt are for looking at later; never "unused".
      !diagnostic.message.hasPrefix("unused variable")
    }
    if diagnostics.contains(where: { $0.severity == .error }) {
      return PromptEvaluation(diagnostics: diagnostics, result: nil)
    }
    (function.blocks, function.captures, function.captureIndex) = saved
    // The input runs like a closure made at the step: its own value stack, the captured
    // values of the names it reads from the step's scope, the run's globals.
    let captures = input.captures.map { read($0) }
    let captureStorage = UnsafeMutablePointer<Value>.allocate(capacity: max(1, captures.count))
    captureStorage.initialize(from: captures, count: captures.count)
    defer {
      captureStorage.deinitialize(count: captures.count)
      captureStorage.deallocate()
    }
    let inputState = ExecState(run: run, host: host ?? state.host, globals: state.globals)
    inputState.stack = state.stack
    inputState.depth = state.depth
    let result: Result<Value, RuntimeError>
    do {
      let top = inputState.topLevelFrame
      let slots = try top.push(input.slotCount, span: span)
      defer { top.pop(slots) }
      for (slot, value) in prompt.values.enumerated() { slots[slot] = value }
      let inputFrame = Frame(
        slots: slots, captures: captureStorage, globalSlots: inputState.globalSlots,
        registers: inputState.registers)
      do {
        if case .returnValue(let value) = try codes(inputFrame) {
          result = .success(value)
        } else {
          result = .success(.nil)
        }
      } catch let error as RuntimeError {
        result = .failure(error)
      }
      prompt.values = (0..<input.slotCount).map { slots[$0] }
    } catch let error as RuntimeError {
      result = .failure(error)
    } catch {
      result = .failure(RuntimeError("\(error)"))
    }
    return PromptEvaluation(diagnostics: diagnostics, result: result)
  }

  /// Drops names the input declares again at its top level, so that `let x = …` may be typed
  /// twice.
  private func forgetRedeclared(in program: Program, prompt: PromptScope) {
    for statement in program.statements {
      switch statement.kind {
      case .binding(let name, _, _): prompt.block.names[name.text] = nil
      case .function(let decl): if let name = decl.name { prompt.block.names[name.text] = nil }
      default: break
      }
    }
  }
}
