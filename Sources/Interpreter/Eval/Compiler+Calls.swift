import Lexer

extension Compiler {
  func compileCall(callee: Expr, arguments: [Argument], span: Span) -> ExprCode {
    if let builtin = staticBuiltin(callee) {
      return compileBuiltinCall(builtin, arguments: arguments, span: span)
    }
    var box: FunctionBox?
    if case .name(let name) = callee.kind, let (_, binding) = lookup(name.text), let binding {
      if let parameters = binding.functionParameters {
        let list = Compiler.parameterList(name.text, parameters)
        report(list.bind(labels: arguments.map(\.label?.text)), of: list, arguments, span: span)
      }
      box = binding.hoisted
    }
    let calleeCode = compileExpr(callee)
    let codes = arguments.map { ExprBox(compileExpr($0.value)) }
    if arguments.allSatisfy({ $0.label == nil }) {
      return positionalCall(calleeCode, codes, box: box, span: span)
    }
    let labels = arguments.map(\.label?.text)
    return { frame in
      let function = try Calls.function(try calleeCode(frame), span: span)
      var values: [Value] = []
      values.reserveCapacity(codes.count)
      for code in codes { values.append(try code.run(frame)) }
      return try Calls.call(function, values, labels: labels, frame: frame, span: span)
    }
  }

  /// A call with positional arguments only. When the callee is a closure taking exactly that
  /// many, the arguments go straight into its window of the value stack. The common counts
  /// have code of their own, holding the argument code in fields rather than an array. A
  /// top-level `fn` called by name comes from its `box`, without reading the variable.
  private func positionalCall(
    _ calleeCode: @escaping ExprCode, _ codes: [ExprBox], box: FunctionBox?, span: Span
  ) -> ExprCode {
    switch codes.count {
    case 0: Compiler.call(box, calleeCode, NoArguments(), span: span)
    case 1: Compiler.call(box, calleeCode, OneArgument(a: codes[0].run), span: span)
    case 2:
      Compiler.call(box, calleeCode, TwoArguments(a: codes[0].run, b: codes[1].run), span: span)
    case 3:
      Compiler.call(
        box, calleeCode, ThreeArguments(a: codes[0].run, b: codes[1].run, c: codes[2].run),
        span: span)
    default: Compiler.call(box, calleeCode, ManyArguments(codes: codes), span: span)
    }
  }

