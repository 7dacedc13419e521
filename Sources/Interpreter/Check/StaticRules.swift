import Lexer

/// A problem a library rule finds before the run: an error (nothing runs) or a warning.
public struct StaticProblem: Sendable, Hashable {
  /// The message.
  public var message: String
  /// What to do about it.
  public var hint: String?
  /// A warning rather than an error.
  public var isWarning: Bool

  /// Makes a problem.
  public init(_ message: String, hint: String? = nil, isWarning: Bool = false) {
    self.message = message
    self.hint = hint
    self.isWarning = isWarning
  }
}

/// Knowledge of a tool the library adds to `haflow check` (and to the check at run start):
/// the interpreter hands each rule the literal text it can see — command literals, literal
/// arguments of built-in calls, the inventory groups a program names — and reports what the
/// rule finds. The kubeadm rules live in the standard library; the checker knows no tool.
public protocol StaticRule: Sendable {
  /// Problems in a command literal, its interpolations shown as `${…}`.
  func problems(inCommand text: String) -> [StaticProblem]
  /// Problems with a string literal passed as `parameter` of the built-in `builtin`.
  func problems(inArgument literal: String, parameter: String, of builtin: String)
    -> [StaticProblem]
  /// Problems with an inventory group the program names, and its size.
  func problems(inGroup name: String, hostCount: Int) -> [StaticProblem]
}

extension StaticRule {
  /// None.
  public func problems(inCommand text: String) -> [StaticProblem] { [] }
  /// None.
  public func problems(inArgument literal: String, parameter: String, of builtin: String)
    -> [StaticProblem]
  { [] }
  /// None.
  public func problems(inGroup name: String, hostCount: Int) -> [StaticProblem] { [] }
}

extension Compiler {
  /// Reports what the table's rules find in a command literal.
  func checkCommandRules(_ parts: [Interpolated], span: Span) {
    guard !table.staticRules.isEmpty else { return }
    let text = parts.map { part in
      if case .text(let piece) = part { return piece }
      return "${…}"
    }.joined()
    for rule in table.staticRules { report(rule.problems(inCommand: text), at: span) }
  }

  /// Reports what the table's rules find in a literal argument.
  func checkArgumentRules(_ value: Expr, parameter: String, of builtin: Builtin) {
    guard !table.staticRules.isEmpty, case .string(let parts) = value.kind,
      let text = literalText(parts)
    else { return }
    for rule in table.staticRules {
      report(
        rule.problems(inArgument: text, parameter: parameter, of: builtin.name), at: value.span)
    }
  }

  /// Reports what the table's rules find about a group of the inventory a literal names.
  func checkGroupRules(_ name: String, at span: Span) {
    guard !table.staticRules.isEmpty, let inventory = hostsToCheck else { return }
    let count = inventory.group(named: name).count
    guard count > 0 else { return }
    for rule in table.staticRules {
      report(rule.problems(inGroup: name, hostCount: count), at: span, once: true)
    }
  }

  private func report(_ problems: [StaticProblem], at span: Span, once: Bool = false) {
    for problem in problems {
      if once, diagnostics.contains(where: { $0.message == problem.message }) { continue }
      if problem.isWarning {
        warning(problem.message, at: span, hint: problem.hint)
      } else {
        error(problem.message, at: span, hint: problem.hint)
      }
    }
  }
}
