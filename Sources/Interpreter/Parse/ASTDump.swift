import Lexer

/// A compact S-expression dump of the AST for tests and debugging, e.g. `(let x (+ 1 (* 2 3)))`.
///
/// Names print bare, literals as written (`"s"`, `1.5`, `2s`, `nil`), blocks as `{…}` and
/// everything else as `(head operands…)`:
/// `(call f 1 limit:2)`, `(index a i)`, `(slice a 1 ... _)`, `(. a b)`, `(? c a b)`,
/// `(list 1 2)`, `(map ("k" v))`, `(fn name (a b=1) {…})`, `(step "s" (on h parallel) {…})`,
/// `(cmd sudo \`x\`)` for a command literal with modifiers, `(run sudo x)` for `sudo` on a value.
public enum ASTDump {
  /// The statements of a program, one per line.
  public static func dump(_ program: Program) -> String {
    program.statements.map { dump($0) }.joined(separator: "\n")
  }

  /// One statement.
  public static func dump(_ statement: Stmt) -> String {
    switch statement.kind {
    case .expression(let expr):
      return dump(expr)
    case .binding(let name, let value, let mutable):
      let head = mutable ? "var" : "let"
      return value.map { "(\(head) \(name.text) \(dump($0)))" } ?? "(\(head) \(name.text))"
    case .function(let decl):
      return function(decl)
    case .param(let decl):
      var text = "(param \(decl.name.text)"
      if let type = decl.type { text += ":\(type.rawValue)" }
      if let value = decl.defaultValue { text += " \(dump(value))" }
      return text + ")"
    case .importFile(let path, _):
      return "(import \(quoted(path)))"
    case .assign(let target, let op, let value):
      return "(\(op.rawValue) \(dump(target)) \(dump(value)))"
    case .ifElse(let condition, let then, let otherwise):
      let rest = otherwise.map { " " + dump($0) } ?? ""
      return "(if \(dump(condition)) \(dump(then))\(rest))"
    case .forIn(let names, let iterable, let body):
      let list = names.map(\.text).joined(separator: " ")
      return "(for (\(list)) \(dump(iterable)) \(dump(body)))"
    case .whileLoop(let condition, let body):
      return "(while \(dump(condition)) \(dump(body)))"
    case .breakLoop:
      return "(break)"
    case .continueLoop:
      return "(continue)"
    case .returnValue(let value):
      return value.map { "(return \(dump($0)))" } ?? "(return)"
    case .tryCatch(let body, let errorName, let handler):
      let name = errorName.map { " \($0.text)" } ?? ""
      return "(try \(dump(body)) catch\(name) \(dump(handler)))"
    }
  }

  /// A block: `{s1 s2}`.
  public static func dump(_ block: Block) -> String {
    "{" + block.statements.map { dump($0) }.joined(separator: " ") + "}"
  }

  /// One expression.
  public static func dump(_ expr: Expr) -> String {
    switch expr.kind {
    case .nilLiteral: return "nil"
    case .bool(let value): return value ? "true" : "false"
    case .int(let value): return String(value)
    case .float(let value): return String(value)
    case .duration(let nanoseconds): return duration(nanoseconds)
    case .string(let parts): return interpolated(parts, quote: "\"")
    case .command(let literal):
      let text = interpolated(literal.parts, quote: "`")
      let modifiers = self.modifiers(literal.modifiers)
      return modifiers.isEmpty ? text : "(cmd\(modifiers) \(text))"
    case .runCommand(let modifiers, let operand):
      return "(run\(self.modifiers(modifiers)) \(dump(operand)))"
    case .name(let name): return name.text
    case .list(let elements): return "(list" + elements.map { " " + dump($0) }.joined() + ")"
    case .map(let entries):
      return "(map" + entries.map { " (\(dump($0.key)) \(dump($0.value)))" }.joined() + ")"
    case .unary(let op, let operand, _): return "(\(op.rawValue) \(dump(operand)))"
    case .binary(let op, let left, let right, _):
      let head = op == .notIn ? "not-in" : op.rawValue
      return "(\(head) \(dump(left)) \(dump(right)))"
    case .call(let callee, let arguments):
      return "(call \(dump(callee))" + arguments.map { " " + argument($0) }.joined() + ")"
    case .index(let base, let index): return "(index \(dump(base)) \(dump(index)))"
    case .slice(let base, let lower, let upper, let closed):
      let bound = { (bound: Expr?) in bound.map { dump($0) } ?? "_" }
      let op = closed ? "..." : "..<"
      return "(slice \(dump(base)) \(bound(lower)) \(op) \(bound(upper)))"
    case .member(let base, let name): return "(. \(dump(base)) \(name.text))"
    case .function(let decl): return function(decl)
    case .range(let lower, let upper, let closed):
      return "(\(closed ? "..." : "..<") \(dump(lower)) \(dump(upper)))"
    case .conditional(let condition, let then, let otherwise):
      return "(? \(dump(condition)) \(dump(then)) \(dump(otherwise)))"
    case .step(let step):
      let target = step.target.map { " " + onClause($0) + ")" } ?? ""
      return "(step \(dump(step.name))\(target) \(dump(step.body)))"
    case .on(let on):
      return onClause(on.target) + " \(dump(on.body)))"
    }
  }

  private static func function(_ decl: FunctionDecl) -> String {
    let parameters = decl.parameters.map { parameter in
      parameter.defaultValue.map { "\(parameter.name.text)=\(dump($0))" } ?? parameter.name.text
    }
    let name = decl.name.map { " " + $0.text } ?? ""
    return "(fn\(name) (\(parameters.joined(separator: " "))) \(dump(decl.body)))"
  }

  /// `(on HOSTS [parallel args…]` without the closing parenthesis.
  private static func onClause(_ clause: OnClause) -> String {
    var text = "(on \(dump(clause.hosts))"
    if let arguments = clause.parallel {
      text += " parallel" + arguments.map { " " + argument($0) }.joined()
    }
    return text
  }

  private static func argument(_ argument: Argument) -> String {
    argument.label.map { "\($0.text):\(dump(argument.value))" } ?? dump(argument.value)
  }

  private static func modifiers(_ modifiers: CommandModifiers) -> String {
    (modifiers.local ? " local" : "") + (modifiers.sudo ? " sudo" : "")
  }

  private static func interpolated(_ parts: [Interpolated], quote: Character) -> String {
    var text = String(quote)
    for part in parts {
      switch part {
      case .text(let value): text += escaped(value, quote: quote)
      case .expr(let expr): text += "${\(dump(expr))}"
      }
    }
    text.append(quote)
    return text
  }

  private static func quoted(_ text: String) -> String {
    "\"" + escaped(text, quote: "\"") + "\""
  }

  private static func escaped(_ text: String, quote: Character) -> String {
    var out = ""
    for character in text {
      switch character {
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "$": out += "\\$"
      case quote: out += "\\" + String(quote)
      default: out.append(character)
      }
    }
    return out
  }

  /// Nanoseconds as the largest units that divide them: `1h30m`, `500ms`, `0s`.
  private static func duration(_ nanoseconds: Int64) -> String {
    if nanoseconds == 0 { return "0s" }
    let units: [(String, Int64)] = [
      ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("m", 60_000_000_000),
      ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000), ("ns", 1),
    ]
    var rest = nanoseconds.magnitude
    var text = nanoseconds < 0 ? "-" : ""
    for (unit, size) in units where rest >= size.magnitude {
      text += "\(rest / size.magnitude)\(unit)"
      rest %= size.magnitude
    }
    return text
  }
}
