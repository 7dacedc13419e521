import Lexer
import OrderedCollections

extension Compiler {
  func compileExpr(_ expr: Expr) -> ExprCode {
    nested(expr.span, fallback: Compiler.nilCode) { compileExprKind(expr) }
  }

  func compileExprKind(_ expr: Expr) -> ExprCode {
    let span = expr.span
    switch expr.kind {
    case .nilLiteral: return { _ in .nil }
    case .bool(let b):
      let value = Value.bool(b)
      return { _ in value }
    case .int(let i):
      let value = Value.int(i)
      return { _ in value }
    case .float(let f):
      let value = Value.float(f)
      return { _ in value }
    case .duration(let d):
      let value = Value.duration(d)
      return { _ in value }
    case .string(let parts):
      return compileInterpolation(parts)
    case .command(let literal):
      return compileCommandLiteral(literal, span: span)
    case .runCommand(let modifiers, let operand):
      return compileRunCommand(modifiers: modifiers, operand: operand, span: span)
    case .name(let name):
      return compileNameRead(name)
    case .list(let items):
      let codes = items.map { ExprBox(compileExpr($0)) }
      return { frame in
        var values: [Value] = []
        values.reserveCapacity(codes.count)
        for code in codes { values.append(try code.run(frame)) }
        return .list(values)
      }
    case .map(let entries):
      return compileMapLiteral(entries)
    case .unary(.not, _, _):
      let test = compileConditionKind(expr)
      return { frame in .bool(try test(frame)) }
    case .unary(.negate, let operand, _):
      let code = compileExpr(operand)
      return { frame in try Operators.negate(try code(frame), span: span) }
    case .binary(.and, _, _, _), .binary(.or, _, _, _), .binary(.less, _, _, _),
      .binary(.lessEqual, _, _, _), .binary(.greater, _, _, _), .binary(.greaterEqual, _, _, _),
      .binary(.equal, _, _, _), .binary(.notEqual, _, _, _):
      let test = compileConditionKind(expr)
      return { frame in .bool(try test(frame)) }
    case .binary(let op, let lhs, let rhs, let opSpan):
      return compileBinary(op, lhs, rhs, opSpan: opSpan)
    case .call(let callee, let arguments):
      return compileCall(callee: callee, arguments: arguments, span: span)
    case .index(let base, let index):
      let baseCode = compileExpr(base)
      let indexCode = compileExpr(index)
      return { frame in
        try Access.index(try baseCode(frame), try indexCode(frame), span: span)
      }
    case .slice(let base, let lower, let upper, let closed):
      let baseCode = compileExpr(base)
      let lowerCode = lower.map { compileExpr($0) }
      let upperCode = upper.map { compileExpr($0) }
      return { frame in
        try Access.slice(
          try baseCode(frame), lower: try lowerCode?(frame), upper: try upperCode?(frame),
          closed: closed, span: span)
      }
    case .member(let base, let name):
      return compileMember(base: base, name: name, span: span)
    case .function(let decl):
      return compileClosure(decl)
    case .range(let low, let high, let closed):
      let lowCode = compileExpr(low)
      let highCode = compileExpr(high)
      return { frame in
        let a = try Operators.int(try lowCode(frame), what: "range start", span: span)
        let b = try Operators.int(try highCode(frame), what: "range end", span: span)
        let end = closed ? b : b - 1
        guard a <= end else { return .list([]) }
        guard end - a < 50_000_000 else {
          throw RuntimeError("range \(a)...\(end) is too large to build a list", at: span)
        }
        return .list((a...end).map { .int($0) })
      }
    case .conditional(let condition, let then, let otherwise):
      let test = compileCondition(condition)
      let a = compileExpr(then)
      let b = compileExpr(otherwise)
      return { frame in try test(frame) ? try a(frame) : try b(frame) }
    case .step(let step):
      return compileStep(step, span: span)
    case .on(let on):
      return compileOn(on, span: span)
    }
  }

