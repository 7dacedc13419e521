import Foundation
import Interpreter

/// `type`, `len`, `str`, `repr`, `int`, `float` and `bool`.
enum ConversionBuiltins {
  static let family = BuiltinFamily(
    title: "Values and conversions",
    help: "Types, sizes and converting between kinds of values.",
    builtins: [
      Builtin(
        "type", [.req("value")],
        help:
          "The type name: nil, bool, int, float, string, duration, list, map, function, command, secret, host, result or module.",
        resolve: { param in
          let value = param["value"]
          return { call in .string(try call.value(value).typeName) }
        }),
      Builtin(
        "len", [.req("value")],
        help: "The number of items in a list or map, or of characters in a string or secret.",
        resolve: length),
      Builtin(
        "str", [.req("value")],
        help: "The value as text, as `print` shows it; a secret stays a secret.",
        resolve: { param in
          let value = param["value"]
          return { call in
            let given = try call.value(value)
            if case .secret = given { return given }
            return .string(given.display)
          }
        }),
      Builtin(
        "repr", [.req("value")],
        help: "The value as a literal: strings quoted, secrets redacted.",
        resolve: { param in
          let value = param["value"]
          return { call in .string(try call.value(value).repr) }
        }),
      Builtin(
        "int", [.req("value"), .opt("base", "10")],
        help:
          "An int from a string (in `base`), a float (truncated) or a bool; bad text is an error.",
        resolve: toInt),
      Builtin(
        "float", [.req("value")],
        help: "A float from an int, a string or a bool; bad text is an error.",
        resolve: toFloat),
      Builtin(
        "bool", [.req("value")],
        help:
          "Parses true/false, yes/no, on/off, 1/0 (and \"\" as false) from a string; other values by truthiness.",
        resolve: toBool),
    ])

  static func length(_ param: ParameterLookup) -> Builtin.Body {
    let argument = param["value"]
    return { call in
      let value = try call.value(argument)
      switch value {
      case .list(let items): return .int(items.count)
      case .map(let entries): return .int(entries.count)
      case .string(let s): return .int(s.count)
      case .secret(let s): return .int(s.value.count)
      case .result(let r): return .int(r.stdout.count)
      default: throw call.typeError(argument, expected: "list, map or string", got: value)
      }
    }
  }

  static func toInt(_ param: ParameterLookup) -> Builtin.Body {
    let (argument, baseArgument) = (param["value"], param["base"])
    return { call in
      let value = try call.value(argument)
      let base = try call.optionalInt(baseArgument)
      if let base, !(2...36).contains(base) {
        throw call.badArgument(baseArgument, "base must be between 2 and 36, got \(base)")
      }
      switch value {
      case .int where base == nil: return value
      case .float(let f) where base == nil:
        let truncated = f.rounded(.towardZero)
        guard truncated.isFinite, let i = Int(exactly: truncated) else {
          throw RuntimeError("cannot convert \(Value.formatFloat(f)) to int")
        }
        return .int(i)
      case .bool(let b) where base == nil: return .int(b ? 1 : 0)
      case .string, .result:
        let text = try call.string(argument)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let i = Int(trimmed, radix: base ?? 10) else {
          throw RuntimeError("invalid int: \(Value.quoted(text))")
        }
        return .int(i)
      case .duration:
        throw call.typeError(argument, expected: "string, float or bool", got: value)
          .withHint("use seconds(d) or milliseconds(d) to get a number from a duration")
      default:
        if base != nil { throw call.typeError(argument, expected: "string", got: value) }
        throw call.typeError(argument, expected: "string, float or bool", got: value)
      }
    }
  }

  static func toFloat(_ param: ParameterLookup) -> Builtin.Body {
    let argument = param["value"]
    return { call in
      let value = try call.value(argument)
      switch value {
      case .float: return value
      case .int(let i): return .float(Double(i))
      case .bool(let b): return .float(b ? 1 : 0)
      case .string, .result:
        let text = try call.string(argument)
        guard let f = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
          throw RuntimeError("invalid float: \(Value.quoted(text))")
        }
        return .float(f)
      case .duration:
        throw call.typeError(argument, expected: "string, int or bool", got: value)
          .withHint("use seconds(d) to get a number of seconds from a duration")
      default: throw call.typeError(argument, expected: "string, int or bool", got: value)
      }
    }
  }

  static func toBool(_ param: ParameterLookup) -> Builtin.Body {
    let argument = param["value"]
    return { call in
      let value = try call.value(argument)
      guard case .string(let text) = value else { return .bool(value.isTruthy) }
      switch text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
      case "true", "yes", "on", "1": return .bool(true)
      case "false", "no", "off", "0", "": return .bool(false)
      default: throw RuntimeError("invalid bool: \(Value.quoted(text))")
      }
    }
  }
}

extension RuntimeError {
  /// The same error with a hint.
  func withHint(_ hint: String) -> RuntimeError {
    var copy = self
    copy.hint = hint
    return copy
  }
}