  private static func call<Arguments: PositionalArguments>(
    _ box: FunctionBox?, _ calleeCode: @escaping ExprCode, _ arguments: Arguments, span: Span
  ) -> ExprCode {
    { frame in try Calls.positional(box, calleeCode, arguments, frame: frame, span: span) }
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

  /// The parameter list of a user `fn` as declared, called by `name`.
  static func parameterList(_ name: String, _ parameters: [Parameter]) -> ParameterList {
    let shown = parameters.map { $0.defaultValue == nil ? $0.name.text : "\($0.name.text) = …" }
    return ParameterList(
      name: name, names: parameters.map(\.name.text),
      isOptional: parameters.map { $0.defaultValue != nil },
      usage: "\(name)(\(shown.joined(separator: ", ")))")
  }

  /// Reports every way the arguments do not fit: label problems at the label, the others at
  /// the call.
  private func report(
    _ binding: ArgumentBinding, of list: ParameterList, _ arguments: [Argument], span: Span
  ) {
    for problem in binding.problems {
      var at = span
      switch problem {
      case .unknownLabel(_, let argument), .givenTwice(_, let argument):
        at = arguments[argument].label?.span ?? span
      case .tooMany, .missing:
        break
      }
      diagnostics.append(list.diagnostic(for: problem, at: at))
    }
  }

  /// Binds arguments to a built-in's parameters at compile time; the code evaluates them in
  /// written order into their slots.
  private func compileBuiltinCall(_ builtin: Builtin, arguments: [Argument], span: Span)
    -> ExprCode
  {
    let list = builtin.parameterList
    let binding = list.bind(labels: arguments.map(\.label?.text))
    report(binding, of: list, arguments, span: span)
    checkBuiltinCall(builtin, arguments, targets: binding.targets, span: span)
    struct Step {
      let target: Int
      let code: ExprCode
    }
    var plan: [Step] = []
    for (argument, target) in zip(arguments, binding.targets) {
      let parameter = target.map { builtin.parameters[min($0, builtin.parameters.count - 1)] }
      let code = compileArgument(argument.value, for: parameter, of: builtin)
      if let target { plan.append(Step(target: target, code: code)) }
    }
    let count = list.names.count
    let variadicIndex = list.isVariadic ? count - 1 : -1
    let steps = plan
    return { frame in
      var values = [Value?](repeating: nil, count: count)
      var rest: [Value] = []
      for step in steps {
        let value = try step.code(frame)
        if step.target == variadicIndex { rest.append(value) } else { values[step.target] = value }
      }
      if variadicIndex >= 0 { values[variadicIndex] = .list(rest) }
      return try Calls.invokeBuiltin(builtin, values, frame: frame, span: span)
    }
  }
}

extension Compiler {
  /// An argument's code. Where the parameter takes commands, a command literal is passed as a
  /// command value instead of running first (`run(`false`, check: false)`), and for `run` a
  /// string is refused: it would be raw shell.
  func compileArgument(_ value: Expr, for parameter: BuiltinParameter?, of builtin: Builtin)
    -> ExprCode
  {
    let commands = parameter?.commands ?? .none
    guard commands != .none else { return compileExpr(value) }
    switch value.kind {
    case .command(let literal):
      let modifiers = literal.modifiers
      if modifiers.sudo || modifiers.local {
        let (word, option) = modifiers.sudo ? ("sudo", "sudo: true") : ("local", "locally: true")
        error(
          "'\(word)' cannot go with a command passed to '\(builtin.name)'", at: value.span,
          hint: builtin.name == "run"
            ? "write run(`…`, \(option))" : "drop '\(word)': the command is a value here")
      }
      let build = compileCommandPieces(literal.parts, span: value.span)
      return { frame in .command(CommandValue(try build(frame))) }
    case .string where commands == .commandsOnly:
      error(
        "'\(builtin.name)' takes a command, not a string: a string would run as raw shell",
        at: value.span,
        hint:
          "write a command literal (`ls ${dir}`: each interpolation quoted), or raw(\"…\") if raw shell is meant"
      )
      return compileExpr(value)
    default:
      return compileExpr(value)
    }
  }
}

/// The argument code of a positional call, evaluated into consecutive slots that hold nil
/// (so a value is written over them without releasing anything). The common counts have a
/// type each that holds the code in fields (an array would reabstract and retain it); call
/// code is specialized for each.
protocol PositionalArguments: Sendable {
  var count: Int { get }
  func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) throws
}

struct NoArguments: PositionalArguments {
  var count: Int { 0 }
  @inline(__always) func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) {}
}

struct OneArgument: PositionalArguments {
  let a: ExprCode
  var count: Int { 1 }
  @inline(__always)
  func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) throws {
    slots.initialize(to: try a(frame))
  }
}

struct TwoArguments: PositionalArguments {
  let a: ExprCode
  let b: ExprCode
  var count: Int { 2 }
  @inline(__always)
  func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) throws {
    slots.initialize(to: try a(frame))
    (slots + 1).initialize(to: try b(frame))
  }
}

struct ThreeArguments: PositionalArguments {
  let a: ExprCode
  let b: ExprCode
  let c: ExprCode
  var count: Int { 3 }
  @inline(__always)
  func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) throws {
    slots.initialize(to: try a(frame))
    (slots + 1).initialize(to: try b(frame))
    (slots + 2).initialize(to: try c(frame))
  }
}

struct ManyArguments: PositionalArguments {
  let codes: [ExprBox]
  var count: Int { codes.count }
  func evaluate(_ frame: Frame, into slots: UnsafeMutablePointer<Value>) throws {
    for index in codes.indices { (slots + index).initialize(to: try codes[index].run(frame)) }
  }
}
