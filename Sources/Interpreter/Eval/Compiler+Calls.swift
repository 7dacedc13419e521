import Lexer

extension Compiler {
  func compileCall(callee: Expr, arguments: [Argument], span: Span) -> ExprCode {
    if let builtin = staticBuiltin(callee) {
      return compileBuiltinCall(builtin, arguments: arguments, span: span)
    }
    if case .name(let name) = callee.kind, let (_, binding) = lookup(name.text),
      let parameters = binding?.functionParameters
    {
      checkUserCall(name.text, parameters: parameters, arguments: arguments, span: span)
    }
    let calleeCode = compileExpr(callee)
    let positional = arguments.filter { $0.label == nil }.map { compileExpr($0.value) }
    let named = arguments.compactMap { argument in
      argument.label.map { ($0.text, compileExpr(argument.value)) }
    }
    if named.isEmpty {
      let argumentCount = positional.count
      return { frame in
        let function = try Calls.function(try calleeCode(frame), span: span)
        if case .closure(let closure) = function.kind,
          argumentCount == closure.code.parameterNames.count
        {
          // Fast path: arguments go straight into the callee's frame.
          let code = closure.code
          let callee = Frame(calleeOf: frame, slotCount: code.slotCount, captures: closure.captures)
          for index in 0..<argumentCount {
            callee.slots[code.parameterSlots[index]] = try positional[index](frame)
          }
          return try Calls.enter(closure, function: function, frame: callee, span: span)
        }
        var values: [Value] = []
        values.reserveCapacity(positional.count)
        for code in positional { values.append(try code(frame)) }
        return try Calls.call(function, values, named: [], frame: frame, span: span)
      }
    }
    return { frame in
      let function = try Calls.function(try calleeCode(frame), span: span)
      let values = try positional.map { try $0(frame) }
      let namedValues = try named.map { ($0.0, try $0.1(frame)) }
      return try Calls.call(function, values, named: namedValues, frame: frame, span: span)
    }
  }

  /// The built-in a callee names statically, when it is not shadowed by a user name.
  func staticBuiltin(_ callee: Expr) -> Builtin? {
    switch callee.kind {
    case .name(let name):
      guard let (access, binding) = lookup(name.text), binding == nil,
        case .constant(.function(let function)) = access, case .builtin(let builtin) = function.kind
      else { return nil }
      return builtin
    case .member(let base, let member):
      guard case .name(let module) = base.kind, lookupIsModule(module.text) else { return nil }
      return table.lookup("\(module.text).\(member.text)")
    default:
      return nil
    }
  }

  /// Binds arguments to a built-in's parameters at compile time.
  private func compileBuiltinCall(_ builtin: Builtin, arguments: [Argument], span: Span)
    -> ExprCode
  {
    let parameters = builtin.parameters
    var slots: [(Int, ExprCode)] = []
    var rest: [ExprCode] = []
    var given = Set<Int>()
    let fixedCount = builtin.isVariadic ? parameters.count - 1 : parameters.count
    var position = 0
    var tooMany = 0
    for argument in arguments {
      let code = compileExpr(argument.value)
      if let label = argument.label {
        guard let index = parameters.firstIndex(where: { $0.name == label.text }),
          parameters[index].kind != .variadic
        else {
          error(
            "'\(builtin.name)' has no parameter named '\(label.text)'", at: label.span,
            hint: Suggest.hint(for: label.text, among: parameters.map(\.name))
              ?? "its parameters: \(parameters.map(\.name).joined(separator: ", "))")
          continue
        }
        if given.contains(index) {
          error("argument '\(label.text)' given twice", at: label.span)
          continue
        }
        given.insert(index)
        slots.append((index, code))
      } else {
        while position < fixedCount && given.contains(position) { position += 1 }
        if position < fixedCount {
          given.insert(position)
          slots.append((position, code))
          position += 1
        } else if builtin.isVariadic {
          rest.append(code)
        } else {
          tooMany += 1
        }
      }
    }
    if tooMany > 0 {
      let most = fixedCount
      error(
        "too many arguments to '\(builtin.name)' (takes at most \(most), got \(most + tooMany))",
        at: span, hint: "usage: \(builtin.signature)")
    }
    for (index, parameter) in parameters.enumerated()
    where parameter.kind == .required && !given.contains(index) {
      error(
        "missing argument '\(parameter.name)' in call to '\(builtin.name)'", at: span,
        hint: "usage: \(builtin.signature)")
    }
    let count = parameters.count
    let variadicIndex = builtin.isVariadic ? parameters.count - 1 : nil
    let fixedSlots = slots
    let restCodes = rest
    return { frame in
      var values = [Value?](repeating: nil, count: count)
      for (index, code) in fixedSlots { values[index] = try code(frame) }
      if let variadicIndex {
        var items: [Value] = []
        items.reserveCapacity(restCodes.count)
        for code in restCodes { items.append(try code(frame)) }
        values[variadicIndex] = .list(items)
      }
      return try Calls.invokeBuiltin(builtin, values, frame: frame, span: span)
    }
  }

  /// Checks a call of a user `fn` whose parameters are known statically.
  private func checkUserCall(
    _ name: String, parameters: [Parameter], arguments: [Argument], span: Span
  ) {
    let positional = arguments.filter { $0.label == nil }.count
    if positional > parameters.count {
      error(
        "too many arguments to '\(name)' (takes at most \(parameters.count), got \(positional))",
        at: span)
    }
    var given = Set(parameters.indices.prefix(positional))
    for argument in arguments {
      guard let label = argument.label else { continue }
      guard let index = parameters.firstIndex(where: { $0.name.text == label.text }) else {
        error(
          "'\(name)' has no parameter named '\(label.text)'", at: label.span,
          hint: Suggest.hint(for: label.text, among: parameters.map(\.name.text)))
        continue
      }
      if given.contains(index) {
        error("argument '\(label.text)' given twice", at: label.span)
      }
      given.insert(index)
    }
    for (index, parameter) in parameters.enumerated()
    where parameter.defaultValue == nil && !given.contains(index) {
      error("missing argument '\(parameter.name.text)' in call to '\(name)'", at: span)
    }
  }
}
