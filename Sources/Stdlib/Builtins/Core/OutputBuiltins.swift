import Interpreter

/// `print`, `log`, `warn`, `fail` and `assert`.
enum OutputBuiltins {
  static let family = BuiltinFamily(
    title: "Output and failure",
    help: "Printing, logging and stopping the run.",
    builtins: [
      Builtin(
        "print", [.rest("values")],
        help: "Prints the values separated by spaces: strings as they are, others as literals.",
        resolve: { param in
          let values = param["values"]
          return { call in
            call.context.run.sink.emit(.print(try joined(call, values)))
            return .nil
          }
        }),
      Builtin(
        "log", [.rest("values")],
        help: "Logs an informational line, tagged with the current host inside `on`.",
        resolve: { param in
          let values = param["values"]
          return { call in
            call.context.run.sink.emit(
              .log(try joined(call, values), host: call.context.currentHost?.name))
            return .nil
          }
        }),
      Builtin(
        "warn", [.rest("values")],
        help: "Logs a warning line, tagged with the current host inside `on`.",
        resolve: { param in
          let values = param["values"]
          return { call in
            call.context.run.sink.emit(
              .warning(try joined(call, values), host: call.context.currentHost?.name))
            return .nil
          }
        }),
      Builtin(
        "fail", [.req("message")],
        help: "Stops with an error of kind \"failure\" and this message (catchable with try).",
        resolve: { param in
          let message = param["message"]
          return { call in throw RuntimeError(try call.value(message).display, kind: .failure) }
        }),
      Builtin(
        "assert", [.req("condition"), .opt("message", "nil")],
        help:
          "Fails with \"assertion failed: MESSAGE\" (kind \"assertion\") unless the condition is truthy.",
        resolve: { param in
          let (condition, message) = (param["condition"], param["message"])
          return { call in
            if try call.value(condition).isTruthy { return .nil }
            var text = "assertion failed"
            if let detail = call.optionalValue(message) { text += ": " + detail.display }
            throw RuntimeError(text, kind: .assertion)
          }
        }),
    ])

  /// The variadic values shown as `print` shows them, separated by spaces.
  static func joined(_ call: BuiltinCall, _ values: BuiltinArgument) throws -> String {
    try call.rest(values).map(\.display).joined(separator: " ")
  }
}
