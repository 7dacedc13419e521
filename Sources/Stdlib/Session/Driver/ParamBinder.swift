import Interpreter
import Lexer

/// Matches the `param` declarations of a playbook with the values given from outside, before
/// anything runs. A problem with a declared param is a diagnostic at its declaration (exit
/// 2 with the place); an unknown `-p` name has no place in the source and is a message.
enum ParamBinder {
  /// What binding found: the typed values by name, and the problems.
  struct Outcome {
    /// The values given (defaults are the interpreter's to compute).
    var values: [String: Value] = [:]
    /// Missing or ill-typed params, at their declarations.
    var errors: [Diagnostic] = []
    /// Names given that the playbook does not declare.
    var unknown: [String] = []
  }

  /// Binds `given` to `declarations`.
  static func bind(declarations: [ParamDecl], given: [String: ParamInput]) -> Outcome {
    var outcome = Outcome()
    let declared = Set(declarations.map(\.name.text))
    for name in given.keys.sorted() where !declared.contains(name) {
      var message = "unknown param '\(name)'"
      if let hint = Suggest.hint(for: name, among: Array(declared)) {
        message += ": \(hint)"
      } else if !declared.isEmpty {
        message += "; the playbook declares: \(declared.sorted().joined(separator: ", "))"
      } else {
        message += "; the playbook declares no params"
      }
      outcome.unknown.append(message)
    }
    for decl in declarations {
      let name = decl.name.text
      guard let input = given[name] else {
        if decl.defaultValue == nil {
          let typeText = decl.type.map { " (\($0.rawValue))" } ?? ""
          outcome.errors.append(
            .error(
              "missing required param '\(name)'\(typeText)", at: decl.name.span,
              hint: "pass -p \(name)=VALUE, or give it in a --params file"))
        }
        continue
      }
      do {
        outcome.values[name] = try value(of: input, for: decl)
      } catch let error as RuntimeError {
        let span = decl.typeSpan.map { decl.name.span.to($0) } ?? decl.name.span
        outcome.errors.append(.error(error.message, at: span, hint: error.hint))
      } catch {
        outcome.errors.append(.error("param '\(name)': \(error)", at: decl.name.span))
      }
    }
    return outcome
  }

  /// The value `input` gives the param `decl` declares.
  static func value(of input: ParamInput, for decl: ParamDecl) throws -> Value {
    let name = decl.name.text
    switch input {
    case .text(let text):
      do {
        return try ParamTypes.parse(text, as: decl.type, name: name)
      } catch var error as RuntimeError {
        error.hint = error.hint ?? "given by -p \(name)=\(text)"
        throw error
      }
    case .value(let value):
      return try ParamTypes.coerce(value, to: decl.type, name: name)
    case .yaml(let value, let text):
      return try yamlValue(value, text: text, type: decl.type, name: name)
    }
  }

  /// A `--params` value, read by the YAML 1.2 core schema, as the declared type: no
  /// conversion between types except an int where a float is declared, and a string or
  /// secret keeps the scalar's text as written (`1.10`, `yes`).
  static func yamlValue(_ value: Value, text: String?, type: ParamType?, name: String) throws
    -> Value
  {
    guard let type else { return value }
    switch (type, value) {
    case (.string, .nil), (.secret, .nil):
      throw RuntimeError(
        "param '\(name)' has no value in the params file",
        hint: "write \(name): \"\" for an empty string")
    case (.string, _) where text != nil: return .string(text ?? "")
    case (.secret, _) where text != nil: return .secret(Secret(text ?? "", label: name))
    case (.int, .int), (.float, .float), (.bool, .bool), (.list, .list), (.map, .map):
      return value
    case (.float, .int(let i)): return .float(Double(i))
    case (.duration, .string(let s)):
      guard let duration = DurationText.parse(s) else {
        throw RuntimeError(
          "param '\(name)' must be a duration like 90s, 10m or 1h30m, got \(Value.quoted(s))")
      }
      return .duration(duration)
    case (.duration, .int(let i)):
      throw RuntimeError(
        "param '\(name)' must be a duration, got the number \(i)",
        hint: "give a unit in the params file: \(name): \(i)s")
    case (.bool, .string(let s)):
      throw RuntimeError(
        "param '\(name)' must be true or false, got the string \(Value.quoted(s))",
        hint: "YAML 1.2 reads yes, no, on and off as strings: write \(name): true or false")
    case (_, .string(let s)):
      let looksRight =
        switch type {
        case .int: Int(s) != nil
        case .float: Double(s) != nil
        default: false
        }
      throw RuntimeError(
        "param '\(name)' must be \(ParamTypes.described(type)), got the string \(Value.quoted(s))",
        hint: looksRight
          ? "a quoted scalar is a string in YAML: write \(name): \(s) without quotes" : nil)
    default:
      throw RuntimeError(
        "param '\(name)' must be \(ParamTypes.described(type)), got \(value.typeName)")
    }
  }
}
