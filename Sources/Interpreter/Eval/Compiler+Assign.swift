import Lexer

/// One step of an assignment path: `[key]` or `.name`.
enum PathKey {
  case index(ExprCode, Span)
  case member(String, Span)
}

extension Compiler {
  func compileAssignment(target: Expr, op: AssignOp, value: Expr, span: Span) -> StmtCode {
    var path: [PathKey] = []
    var root = target
    var valid = true
    loop: while true {
      switch root.kind {
      case .name: break loop
      case .index(let base, let index):
        path.insert(.index(compileExpr(index), index.span), at: 0)
        root = base
      case .member(let base, let name):
        path.insert(.member(name.text, name.span), at: 0)
        root = base
      default:
        error("invalid assignment target", at: target.span)
        valid = false
        break loop
      }
    }
    // `x += 1` and the like read an int operand in place (see `Operand`).
    let isArithmetic = path.isEmpty && (op == .add || op == .subtract || op == .multiply)
    let source = isArithmetic ? operandSource(value) : .code(compileExpr(value))
    let valueCode: ExprCode
    switch source {
    case .code(let code): valueCode = code
    case .local(let slot): valueCode = { frame in frame.slots[slot] }
    case .global(let slot): valueCode = { frame in frame.globalSlots[slot] }
    case .int(let i): valueCode = { _ in .int(i) }
    }
    guard valid, case .name(let name) = root.kind, let slot = assignableSlot(name) else {
      return { _ in .normal }
    }
    let steps = path
    let opSpan = span
    if isArithmetic {
      switch op {
      case .add: return Compiler.compound(AddOperator.self, slot, source, op: op, span: span)
      case .subtract:
        return Compiler.compound(SubtractOperator.self, slot, source, op: op, span: span)
      default:
        return Compiler.compound(MultiplyOperator.self, slot, source, op: op, span: span)
      }
    }
    if path.isEmpty {
      return simpleAssignment(slot, op: op, valueCode: valueCode, span: span)
    }
    switch slot {
    case .local(let index):
      return { frame in
        let rhs = try valueCode(frame)
        var current = frame.slots[index]
        frame.slots[index] = .nil
        defer { frame.slots[index] = current }
        try Assignment.apply(
          &current, path: steps[...], op: op, rhs: rhs, frame: frame, span: opSpan)
        return .normal
      }
    case .global(let index):
      return { frame in
        let rhs = try valueCode(frame)
        var current = frame.globalSlots[index]
        frame.globalSlots[index] = .nil
        defer { frame.globalSlots[index] = current }
        try Assignment.apply(
          &current, path: steps[...], op: op, rhs: rhs, frame: frame, span: opSpan)
        return .normal
      }
    }
  }

  /// `name op= value` without a path: the common case, kept fast.
  private func simpleAssignment(
    _ slot: Binding.Storage, op: AssignOp, valueCode: @escaping ExprCode, span: Span
  ) -> StmtCode {
    switch (slot, op) {
    case (.local(let index), .assign):
      return { frame in
        frame.slots[index] = try valueCode(frame)
        return .normal
      }
    case (.global(let index), .assign):
      return { frame in
        frame.globalSlots[index] = try valueCode(frame)
        return .normal
      }
    case (.local(let index), _):
      return { frame in
        let rhs = try valueCode(frame)
        var current = frame.slots[index]
        frame.slots[index] = .nil
        defer { frame.slots[index] = current }
        current = try Assignment.combine(&current, op: op, rhs: rhs, span: span)
        return .normal
      }
    case (.global(let index), _):
      return { frame in
        let rhs = try valueCode(frame)
        let globals = frame.globalSlots
        var current = globals[index]
        globals[index] = .nil
        defer { globals[index] = current }
        current = try Assignment.combine(&current, op: op, rhs: rhs, span: span)
        return .normal
      }
    }
  }

  /// `name op= operand` for `+=`, `-=`, `*=`: two ints are combined in place; anything else
  /// takes the general path (strings and lists are appended to without a copy).
  private static func compound<Op: IntOperator>(
    _ op: Op.Type, _ slot: Binding.Storage, _ source: OperandSource, op assignOp: AssignOp,
    span: Span
  ) -> StmtCode {
    switch (slot, source) {
    case (.local(let i), .local(let j)):
      compound(op, LocalTarget(slot: i), LocalOperand(slot: j), assignOp, span)
    case (.local(let i), .global(let j)):
      compound(op, LocalTarget(slot: i), GlobalOperand(slot: j), assignOp, span)
    case (.local(let i), .int(let constant)):
      compound(op, LocalTarget(slot: i), IntOperand(constant: constant), assignOp, span)
    case (.local(let i), .code(let code)):
      compound(op, LocalTarget(slot: i), CodeOperand(code: code), assignOp, span)
    case (.global(let i), .local(let j)):
      compound(op, GlobalTarget(slot: i), LocalOperand(slot: j), assignOp, span)
    case (.global(let i), .global(let j)):
      compound(op, GlobalTarget(slot: i), GlobalOperand(slot: j), assignOp, span)
    case (.global(let i), .int(let constant)):
      compound(op, GlobalTarget(slot: i), IntOperand(constant: constant), assignOp, span)
    case (.global(let i), .code(let code)):
      compound(op, GlobalTarget(slot: i), CodeOperand(code: code), assignOp, span)
    }
  }

