import Interpreter

/// `format(template, values…)`: `{}` placeholders filled in order, `{{` and `}}` escapes.
enum TextFormat {
  static func format(_ call: BuiltinCall) throws -> Value {
    let template = try call.string(0)
    let values = try call.rest(1)
    var builder = TextBuilder()
    var next = 0
    var chars = template.makeIterator()
    while let char = chars.next() {
      switch char {
      case "{":
        switch chars.next() {
        case "{": builder.append("{")
        case "}":
          if next < values.count { builder.append(values[next]) }
          next += 1
        default:
          throw call.badArgument(0, "'{' must be followed by '}' or '{'")
        }
      case "}":
        guard chars.next() == "}" else {
          throw call.badArgument(0, "single '}' in template; write '}}' for a brace")
        }
        builder.append("}")
      default: builder.append(String(char))
      }
    }
    if next != values.count {
      throw RuntimeError(
        "format template has \(next) placeholder\(next == 1 ? "" : "s") but \(values.count) value\(values.count == 1 ? " was" : "s were") given"
      )
    }
    return builder.value
  }
}
