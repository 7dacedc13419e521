import Lexer

/// Checks of what is known before the run from literals and `let` bindings: a member a
/// result does not have, a literal of the wrong kind for a built-in's parameter, a built-in
/// that needs a host called outside `on`, and (when the inventory is known, `check -i`) host
/// and group names that are not in it.
extension Compiler {
  /// The type `expr` has whenever it runs, when the checker can tell.
  func staticType(of expr: Expr) -> StaticType? {
    switch expr.kind {
    case .nilLiteral: return .nil
    case .bool: return .bool
    case .int: return .int
    case .float: return .float
    case .duration: return .duration
    case .string(let parts): return literalText(parts) == nil ? nil : .string
    case .command, .runCommand: return .result
    case .list, .range: return .list
    case .map: return .map
    case .function: return .function
    case .unary(.negate, let operand, _):
      let type = staticType(of: operand)
      return type == .int || type == .float || type == .duration ? type : nil
    case .name(let name):
      guard let (_, binding) = lookup(name.text) else { return nil }
      return binding?.staticType
    case .call(let callee, _):
      return staticBuiltin(callee)?.returns
    default:
      return nil
    }
  }

  /// The text of a string literal without interpolations.
  func literalText(_ parts: [Interpolated]) -> String? {
    var text = ""
    for part in parts {
      guard case .text(let piece) = part else { return nil }
      text += piece
    }
    return text
  }

  /// `.stdot` on a result.
  func checkMember(of base: Expr, _ name: Name) {
    guard staticType(of: base) == .result, !Access.resultMembers.contains(name.text) else {
      return
    }
    error(
      "a result has no member '\(name.text)'", at: name.span,
      hint: Suggest.hint(for: name.text, among: Access.resultMembers)
        ?? "members: " + Access.resultMembers.joined(separator: ", "))
  }

  /// The static checks of one call of `builtin`, its arguments bound to `targets`.
  func checkBuiltinCall(
    _ builtin: Builtin, _ arguments: [Argument], targets: [Int?], span: Span
  ) {
    for (argument, target) in zip(arguments, targets) {
      guard let target, builtin.parameters.indices.contains(target),
        builtin.parameters[target].kind != .variadic
      else { continue }
      checkArgumentRules(argument.value, parameter: builtin.parameters[target].name, of: builtin)
      guard let kind = builtin.parameters[target].expects else { continue }
      checkArgument(argument.value, kind, parameter: builtin.parameters[target].name, of: builtin)
    }
    guard case .enclosing(let unless) = builtin.hostUse, onDepth == 0, functionDepth == 0 else {
      return
    }
    if let unless, let index = builtin.parameters.firstIndex(where: { $0.name == unless }),
      let given = zip(arguments, targets).first(where: { $0.1 == index })?.0.value
    {
      guard case .bool(false) = given.kind else { return }
    }
    var hint =
      "put it inside 'on HOSTS { … }' or a step with 'on' ('on \"localhost\" { … }' is this machine)"
    if let unless { hint += ", or pass \(unless): true to run it here" }
    error("'\(builtin.name)' outside 'on': it has no host to work on", at: span, hint: hint)
  }

  private func checkArgument(
    _ value: Expr, _ kind: ArgumentKind, parameter: String, of builtin: Builtin
  ) {
    let what = "argument '\(parameter)' of '\(builtin.name)'"
    switch kind {
    case .duration:
      guard let type = staticType(of: value), type == .int || type == .float else { return }
      var hint = "durations are written with a unit: 2s, 500ms, 10m, 1h30m"
      if case .int(let n) = value.kind { hint = "durations are written with a unit: write \(n)s" }
      error("\(what) must be a duration, got \(type.rawValue)", at: value.span, hint: hint)
    case .octalMode:
      guard let type = staticType(of: value), type == .int || type == .float else { return }
      var hint = "write the mode as an octal string, like \"0644\""
      if case .int(let n) = value.kind, String(n).allSatisfy({ ("0"..."7").contains($0) }),
        String(n).count <= 4
      {
        let digits = String(n)
        hint =
          "write mode: \"\(digits.count < 4 ? "0" + digits : digits)\" (a number is read as decimal)"
      }
      error(
        "\(what) must be an octal string, got \(type.rawValue)", at: value.span, hint: hint)
    case .hostName:
      guard let inventory = hostsToCheck, case .string(let parts) = value.kind,
        let name = literalText(parts), inventory.host(named: name) == nil
      else { return }
      error(
        "unknown host '\(name)' in the inventory", at: value.span,
        hint: Suggest.hint(for: name, among: inventory.hosts.map(\.name))
          ?? "hosts: " + inventory.hosts.map(\.name).joined(separator: ", "))
    case .groupName:
      guard let inventory = hostsToCheck, case .string(let parts) = value.kind,
        let name = literalText(parts)
      else { return }
      checkGroupRules(name, at: value.span)
      guard inventory.group(named: name).isEmpty else { return }
      let groups = Self.groups(of: inventory)
      error(
        "unknown group '\(name)' in the inventory", at: value.span,
        hint: Suggest.hint(for: name, among: groups)
          ?? (groups.isEmpty
            ? "the inventory has no groups" : "groups: " + groups.joined(separator: ", ")))
    }
  }

  /// `on "workers,!cp1"`: each literal pattern of an `on` must name hosts of the inventory.
  func checkHostPatterns(_ hosts: Expr) {
    guard let inventory = hostsToCheck else { return }
    switch hosts.kind {
    case .string(let parts):
      guard let pattern = literalText(parts) else { return }
      checkGroupRules(pattern, at: hosts.span)
      do {
        _ = try HostSelector.select(pattern, in: inventory)
      } catch let problem as RuntimeError {
        error(problem.message, at: hosts.span, hint: problem.hint)
      } catch {
        return
      }
    case .list(let items):
      for item in items { checkHostPatterns(item) }
    default:
      return
    }
  }

  static func groups(of inventory: Inventory) -> [String] {
    var groups: [String] = []
    for group in inventory.hosts.flatMap(\.groups) where !groups.contains(group) {
      groups.append(group)
    }
    return groups
  }
}