  private static func compound<Op: IntOperator, Target: SlotTarget, B: Operand>(
    _ op: Op.Type, _ target: Target, _ operand: B, _ assignOp: AssignOp, _ span: Span
  ) -> StmtCode {
    { frame in
      if B.isDirect, let b = operand.int(frame) {
        let slot = target.pointer(frame)
        if case .int(let a) = slot.pointee, let result = Op.ints(a, b) {
          // The old value is an int: nothing to release, so write over it.
          slot.initialize(to: result)
          return .normal
        }
      }
      let rhs = try operand.value(frame)
      let slot = target.pointer(frame)
      if case .int(let a) = slot.pointee, case .int(let b) = rhs, let result = Op.ints(a, b) {
        slot.initialize(to: result)
        return .normal
      }
      // Take the value out while it changes, so that a string or list is not copied.
      var current = slot.move()
      slot.initialize(to: .nil)
      defer { slot.pointee = current }
      current = try Assignment.combine(&current, op: assignOp, rhs: rhs, span: span)
      return .normal
    }
  }

  /// The storage of a name that may be assigned here, reporting why not otherwise.
  private func assignableSlot(_ name: Name) -> Binding.Storage? {
    if let binding = function.lookupLocal(name.text) {
      guard checkMutable(binding, name) else { return nil }
      if let level = function.parallelLevels.last, binding.level < level {
        error(
          "cannot assign to '\(name.text)' inside a parallel block: each host has its own copy",
          at: name.span, hint: "return a value from the block and use the per-host results")
        return nil
      }
      return binding.storage
    }
    if let (_, binding) = lookup(name.text), let binding {
      guard checkMutable(binding, name) else { return nil }
      if case .global = binding.storage {
        if !function.parallelLevels.isEmpty || hasParallelAncestor() {
          error(
            "cannot assign to '\(name.text)' inside a parallel block: each host has its own copy",
            at: name.span, hint: "return a value from the block and use the per-host results")
          return nil
        }
        return binding.storage
      }
      error(
        "cannot assign to '\(name.text)' from inside a function: functions capture values, not variables",
        at: name.span, hint: "return the new value instead")
      return nil
    }
    if table.isGlobal(name.text) {
      error("cannot assign to built-in '\(name.text)'", at: name.span)
    } else {
      _ = resolve(name)
    }
    return nil
  }

  private func hasParallelAncestor() -> Bool {
    var scope = function.parent
    while let current = scope {
      if !current.parallelLevels.isEmpty { return true }
      scope = current.parent
    }
    return false
  }

  private func checkMutable(_ binding: Binding, _ name: Name) -> Bool {
    if binding.mutable { return true }
    let what = binding.functionParameters != nil ? "a function" : "declared with 'let'"
    error(
      "cannot assign to '\(name.text)': it is \(what)", at: name.span,
      hint: binding.functionParameters == nil ? "declare it with 'var' to change it" : nil)
    return false
  }
}

/// Updating a value in place along an assignment path.
///
/// Values are taken out of their container while they change, so strings and lists that are
/// appended to in a loop are not copied each time. On an error the container is put back intact.
enum Assignment {
  static func apply(
    _ value: inout Value, path: ArraySlice<PathKey>, op: AssignOp, rhs: Value, frame: Frame,
    span: Span
  ) throws {
    guard let first = path.first else {
      value = try combine(&value, op: op, rhs: rhs, span: span)
      return
    }
    let rest = path.dropFirst()
    switch first {
    case .member(let name, let keySpan):
      guard case .map = value else {
        throw RuntimeError(
          "cannot set member '\(name)' on a value of type \(value.typeName)", at: keySpan)
      }
      try update(
        &value, key: name, keySpan: keySpan, rest: rest, op: op, rhs: rhs, frame: frame, span: span)
    case .index(let code, let keySpan):
      let key = try code(frame)
      switch value {
      case .list(var list):
        let index = try Access.listIndex(key, count: list.count, span: keySpan)
        value = Value.nil
        var inner = list[index]
        list[index] = Value.nil
        defer {
          list[index] = inner
          value = .list(list)
        }
        try apply(&inner, path: rest, op: op, rhs: rhs, frame: frame, span: span)
      case .map:
        let name = try Access.mapKey(key, span: keySpan)
        try update(
          &value, key: name, keySpan: keySpan, rest: rest, op: op, rhs: rhs, frame: frame,
          span: span)
      default:
        throw RuntimeError(
          "cannot index into a value of type \(value.typeName)", at: keySpan)
      }
    }
  }

  private static func update(
    _ value: inout Value, key: String, keySpan: Span, rest: ArraySlice<PathKey>, op: AssignOp,
    rhs: Value, frame: Frame, span: Span
  ) throws {
    guard case .map(var map) = value else { return }
    guard map[key] != nil || (rest.isEmpty && op == .assign) else {
      throw RuntimeError("map has no key \(Value.quoted(key))", at: keySpan)
    }
    value = Value.nil
    var inner = map[key] ?? Value.nil
    map[key] = Value.nil
    defer {
      map[key] = inner
      value = .map(map)
    }
    try apply(&inner, path: rest, op: op, rhs: rhs, frame: frame, span: span)
  }

  /// `old op rhs`, appending in place for `+=` on strings and lists.
  static func combine(_ old: inout Value, op: AssignOp, rhs: Value, span: Span) throws -> Value {
    switch op {
    case .assign: return rhs
    case .add:
      if case .string(var s) = old, case .string(let t) = rhs {
        old = Value.nil
        s += t
        return .string(s)
      }
      if case .list(var l) = old, case .list(let m) = rhs {
        old = Value.nil
        l += m
        return .list(l)
      }
      return try Operators.add(old, rhs, span: span)
    case .subtract: return try Operators.arithmetic(.subtract, old, rhs, span: span)
    case .multiply: return try Operators.arithmetic(.multiply, old, rhs, span: span)
    case .divide: return try Operators.arithmetic(.divide, old, rhs, span: span)
    }
  }
}
