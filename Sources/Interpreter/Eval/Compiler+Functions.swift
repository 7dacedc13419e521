import Lexer

/// A compiled function filled in after the top level has been compiled.
final class FunctionBox: @unchecked Sendable {
  var closure: Closure?
}

extension Compiler {
  func compileFunctionStatement(_ decl: FunctionDecl) -> StmtCode {
    guard let name = decl.name else { return { _ in .normal } }
    let binding = declare(name, mutable: false)
    binding.functionParameters = decl.parameters
    let store = storeCode(binding)
    if function.isTopLevel && function.level == 0 {
      // Hoisted: compiled once every top-level name is known, stored before the first statement.
      let box = FunctionBox()
      let scopeAtEnd = function
      deferred.append { [unowned self] in
        let saved = self.function
        self.function = scopeAtEnd
        let (code, _) = self.compileFunctionBody(decl, name: name.text)
        self.function = saved
        box.closure = Closure(
          name: name.text, parameterNames: code.parameterNames, code: code, captures: [])
      }
      prologue.append { frame in
        guard let closure = box.closure else { return .normal }
        try store(frame, .function(Function(.closure(closure))))
        return .normal
      }
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
    let readers: [@Sendable (Frame) -> Value] = captured.map { binding in
      if binding.owner === parent, case .local(let slot) = binding.storage {
        return { frame in frame.slots[slot] }
      }
      let index = parent.captureIndex[ObjectIdentifier(binding)] ?? 0
      return { frame in frame.captures[index] }
    }
    return { frame in
      let captures = readers.map { $0(frame) }
      return .function(
        Function(
          .closure(
            Closure(
              name: name, parameterNames: code.parameterNames, code: code, captures: captures))))
    }
  }

  /// Compiles parameters and body in a new function scope.
  func compileFunctionBody(_ decl: FunctionDecl, name: String) -> (CompiledFunction, [Binding]) {
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
    if let declName = decl.name {
      let selfBinding = declare(declName, mutable: false)
      selfBinding.used = true
      selfBinding.functionParameters = decl.parameters
      if case .local(let slot) = selfBinding.storage { selfSlot = slot }
    }
    pushBlock()
    var slots: [Int] = []
    var defaults: [ExprCode?] = []
    for parameter in decl.parameters {
      let defaultCode = parameter.defaultValue.map { compileExpr($0) }
      let binding = declare(parameter.name, mutable: true, isParameter: true)
      if case .local(let slot) = binding.storage { slots.append(slot) }
      defaults.append(defaultCode)
    }
    let body = compileBodyWithValue(decl.body.statements)
    popBlock()
    let code = CompiledFunction(
      name: name, parameterNames: decl.parameters.map(\.name.text), parameterSlots: slots,
      defaults: defaults, slotCount: scope.slotCount, selfSlot: selfSlot, body: body,
      span: decl.span)
    return (code, scope.captures)
  }

  /// Compiles a body whose value is that of `return`, or of its last statement when that is an
  /// expression.
  func compileBodyWithValue(_ statements: [Stmt]) -> [StmtCode] {
    guard let last = statements.last, case .expression(let expr) = last.kind else {
      return compileStatements(statements)
    }
    var codes = compileStatements(Array(statements.dropLast()))
    let code = nested(last.span, fallback: Compiler.nilCode) { compileExpr(expr) }
    codes.append { frame in .returnValue(try code(frame)) }
    return codes
  }
}
