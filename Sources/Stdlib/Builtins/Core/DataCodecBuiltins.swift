import Interpreter

/// The `json` and `yaml` modules.
enum DataCodecBuiltins {
  static let json = BuiltinFamily(
    title: "JSON", module: "json",
    help: "JSON text to values and back; objects keep their key order.",
    builtins: [
      Builtin(
        "json.encode", [.req("value"), .opt("indent", "false")],
        help: "JSON text; `indent: true` (2 spaces) or a number of spaces for pretty output.",
        resolve: { param in
          let (value, indentArgument) = (param["value"], param["indent"])
          return { call in
            var indent: Int?
            switch call.optionalValue(indentArgument) {
            case nil, .bool(false)?: indent = nil
            case .bool(true)?: indent = 2
            case .int(let n)? where (0...16).contains(n): indent = n
            case .int(let n)?:
              throw call.badArgument(indentArgument, "indent must be between 0 and 16, got \(n)")
            case let other?:
              throw call.typeError(indentArgument, expected: "bool or int", got: other)
            }
            return try JSONWriter.encode(try call.value(value), indent: indent)
          }
        }),
      Builtin(
        "json.decode", [.req("text")],
        help: "The value of JSON text: objects become maps, whole numbers ints, null nil.",
        resolve: { param in
          let text = param["text"]
          return { call in
            do {
              return try JSONParser.parse(try call.text(text).text)
            } catch let failure as JSONParser.Failure {
              throw RuntimeError(failure.message)
            }
          }
        }),
    ])

  static let yaml = BuiltinFamily(
    title: "YAML", module: "yaml",
    help: "YAML text to values and back; mappings keep their key order.",
    builtins: [
      Builtin(
        "yaml.encode", [.req("value")],
        help: "A YAML document (block style; text that would read back as another type is quoted).",
        resolve: { param in
          let value = param["value"]
          return { call in try YAMLCodec.encode(try call.value(value)) }
        }),
      Builtin(
        "yaml.decode", [.req("text")],
        help:
          "The value of a one-document YAML text (nil when empty); ints, floats, bools and null keep their types.",
        resolve: { param in
          let text = param["text"]
          return { call in try YAMLCodec.decode(try call.text(text).text) }
        }),
      Builtin(
        "yaml.decode_all", [.req("text")],
        help: "The documents of a multi-document YAML stream (separated by ---), as a list.",
        resolve: { param in
          let text = param["text"]
          return { call in .list(try YAMLCodec.decodeAll(try call.text(text).text)) }
        }),
    ])
}
