import Interpreter
import Lexer

/// Matches the `param` declarations of a playbook with the values given from outside, before
/// anything runs.
enum ParamBinder {
  /// The typed values by name, and one message per problem (missing, ill-typed, unknown).
  static func bind(declarations: [ParamDecl], given: [String: ParamInput]) -> (
    [String: Value], [String]
  ) {
    var values: [String: Value] = [:]
    var errors: [String] = []
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
      errors.append(message)
    }
    for decl in declarations {
      let name = decl.name.text
      let typeText = decl.type.map { " (\($0.rawValue))" } ?? ""
      guard let input = given[name] else {
        if decl.defaultValue == nil {
          errors.append("missing required param '\(name)'\(typeText): pass -p \(name)=VALUE")
        }
        continue
      }
      do {
        switch input {
        case .text(let text): values[name] = try ParamTypes.parse(text, as: decl.type, name: name)
        case .value(let value):
          values[name] = try ParamTypes.coerce(value, to: decl.type, name: name)
        }
      } catch let error as RuntimeError {
        errors.append(error.message)
      } catch {
        errors.append("param '\(name)': \(error)")
      }
    }
    return (values, errors)
  }
}
