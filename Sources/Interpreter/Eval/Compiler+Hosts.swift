import Foundation
import Lexer

extension Compiler {
  func compileStep(_ step: StepExpr, span: Span) -> ExprCode {
    let nameCode = compileExpr(step.name)
    var literalName: String?
    defer {
      globals.stepSites.append(StepSite(name: literalName, span: span, target: step.target?.span))
    }
    if case .string(let parts) = step.name.kind,
      parts.allSatisfy({ if case .text = $0 { true } else { false } })
    {
      let literal = parts.map { part in
        if case .text(let text) = part { return text }
        return ""
      }.joined()
      literalName = literal
      if let first = globals.stepNames[literal] {
        error(
          "duplicate step name '\(literal)'", at: step.name.span,
          hint: "step names key progress, resume and breakpoints; make each one unique",
          notes: [.init("first used here", at: first)])
      } else {
        globals.stepNames[literal] = step.name.span
      }
    }
    let body: ExprCode
    var targetNames: (@Sendable (Frame) throws -> [String])?
    if let target = step.target {
      let (hostsCode, run) = compileOnClause(target, body: step.body)
      body = { frame in try run(frame, try hostsCode(frame)) }
      targetNames = { frame in
        let run = frame.state.run
        let hosts = try Hosts.resolve(try hostsCode(frame), run: run, span: target.span).hosts
        return hosts.filter { run.selection?.includes(host: $0.name) ?? true }.map(\.name)
      }
    } else {
      let codes = compileValueBlock(step.body, parallel: false, on: false)
      body = { frame in
        if case .returnValue(let value) = try codes(frame) { return value }
        return .nil
      }
    }
    let hostNames = targetNames
    let scope = StepScope(globals: globals, function: function)
    return { frame in
      let name = try nameCode(frame).display
      let sink = frame.state.run.sink
      let names = (try? hostNames?(frame)) ?? []
      if let reason = frame.state.run.selection?.skipReason(step: name) {
        sink.emit(.stepSkipped(name: name, hosts: names, reason: reason))
        return .nil
      }
      if let value = frame.state.run.selection?.replay(step: name) {
        sink.emit(.stepSkipped(name: name, hosts: names, reason: "--resume"))
        return value
      }
      if let debugger = frame.state.run.debugger {
        let paused = PausedStep(name: name, span: span, hosts: names, frame: frame, scope: scope)
        return try DebugStepRunner.run(paused, debugger: debugger, body: body)
      }
      sink.emit(.stepStarted(name: name, hosts: names))
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        let value = try body(frame)
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        sink.emit(
          .stepFinished(name: name, ok: true, duration: elapsed, message: nil, value: value))
        return value
      } catch let error as RuntimeError {
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        sink.emit(.stepFinished(name: name, ok: false, duration: elapsed, message: error.message))
        throw error
      }
    }
  }

  func compileOn(_ on: OnExpr, span: Span) -> ExprCode {
    let (hostsCode, run) = compileOnClause(on.target, body: on.body)
    return { frame in try run(frame, try hostsCode(frame)) }
  }

  /// Compiles a block whose value is its `return` or last expression, in its own scope.
  func compileValueBlock(_ block: Block, parallel: Bool, on: Bool) -> StmtCode {
    function.returnTargets.append(.step)
    function.loopBarriers.append(function.loopDepth)
    if parallel { function.parallelLevels.append(function.level + 1) }
    if on { onDepth += 1 }
    pushBlock()
    let codes = compileBodyWithValue(block.statements)
    popBlock()
    if on { onDepth -= 1 }
    if parallel { function.parallelLevels.removeLast() }
    function.loopBarriers.removeLast()
    function.returnTargets.removeLast()
    return codes
  }

  /// The hosts expression, and code that runs the body on each host.
  func compileOnClause(_ clause: OnClause, body: Block) -> (
    ExprCode, @Sendable (Frame, Value) throws -> Value
  ) {
    let hostsCode = compileExpr(clause.hosts)
    checkHostPatterns(clause.hosts)
    let isParallel = clause.parallel != nil
    var limitCode: ExprCode?
    var failFastCode: ExprCode?
    for argument in clause.parallel ?? [] {
      switch argument.label?.text {
      case "limit": limitCode = compileExpr(argument.value)
      case "fail_fast": failFastCode = compileExpr(argument.value)
      default:
        error(
          "'parallel' takes 'limit:' and 'fail_fast:'",
          at: argument.label?.span ?? argument.value.span)
      }
    }
    let codes = compileValueBlock(body, parallel: isParallel, on: true)
    let span = clause.span
    let limits = (limitCode, failFastCode)
    return (
      hostsCode,
      { frame, hostsValue in
        let resolved = try Hosts.resolve(hostsValue, run: frame.state.run, span: span)
        var hosts = resolved.hosts
        let single = resolved.single
        if let selection = frame.state.run.selection {
          hosts = hosts.filter { selection.includes(host: $0.name) }
        }
        if !isParallel {
          return try OnRunner.sequential(
            hosts, single: single, codes: codes, frame: frame, span: span)
        }
        var limit = max(1, hosts.count)
        if let code = limits.0 {
          let value = try code(frame)
          guard case .int(let n) = value, n >= 1 else {
            throw RuntimeError(
              "parallel limit must be an int of at least 1, got \(value.repr)", at: span)
          }
          limit = n
        }
        let failFast = try limits.1?(frame).isTruthy ?? false
        return try OnRunner.parallel(
          hosts, single: single, limit: limit, failFast: failFast, codes: codes, frame: frame,
          span: span)
      }
    )
  }

  func compileCommandLiteral(_ literal: CommandLiteral, span: Span) -> ExprCode {
    checkCommandHasHost(literal.modifiers, span: span)
    let build = compileCommandPieces(literal.parts, span: span)
    let modifiers = literal.modifiers
    return { frame in
      let pieces = try build(frame)
      return try Commands.run(CommandValue(pieces), modifiers: modifiers, frame: frame, span: span)
    }
  }

  /// Code that makes the pieces of a command literal: its text as written, each
  /// interpolation quoted for where it stands (bare, or inside the author's double quotes).
  /// An interpolation inside single quotes is an error: nothing can make it safe there.
  func compileCommandPieces(_ parts: [Interpolated], span: Span)
    -> @Sendable (Frame) throws
    -> [CommandPiece]
  {
    checkCommandRules(parts, span: span)
    var places = ShellPlace.places(of: parts).makeIterator()
    let compiled: [(String?, ExprCode?, Span, ShellPlace)] = parts.map { part in
      switch part {
      case .text(let text): return (text, nil, span, .bare)
      case .expr(let expr):
        let place = places.next() ?? .bare
        if place == .singleQuoted {
          error(
            "an interpolation inside single quotes cannot be quoted safely", at: expr.span,
            hint:
              "close the quotes around it ('text'${x}'more'), or use double quotes (\"text ${x}\")")
        }
        return (nil, compileExpr(expr), expr.span, place)
      }
    }
    return { frame in
      var pieces: [CommandPiece] = []
      for (text, code, partSpan, place) in compiled {
        if let text {
          pieces.append(.raw(text))
        } else if let code {
          pieces += try Commands.pieces(for: try code(frame), span: partSpan, place: place)
        }
      }
      return pieces
    }
  }

  func compileRunCommand(modifiers: CommandModifiers, operand: Expr, span: Span) -> ExprCode {
    checkCommandHasHost(modifiers, span: span)
    let code = compileExpr(operand)
    let word = modifiers.sudo ? "sudo" : "local"
    return { frame in
      let value = try code(frame)
      guard case .command(let command) = value else {
        throw RuntimeError(
          "'\(word)' needs a command, not \(value.typeName)", at: span,
          hint: "write \(word) `…`, or make a command with command(…) or raw(…)")
      }
      return try Commands.run(command, modifiers: modifiers, frame: frame, span: span)
    }
  }

  private func checkCommandHasHost(_ modifiers: CommandModifiers, span: Span) {
    if !modifiers.local && onDepth == 0 && functionDepth == 0 {
      error(
        "command outside 'on': it has no host to run on", at: span,
        hint:
          "put it inside 'on HOSTS { … }' or a step with 'on', or write 'local `…`' to run it here")
    }
  }
}
