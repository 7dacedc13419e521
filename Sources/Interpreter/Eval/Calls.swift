import Lexer

/// Calling functions at run time.
enum Calls {
  /// The deepest call nesting allowed before a clean error.
  static let depthLimit = 1_000

  static func function(_ value: Value, span: Span) throws -> Function {
    guard case .function(let function) = value else {
      throw RuntimeError("cannot call a value of type \(value.typeName)", at: span)
    }
    return function
  }

  /// Calls a function with arguments in written order; `labels` names each one (nil:
  /// positional), or is empty when all are positional.
  static func call(
    _ function: Function, _ arguments: [Value], labels: [String?], frame: Frame, span: Span
  ) throws -> Value {
    switch function.kind {
    case .builtin(let builtin):
      let values = try bind(builtin, arguments, labels: labels, span: span)
      return try invokeBuiltin(builtin, values, frame: frame, span: span)
    case .closure(let closure):
      return try callClosure(
        closure, function: function, arguments, labels: labels, frame: frame, span: span)
    }
  }

  static func invokeBuiltin(_ builtin: Builtin, _ values: [Value?], frame: Frame, span: Span)
    throws -> Value
  {
    let state = frame.state
    var call = BuiltinCall(
      arguments: values, builtin: builtin, span: span, context: FrameContext(state: state))
    do {
      let result = try builtin.body(&call)
      switch result {
      case .secret, .list, .map:
        // A secret a built-in made (`secret(…)`, `upper(tok)`) joins the run's secrets.
        state.run.secrets.register(secretsIn: result)
      default: break
      }
      return result
    } catch var error as RuntimeError {
      // A built-in that failed because the run was cancelled (a transfer cut short, a
      // command stopped) ends the run as interrupted: `try` must not catch it.
      if state.cancellation.isCancelled { throw Cancellation.interrupted(at: span) }
      if error.span == .unknown { error.span = span }
      if error.host == nil, error.kind != .failure, let host = state.host {
        error.host = host.name
      }
      throw error
    }
  }

  /// Binds run-time arguments to a built-in's parameters: one slot per parameter, nil for an
  /// optional one left out, a list for a variadic one.
  static func bind(_ builtin: Builtin, _ arguments: [Value], labels: [String?], span: Span)
    throws -> [Value?]
  {
    let parameters = builtin.parameterList
    let count = parameters.names.count
    var values = [Value?](repeating: nil, count: count)
    if labels.isEmpty, arguments.count <= parameters.fixedCount || parameters.isVariadic,
      parameters.isOptional[min(arguments.count, count)...].allSatisfy({ $0 })
    {
      // All positional, and they fit: no binding to work out.
      let fixed = min(arguments.count, parameters.fixedCount)
      for index in 0..<fixed { values[index] = arguments[index] }
      if parameters.isVariadic { values[count - 1] = .list(Array(arguments[fixed...])) }
      return values
    }
    let allLabels = labels.isEmpty ? [String?](repeating: nil, count: arguments.count) : labels
    let binding = try parameters.bindOrThrow(labels: allLabels, span: span)
    var rest: [Value] = []
    for (argument, target) in binding.targets.enumerated() {
      guard let target else { continue }
      if parameters.isVariadic && target == count - 1 {
        rest.append(arguments[argument])
      } else {
        values[target] = arguments[argument]
      }
    }
    if parameters.isVariadic { values[count - 1] = .list(rest) }
    return values
  }

  /// A positional call of the function `callee` evaluates to. For a top-level `fn` called by
  /// name, `box` holds its closure, read without reference counting (and without `callee`).
  @inline(__always)
  static func positional<Arguments: PositionalArguments>(
    _ box: FunctionBox?, _ callee: ExprCode, _ arguments: Arguments, frame: Frame, span: Span
  ) throws -> Value {
    if let unretained = box?.unretained,
      let result = try unretained._withUnsafeGuaranteedRef({ closure in
        try direct(closure, function: nil, arguments, frame: frame, span: span)
      })
    {
      return result
    }
    let value = try callee(frame)
    guard case .function(let function) = value else {
      throw RuntimeError("cannot call a value of type \(value.typeName)", at: span)
    }
    if let closure = function.closure,
      let result = try direct(closure, function: function, arguments, frame: frame, span: span)
    {
      return result
    }
    // Not a closure taking that many: evaluate into a scratch window, then bind as usual.
    let scratch = try frame.push(arguments.count, span: span)
    defer { frame.pop(scratch) }
    try arguments.evaluate(frame, into: scratch)
    let values = Array(UnsafeBufferPointer(start: scratch, count: arguments.count))
    return try call(function, values, labels: [], frame: frame, span: span)
  }

