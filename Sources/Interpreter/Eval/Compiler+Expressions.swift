import Lexer
import OrderedCollections

extension Compiler {
  func compileExpr(_ expr: Expr) -> ExprCode {
    nested(expr.span, fallback: Compiler.nilCode) { compileExprKind(expr) }
  }

  private func compileExprKind(_ expr: Expr) -> ExprCode {
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
      let codes = items.map { compileExpr($0) }
      return { frame in
        var values: [Value] = []
        values.reserveCapacity(codes.count)
        for code in codes { values.append(try code(frame)) }
        return .list(values)
      }
    case .map(let entries):
      return compileMapLiteral(entries)
    case .unary(let op, let operand, _):
      let code = compileExpr(operand)
      switch op {
      case .not: return { frame in .bool(!(try code(frame).isTruthy)) }
      case .negate: return { frame in try Operators.negate(try code(frame), span: span) }
      }
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
      let test = compileExpr(condition)
      let a = compileExpr(then)
      let b = compileExpr(otherwise)
      return { frame in try test(frame).isTruthy ? try a(frame) : try b(frame) }
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
    let codes = entries.map { entry in
      (compileExpr(entry.key), compileExpr(entry.value), entry.key.span)
    }
    return { frame in
      var map = OrderedDictionary<String, Value>()
      map.reserveCapacity(codes.count)
      for (keyCode, valueCode, keySpan) in codes {
        let key = try Access.mapKey(try keyCode(frame), span: keySpan)
        map[key] = try valueCode(frame)
      }
      return .map(map)
    }
  }

  private func compileBinary(_ op: BinaryOp, _ lhs: Expr, _ rhs: Expr, opSpan: Span) -> ExprCode {
    let a = compileExpr(lhs)
    let b = compileExpr(rhs)
    switch op {
    case .and: return { frame in .bool(try a(frame).isTruthy && (try b(frame).isTruthy)) }
    case .or: return { frame in .bool(try a(frame).isTruthy || (try b(frame).isTruthy)) }
    case .coalesce:
      return { frame in
        let value = try a(frame)
        if case .nil = value { return try b(frame) }
        return value
      }
    case .add:
      return { frame in
        let x = try a(frame)
        let y = try b(frame)
        if case .int(let i) = x, case .int(let j) = y {
          let (r, o) = i.addingReportingOverflow(j)
          if !o { return .int(r) }
        }
        return try Operators.add(x, y, span: opSpan)
      }
    case .subtract:
      return { frame in
        let x = try a(frame)
        let y = try b(frame)
        if case .int(let i) = x, case .int(let j) = y {
          let (r, o) = i.subtractingReportingOverflow(j)
          if !o { return .int(r) }
        }
        return try Operators.arithmetic(.subtract, x, y, span: opSpan)
      }
    case .less:
      return { frame in
        let x = try a(frame)
        let y = try b(frame)
        if case .int(let i) = x, case .int(let j) = y { return .bool(i < j) }
        return try Operators.compare(.less, x, y, span: opSpan)
      }
    case .equal: return { frame in .bool(try a(frame) == (try b(frame))) }
    case .notEqual: return { frame in .bool(try a(frame) != (try b(frame))) }
    case .multiply, .divide, .remainder:
      return { frame in try Operators.arithmetic(op, try a(frame), try b(frame), span: opSpan) }
    case .lessEqual, .greater, .greaterEqual:
      return { frame in
        let x = try a(frame)
        let y = try b(frame)
        if case .int(let i) = x, case .int(let j) = y {
          switch op {
          case .lessEqual: return .bool(i <= j)
          case .greater: return .bool(i > j)
          default: return .bool(i >= j)
          }
        }
        return try Operators.compare(op, x, y, span: opSpan)
      }
    case .in:
      return { frame in .bool(try Operators.contains(try b(frame), try a(frame), span: opSpan)) }
    case .notIn:
      return { frame in .bool(!(try Operators.contains(try b(frame), try a(frame), span: opSpan))) }
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