  func compileNameRead(_ name: Name) -> ExprCode {
    guard let access = resolve(name) else { return { _ in .nil } }
    switch access {
    case .local(let slot): return { frame in frame.slots[slot] }
    case .global(let slot): return { frame in frame.globalSlots[slot] }
    case .capture(let index): return { frame in frame.captures[index] }
    case .constant(let value): return { _ in value }
    }
  }

  func compileInterpolation(_ parts: [Interpolated]) -> ExprCode {
    if parts.isEmpty { return { _ in .string("") } }
    if parts.count == 1, case .text(let text) = parts[0] {
      let value = Value.string(text)
      return { _ in value }
    }
    enum Piece {
      case text(String)
      case code(ExprCode)
    }
    let pieces: [Piece] = parts.map { part in
      switch part {
      case .text(let text): .text(text)
      case .expr(let expr): .code(compileExpr(expr))
      }
    }
    let compiled = pieces
    return { frame in
      var out = ""
      var secret = false
      for piece in compiled {
        switch piece {
        case .text(let text): out += text
        case .code(let code):
          let value = try code(frame)
          if case .secret(let s) = value {
            secret = true
            out += s.value
          } else {
            out += value.display
          }
        }
      }
      return secret ? .secret(Secret(out)) : .string(out)
    }
  }

  private func compileMapLiteral(_ entries: [MapEntry]) -> ExprCode {
    struct EntryCode {
      let key: ExprCode
      let value: ExprCode
      let keySpan: Span
    }
    let codes = entries.map { entry in
      EntryCode(
        key: compileExpr(entry.key), value: compileExpr(entry.value), keySpan: entry.key.span)
    }
    return { frame in
      var map = OrderedDictionary<String, Value>()
      map.reserveCapacity(codes.count)
      for entry in codes {
        let key = try Access.mapKey(try entry.key(frame), span: entry.keySpan)
        map[key] = try entry.value(frame)
      }
      return .map(map)
    }
  }

  private func compileBinary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, opSpan: Span) -> ExprCode {
    switch op {
    case .add: return operatorValue(AddOperator.self, lhs, rhs, span: opSpan)
    case .subtract: return operatorValue(SubtractOperator.self, lhs, rhs, span: opSpan)
    case .multiply: return operatorValue(MultiplyOperator.self, lhs, rhs, span: opSpan)
    default: break
    }
    let a = compileExpr(lhs)
    let b = compileExpr(rhs)
    switch op {
    case .coalesce:
      return { frame in
        let value = try a(frame)
        if case .nil = value { return try b(frame) }
        return value
      }
    case .in:
      return { frame in .bool(try Operators.contains(try b(frame), try a(frame), span: opSpan)) }
    case .notIn:
      return { frame in .bool(!(try Operators.contains(try b(frame), try a(frame), span: opSpan))) }
    default:
      return { frame in try Operators.arithmetic(op, try a(frame), try b(frame), span: opSpan) }
    }
  }

  private func compileMember(base: Expr, name: Name, span: Span) -> ExprCode {
    // `module.member` is resolved statically.
    if case .name(let moduleName) = base.kind, function.lookupLocal(moduleName.text) == nil,
      lookupIsModule(moduleName.text)
    {
      let qualified = "\(moduleName.text).\(name.text)"
      if let builtin = table.lookup(qualified) {
        let value = Value.function(Function(.builtin(builtin)))
        return { _ in value }
      }
      error(
        "module '\(moduleName.text)' has no member '\(name.text)'", at: name.span,
        hint: Suggest.hint(
          for: name.text, among: table.members(of: moduleName.text).map(\.shortName)))
      return { _ in .nil }
    }
    checkMember(of: base, name)
    let baseCode = compileExpr(base)
    let member = name.text
    return { frame in try Access.member(try baseCode(frame), member, span: span) }
  }

  /// Whether a name refers to a built-in module (and is not shadowed by a user name).
  func lookupIsModule(_ text: String) -> Bool {
    guard table.modules.contains(where: { $0.name == text }) else { return false }
    var scope: FunctionScope? = function
    while let current = scope {
      if current.lookupLocal(text) != nil { return false }
      scope = current.parent
    }
    return true
  }
}
