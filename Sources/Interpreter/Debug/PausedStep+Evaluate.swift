import Lexer

extension PausedStep {
  /// Compiles `program` in the step's scope and runs it on the paused thread, with `host` as
  /// the host of its commands (nil: the paused one). The input is compiled like a function
  /// body nested where the step is written: it reads every visible name, assigns top-level
  /// variables, and keeps what it declares in `prompt` for the next input.
  public func evaluate(_ program: Program, on host: Host?, prompt: PromptScope)
    -> PromptEvaluation
  {
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
    let captures = input.captures.map { read($0) }
    let state = ExecState(run: run, host: host ?? frame.state.host)
    state.stack = frame.state.stack
    state.depth = frame.state.depth
    let inputFrame = Frame(
      slotCount: input.slotCount, captures: captures, globals: frame.globals, state: state)
    for (slot, value) in prompt.values.enumerated() { inputFrame.slots[slot] = value }
    let result: Result<Value, RuntimeError>
    do {
      let flow = try runBlock(codes, inputFrame)
      if case .returnValue(let value) = flow {
        result = .success(value)
      } else {
        result = .success(.nil)
      }
    } catch let error as RuntimeError {
      result = .failure(error)
    } catch {
      result = .failure(RuntimeError("\(error)"))
    }
    prompt.values = (0..<input.slotCount).map { inputFrame.slots[$0] }
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