  /// The fast path of a positional call: when the closure takes exactly as many parameters,
  /// the arguments are evaluated straight into its window and the body runs; nil otherwise
  /// (nothing was evaluated).
  @inline(__always)
  static func direct<Arguments: PositionalArguments>(
    _ closure: Closure, function: Function?, _ arguments: Arguments, frame: Frame, span: Span
  ) throws -> Value? {
    let code = closure.code
    guard code.parameterCount == arguments.count, let first = code.firstParameterSlot else {
      return nil
    }
    let slots = try frame.push(code.slotCount, span: span)
    defer { frame.pop(slots) }
    try arguments.evaluate(frame, into: slots + first)
    return try enter(
      closure, function: function, frame: closure.frame(slots: slots, caller: frame), span: span)
  }

  /// Calls a closure with arguments in written order (see `call`).
  static func callClosure(
    _ closure: Closure, function: Function, _ arguments: [Value], labels: [String?],
    frame caller: Frame, span: Span
  ) throws -> Value {
    let code = closure.code
    let count = code.parameterCount
    if labels.isEmpty && arguments.count == count {
      let slots = try caller.push(code.slotCount, span: span)
      defer { caller.pop(slots) }
      for index in 0..<count { slots[code.parameterSlots[index]] = arguments[index] }
      let frame = closure.frame(slots: slots, caller: caller)
      return try enter(closure, function: function, frame: frame, span: span)
    }
    let allLabels = labels.isEmpty ? [String?](repeating: nil, count: arguments.count) : labels
    let binding = try code.parameters.bindOrThrow(labels: allLabels, span: span)
    let slots = try caller.push(code.slotCount, span: span)
    defer { caller.pop(slots) }
    for (argument, target) in binding.targets.enumerated() {
      guard let target else { continue }
      slots[code.parameterSlots[target]] = arguments[argument]
    }
    let frame = closure.frame(slots: slots, caller: caller)
    for index in 0..<count where !binding.given[index] {
      guard let defaultCode = code.defaults[index] else { continue }
      do {
        slots[code.parameterSlots[index]] = try defaultCode.run(frame)
      } catch var error as RuntimeError {
        error.stack.append(.init(function: closure.name, span: span))
        throw error
      }
    }
    return try enter(closure, function: function, frame: frame, span: span)
  }

  /// Runs a closure's body in a frame whose parameters are already set. Checks the depth
  /// limit and the run's cancellation first (every call passes here).
  @inline(__always)
  static func enter(_ closure: Closure, function: Function?, frame: Frame, span: Span) throws
    -> Value
  {
    let code = closure.code
    if let selfSlot = code.selfSlot {
      frame.slots[selfSlot] = .function(function ?? Function(.closure(closure)))
    }
    let registers = frame.registers
    if registers.pointee.depth >= depthLimit || frame.isCancelled {
      throw refusal(closure, frame: frame, span: span)
    }
    registers.pointee.depth += 1
    defer { registers.pointee.depth -= 1 }
    do {
      if case .returnValue(let value) = try code.body(frame) { return value }
      return .nil
    } catch var error as RuntimeError {
      if error.stack.count < 64 {
        error.stack.append(.init(function: closure.name, span: span))
      }
      throw error
    }
  }

  /// Why a call does not start: the run was cancelled, or calls nest too deep.
  private static func refusal(_ closure: Closure, frame: Frame, span: Span) -> RuntimeError {
    if frame.isCancelled { return Cancellation.interrupted(at: span) }
    return RuntimeError(
      "too many nested calls (limit \(depthLimit))", at: span,
      hint: "is '\(closure.name)' recursing without end?")
  }
}

/// The interpreter as seen by a built-in during one call.
struct FrameContext: CallContext {
  let state: ExecState

  func call(_ function: Function, _ arguments: [Value], named: [(String, Value)]) throws -> Value {
    let frame = state.topLevelFrame
    if named.isEmpty {
      return try Calls.call(function, arguments, labels: [], frame: frame, span: .unknown)
    }
    return try Calls.call(
      function, arguments + named.map(\.1),
      labels: [String?](repeating: nil, count: arguments.count) + named.map(\.0), frame: frame,
      span: .unknown)
  }

  var currentHost: Host? { state.host }
  var run: RunContext { state.run }
}
