import Lexer

/// A top-level function's closure, filled in once every top-level name is known (before any
/// code runs). Calls read `unretained`, which costs no reference counting; `closure` keeps it
/// alive.
final class FunctionBox: @unchecked Sendable {
  private(set) var closure: Closure?
  private(set) var unretained: Unmanaged<Closure>?

  func fill(_ closure: Closure) {
    self.closure = closure
    unretained = .passUnretained(closure)
  }

  /// Lets go of the closure (calls then read the variable instead). The closure's code refers
  /// to the box, so this is what breaks that cycle when the top-level scope is done with.
  func clear() {
    unretained = nil
    closure = nil
  }
}

extension Compiler {
  func compileFunctionStatement(_ decl: FunctionDecl) -> StmtCode {
    guard let name = decl.name else { return { _ in .normal } }
    let isHoisted = function.isTopLevel && function.level == 0
    // A hoisted function was declared (and a duplicate reported) by `hoistFunctions`.
    let binding =
      isHoisted
      ? function.blocks[0].names[name.text] ?? declare(name, mutable: false)
      : declare(name, mutable: false)
    binding.functionParameters = decl.parameters
    let store = storeCode(binding)
    if isHoisted {
      // Hoisted: compiled once every top-level name is known, stored before the first statement.
      let box = binding.hoisted ?? FunctionBox()
      let scopeAtEnd = function
      deferred.append { [unowned self] in
        let saved = self.function
        self.function = scopeAtEnd
        // Its own name resolves to the global: no slot of its own to fill on every call.
        let (code, _) = self.compileFunctionBody(decl, name: name.text, bindsOwnName: false)
        self.function = saved
        box.fill(
          Closure(
            name: name.text, parameterNames: code.parameters.names, code: code, captures: []))
      }
      prologue.append(
        StmtBox { frame in
          guard let closure = box.closure else { return .normal }
          try store(frame, .function(Function(.closure(closure))))
          return .normal
        })
      return { _ in .normal }
    }
    let make = compileClosureMaker(decl, name: name.text)
    return { frame in
      try store(frame, try make(frame))
      return .normal
    }
  }

  func compileClosure(_ decl: FunctionDecl) -> ExprCode {
    compileClosureMaker(decl, name: decl.name?.text ?? "<closure>")
  }

  /// Code that makes a closure value, capturing the current values of its free variables.
  func compileClosureMaker(_ decl: FunctionDecl, name: String) -> ExprCode {
    let parent = function
    let (code, captured) = compileFunctionBody(decl, name: name)
    // Where each captured value is read when the closure is made: (true, slot) for a local
    // of the function making it, (false, index) for one of that function's own captures.
    let sources: [(isLocal: Bool, index: Int)] = captured.map { binding in
      if binding.owner === parent, case .local(let slot) = binding.storage { return (true, slot) }
      return (false, parent.captureIndex[ObjectIdentifier(binding)] ?? 0)
    }
    return { frame in
      let captures = sources.map { $0.isLocal ? frame.slots[$0.index] : frame.captures[$0.index] }
      return .function(
        Function(
          .closure(
            Closure(
              name: name, parameterNames: code.parameters.names, code: code, captures: captures))))
    }
  }

  /// Compiles parameters and body in a new function scope.
  func compileFunctionBody(_ decl: FunctionDecl, name: String, bindsOwnName: Bool = true)
    -> (CompiledFunction, [Binding])
  {
    let scope = FunctionScope(parent: function, isTopLevel: false, returnTarget: .function)
    let saved = function
    let savedOn = onDepth
    function = scope
    functionDepth += 1
    onDepth = 0
    defer {
      function = saved
      functionDepth -= 1
      onDepth = savedOn
    }
    var selfSlot: Int?
    if bindsOwnName, let declName = decl.name {
      let selfBinding = declare(declName, mutable: false)
      selfBinding.used = true
      selfBinding.functionParameters = decl.parameters
      if case .local(let slot) = selfBinding.storage { selfSlot = slot }
    }
    pushBlock()
    var slots: [Int] = []
    var defaults: [ExprBox?] = []
    for parameter in decl.parameters {
      let defaultCode = parameter.defaultValue.map { ExprBox(compileExpr($0)) }
      let binding = declare(parameter.name, mutable: true, isParameter: true)
      if case .local(let slot) = binding.storage { slots.append(slot) }
      defaults.append(defaultCode)
    }
    let body = compileBodyWithValue(decl.body.statements)
    popBlock()
    let code = CompiledFunction(
      name: name, parameters: Compiler.parameterList(name, decl.parameters),
      parameterSlots: slots, defaults: defaults, slotCount: scope.slotCount, selfSlot: selfSlot,
      body: body, span: decl.span)
    return (code, scope.captures)
  }

  /// Compiles a body whose value is that of `return`, or of its last statement when that is an
  /// expression.
  func compileBodyWithValue(_ statements: [Stmt]) -> StmtCode {
    guard let last = statements.last, case .expression(let expr) = last.kind else {
      return compileStatements(statements)
    }
    var codes = statements.dropLast().map { StmtBox(compileStatement($0)) }
    let code = nested(last.span, fallback: Compiler.nilCode) { compileExpr(expr) }
    codes.append(StmtBox { frame in .returnValue(try code(frame)) })
    return StatementList.code(codes)
  }
}
