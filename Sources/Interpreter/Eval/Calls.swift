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

  static func call(
    _ function: Function, _ positional: [Value], named: [(String, Value)], frame: Frame,
    span: Span
  ) throws -> Value {
    switch function.kind {
    case .builtin(let builtin):
      let values = try bind(builtin, positional, named: named, span: span)
      return try invokeBuiltin(builtin, values, frame: frame, span: span)
    case .closure(let closure):
      return try callClosure(
        closure, function: function, positional, named: named, state: frame.state,
        globals: frame.globals, span: span)
    }
  }

  static func invokeBuiltin(_ builtin: Builtin, _ values: [Value?], frame: Frame, span: Span)
    throws -> Value
  {
    var call = BuiltinCall(
      arguments: values, builtin: builtin, span: span, context: FrameContext(frame: frame))
    do {
      return try builtin.body(&call)
    } catch var error as RuntimeError {
      if error.span == .unknown { error.span = span }
      if error.host == nil, error.kind != .failure, let host = frame.state.host {
        error.host = host.name
      }
      throw error
    }
  }

  /// Binds run-time arguments to a built-in's parameters.
  static func bind(_ builtin: Builtin, _ positional: [Value], named: [(String, Value)], span: Span)
    throws -> [Value?]
  {
    let parameters = builtin.parameters
    var values = [Value?](repeating: nil, count: parameters.count)
    let fixed = builtin.isVariadic ? parameters.count - 1 : parameters.count
    if !builtin.isVariadic && positional.count > fixed {
      throw RuntimeError(
        "too many arguments to '\(builtin.name)' (takes at most \(fixed), got \(positional.count))",
        at: span)
    }
    for (index, value) in positional.prefix(fixed).enumerated() { values[index] = value }
    if builtin.isVariadic {
      values[parameters.count - 1] = .list(Array(positional.dropFirst(fixed)))
    }
    for (label, value) in named {
      guard let index = parameters.firstIndex(where: { $0.name == label }),
        parameters[index].kind != .variadic
      else {
        throw RuntimeError("'\(builtin.name)' has no parameter named '\(label)'", at: span)
      }
      if values[index] != nil {
        throw RuntimeError("argument '\(label)' given twice", at: span)
      }
      values[index] = value
    }
    for (index, parameter) in parameters.enumerated()
    where parameter.kind == .required && values[index] == nil {
      throw RuntimeError(
        "missing argument '\(parameter.name)' in call to '\(builtin.name)'", at: span)
    }
    return values
  }

  static func callClosure(
    _ closure: Closure, function: Function, _ positional: [Value], named: [(String, Value)],
    state: ExecState, globals: Globals, span: Span
  ) throws -> Value {
    let code = closure.code
    let count = code.parameterNames.count
    if positional.count > count {
      throw RuntimeError(
        "too many arguments to '\(closure.name)' (takes at most \(count), got \(positional.count))",
        at: span)
    }
    let frame = Frame(
      slotCount: code.slotCount, captures: closure.captures, globals: globals, state: state)
    var given = [Bool](repeating: false, count: count)
    for (index, value) in positional.enumerated() {
      frame.slots[code.parameterSlots[index]] = value
      given[index] = true
    }
    for (label, value) in named {
      guard let index = code.parameterNames.firstIndex(of: label) else {
        throw RuntimeError("'\(closure.name)' has no parameter named '\(label)'", at: span)
      }
      if given[index] { throw RuntimeError("argument '\(label)' given twice", at: span) }
      frame.slots[code.parameterSlots[index]] = value
      given[index] = true
    }
    for index in 0..<count where !given[index] {
      guard let defaultCode = code.defaults[index] else {
        throw RuntimeError(
          "missing argument '\(code.parameterNames[index])' in call to '\(closure.name)'",
          at: span)
      }
      do {
        frame.slots[code.parameterSlots[index]] = try defaultCode(frame)
      } catch var error as RuntimeError {
        error.stack.append(.init(function: closure.name, span: span))
        throw error
      }
    }
    return try enter(closure, function: function, frame: frame, span: span)
  }

  /// Runs a closure's body in a frame whose parameters are already set.
  static func enter(_ closure: Closure, function: Function, frame: Frame, span: Span) throws
    -> Value
  {
    let code = closure.code
    let state = frame.state
    if let selfSlot = code.selfSlot { frame.slots[selfSlot] = .function(function) }
    state.depth += 1
    defer { state.depth -= 1 }
    if state.depth > depthLimit {
      throw RuntimeError(
        "too many nested calls (limit \(depthLimit))", at: span,
        hint: "is '\(closure.name)' recursing without end?")
    }
    do {
      if case .returnValue(let value) = try runBlock(code.body, frame) { return value }
      return .nil
    } catch var error as RuntimeError {
      if error.stack.count < 64 {
        error.stack.append(.init(function: closure.name, span: span))
      }
      throw error
    }
  }
}

/// The interpreter as seen by a built-in during one call.
struct FrameContext: CallContext {
  let frame: Frame

  func call(_ function: Function, _ arguments: [Value], named: [(String, Value)]) throws -> Value {
    try Calls.call(function, arguments, named: named, frame: frame, span: .unknown)
  }

  var currentHost: Host? { frame.state.host }
  var run: RunContext { frame.state.run }
}
