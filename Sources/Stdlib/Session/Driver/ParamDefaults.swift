import Interpreter
import Lexer
import OrderedCollections

/// Type-checks `param` defaults before anything runs: a default written as a literal
/// (`param replicas: int = "three"`) is converted as the run would convert it, and a value it
/// cannot take is an error at the default, for `check` and `run` alike. A default computed at
/// run time (`= env("N")`) that does not fit is the same error when the run reaches it.
enum ParamDefaults {
  /// The literal defaults that do not fit their declared types.
  static func check(_ declarations: [ParamDecl]) -> [Diagnostic] {
    declarations.compactMap { decl in
      guard decl.type != nil, let expression = decl.defaultValue,
        let value = constant(expression)
      else { return nil }
      do {
        _ = try ParamTypes.coerce(value, to: decl.type, name: decl.name.text)
        return nil
      } catch let error as RuntimeError {
        return diagnostic(error.message, decl: decl, at: expression.span)
      } catch {
        return diagnostic("\(error)", decl: decl, at: expression.span)
      }
    }
  }

  /// A run-time error raised while a default was converted (the interpreter places it on the
  /// default), as a param error; nil for any other error.
  static func problem(_ error: RuntimeError, declarations: [ParamDecl]) -> Diagnostic? {
    guard error.kind == .error, error.stack.isEmpty,
      let decl = declarations.first(where: { $0.defaultValue?.span == error.span })
    else { return nil }
    return diagnostic(error.message, decl: decl, at: error.span)
  }

  private static func diagnostic(_ message: String, decl: ParamDecl, at span: Span) -> Diagnostic {
    let name = decl.name.text
    let type = decl.type.map { ": \($0.rawValue)" } ?? ""
    return .error(
      message, at: span,
      hint: "this default is used when no value is given: make it fit 'param \(name)\(type)'")
  }

  /// The value of an expression made only of literals, or nil.
  static func constant(_ expression: Expr) -> Value? {
    switch expression.kind {
    case .nilLiteral: return .nil
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let f): return .float(f)
    case .duration(let d): return .duration(d)
    case .string(let parts):
      var text = ""
      for part in parts {
        guard case .text(let piece) = part else { return nil }
        text += piece
      }
      return .string(text)
    case .list(let items):
      var values: [Value] = []
      for item in items {
        guard let value = constant(item) else { return nil }
        values.append(value)
      }
      return .list(values)
    case .map(let entries):
      var values = OrderedDictionary<String, Value>()
      for entry in entries {
        guard case .string(let key)? = constant(entry.key), let value = constant(entry.value)
        else { return nil }
        values[key] = value
      }
      return .map(values)
    case .unary(.negate, let operand, _):
      switch constant(operand) {
      case .int(let i)?: return i == Int.min ? nil : .int(-i)
      case .float(let f)?: return .float(-f)
      default: return nil
      }
    default:
      return nil
    }
  }
}
