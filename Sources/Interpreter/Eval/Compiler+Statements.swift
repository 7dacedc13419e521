import Lexer

extension Compiler {
  /// Declares every top-level `fn` of a statement list before compiling it, so functions may
  /// call each other in any order.
  func hoistFunctions(_ statements: [Stmt]) {
    for statement in statements {
      guard case .function(let decl) = statement.kind, let name = decl.name else { continue }
      let binding = declare(name, mutable: false)
      binding.functionParameters = decl.parameters
      if binding.hoisted == nil {
        let box = FunctionBox()
        binding.hoisted = box
        globals.functionBoxes.append(box)
      }
    }
  }

  func compileBlock(_ block: Block) -> StmtCode {
    pushBlock()
    defer { popBlock() }
    return compileStatements(block.statements)
  }

  func compileStatements(_ statements: [Stmt]) -> StmtCode {
    StatementList.code(statements.map { StmtBox(compileStatement($0)) })
  }

  func compileStatement(_ statement: Stmt) -> StmtCode {
    nested(statement.span, fallback: Compiler.noop) { compileStatementKind(statement) }
  }

  private func compileStatementKind(_ statement: Stmt) -> StmtCode {
    switch statement.kind {
    case .expression(let expr):
      let code = compileExpr(expr)
      return { frame in
        _ = try code(frame)
        return .normal
      }
    case .binding(let name, let value, let mutable):
      let code = value.map { compileExpr($0) }
      let type = mutable ? nil : value.flatMap { staticType(of: $0) }
      let binding = declare(name, mutable: mutable)
      binding.staticType = type
      let store = storeCode(binding)
      if let code {
        return { frame in
          try store(frame, code(frame))
          return .normal
        }
      }
      return { frame in
        try store(frame, .nil)
        return .normal
      }
    case .function(let decl):
      return compileFunctionStatement(decl)
    case .param(let decl):
      return compileParam(decl, span: statement.span)
    case .importFile(_, let pathSpan):
      error("'import' is only allowed at the top level of a file", at: pathSpan)
      return { _ in .normal }
    case .assign(let target, let op, let value):
      return compileAssignment(target: target, op: op, value: value, span: statement.span)
    case .ifElse(let condition, let then, let otherwise):
      let test = compileCondition(condition)
      let thenCode = compileBlock(then)
      guard let otherwise else {
        return { frame in try test(frame) ? try thenCode(frame) : .normal }
      }
      let elseCode = compileBlock(otherwise)
      return { frame in try test(frame) ? try thenCode(frame) : try elseCode(frame) }
    case .whileLoop(let condition, let body):
      let test = compileCondition(condition)
      function.loopDepth += 1
      let bodyCode = compileBlock(body)
      function.loopDepth -= 1
      let span = statement.span
      return { frame in
        while try test(frame) {
          switch try bodyCode(frame) {
          case .breakLoop: return .normal
          case .returnValue(let value): return .returnValue(value)
          case .normal, .continueLoop: break
          }
          if frame.isCancelled { throw Cancellation.interrupted(at: span) }
        }
        return .normal
      }
    case .forIn(let names, let iterable, let body):
      return compileFor(names: names, iterable: iterable, body: body, span: statement.span)
    case .breakLoop, .continueLoop:
      let isBreak: Bool
      if case .breakLoop = statement.kind { isBreak = true } else { isBreak = false }
      if function.loopDepth <= (function.loopBarriers.last ?? 0) {
        error("'\(isBreak ? "break" : "continue")' outside a loop", at: statement.span)
      }
      if isBreak { return { _ in .breakLoop } }
      return { _ in .continueLoop }
    case .returnValue(let value):
      if case .none = function.returnTargets.last ?? .none {
        error("'return' outside a function or step", at: statement.span)
      }
      guard let value else { return { _ in .returnValue(.nil) } }
      let code = compileExpr(value)
      return { frame in .returnValue(try code(frame)) }
    case .tryCatch(let body, let errorName, let handler):
      return compileTry(body: body, errorName: errorName, handler: handler)
    }
  }

  /// Where a declared binding is stored.
  func storeCode(_ binding: Binding) -> @Sendable (Frame, Value) throws -> Void {
    switch binding.storage {
    case .local(let slot): { frame, value in frame.slots[slot] = value }
    case .global(let slot): { frame, value in frame.globalSlots[slot] = value }
    }
  }

  private func compileFor(names: [Name], iterable: Expr, body: Block, span: Span) -> StmtCode {
    // `for i in a..<b` and `for i in range(…)` count without building a list.
    var countedRange: (ExprCode, ExprCode, Bool)?
    if names.count == 1, case .range(let low, let high, let closed) = iterable.kind {
      countedRange = (compileExpr(low), compileExpr(high), closed)
    }
    let source = countedRange == nil ? compileExpr(iterable) : nil
    pushBlock()
    let first = declare(names[0], mutable: false)
    let second = names.count > 1 ? declare(names[1], mutable: false) : nil
    let storeFirst = storeCode(first)
    let storeSecond = second.map { storeCode($0) }
    function.loopDepth += 1
    let bodyCode = compileStatements(body.statements)
    function.loopDepth -= 1
    popBlock()
    if let (lowCode, highCode, closed) = countedRange {
      return { frame in
        let low = try Operators.int(try lowCode(frame), what: "range start")
        let high = try Operators.int(try highCode(frame), what: "range end")
        let end = closed ? high : high - 1
        if low > end { return .normal }
        var i = low
        while true {
          try storeFirst(frame, .int(i))
          switch try bodyCode(frame) {
          case .breakLoop: return .normal
          case .returnValue(let value): return .returnValue(value)
          case .normal, .continueLoop: break
          }
          if i == end { break }
          if frame.isCancelled { throw Cancellation.interrupted(at: span) }
          i += 1
        }
        return .normal
      }
    }
    let pairs = names.count > 1
    let iterableSpan = iterable.span
    return { frame in
      let sequence = try source.map { try $0(frame) } ?? .nil
      let items = try Iteration.items(of: sequence, pairs: pairs, span: iterableSpan)
      for (a, b) in items {
        if frame.isCancelled { throw Cancellation.interrupted(at: span) }
        try storeFirst(frame, a)
        if let storeSecond { try storeSecond(frame, b) }
        switch try bodyCode(frame) {
        case .breakLoop: return .normal
        case .returnValue(let value): return .returnValue(value)
        case .normal, .continueLoop: continue
        }
      }
      return .normal
    }
  }

  private func compileTry(body: Block, errorName: Name?, handler: Block) -> StmtCode {
    let bodyCode = compileBlock(body)
    pushBlock()
    let binding = errorName.map { declare($0, mutable: false) }
    let store = binding.map { storeCode($0) }
    let handlerCode = compileStatements(handler.statements)
    popBlock()
    return { frame in
      let depth = frame.registers.pointee.depth
      let stack = frame.state.stack
      do {
        return try bodyCode(frame)
      } catch let error as RuntimeError where !error.kind.endsTheRun && !frame.isCancelled {
        frame.registers.pointee.depth = depth
        frame.state.stack = stack
        try store?(frame, Iteration.errorValue(error))
        return try handlerCode(frame)
      }
    }
  }

  private func compileParam(_ decl: ParamDecl, span: Span) -> StmtCode {
    if !(function.isTopLevel && function.level == 0) {
      error("'param' is only allowed at the top level of a file", at: span)
    }
    let defaultCode = decl.defaultValue.map { compileExpr($0) }
    let binding = declare(decl.name, mutable: false)
    binding.used = true
    let store = storeCode(binding)
    let name = decl.name.text
    let type = decl.type
    let defaultSpan = decl.defaultValue?.span ?? span
    return { frame in
      if let given = frame.state.run.params[name] {
        try store(frame, given)
      } else if let defaultCode {
        let value = try defaultCode(frame)
        do {
          let coerced = try ParamTypes.coerce(value, to: type, name: name)
          frame.state.run.secrets.register(secretsIn: coerced)
          try store(frame, coerced)
        } catch var error as RuntimeError where error.span == .unknown {
          // A default that does not fit its type: the error is at the default.
          error.span = defaultSpan
          throw error
        }
      } else {
        throw RuntimeError(
          "missing required param '\(name)'", hint: "pass it with -p \(name)=VALUE")
      }
      return .normal
    }
  }
}
