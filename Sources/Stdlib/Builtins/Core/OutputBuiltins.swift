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
        body: { call in
          call.context.run.sink.emit(.print(try joined(call)))
          return .nil
        }),
      Builtin(
        "log", [.rest("values")],
        help: "Logs an informational line, tagged with the current host inside `on`.",
        body: { call in
          call.context.run.sink.emit(.log(try joined(call), host: call.context.currentHost?.name))
          return .nil
        }),
      Builtin(
        "warn", [.rest("values")],
        help: "Logs a warning line, tagged with the current host inside `on`.",
        body: { call in
          call.context.run.sink.emit(
            .warning(try joined(call), host: call.context.currentHost?.name))
          return .nil
        }),
      Builtin(
        "fail", [.req("message")],
        help: "Stops with an error of kind \"failure\" and this message (catchable with try).",
        body: { call in
          throw RuntimeError(try call.value(0).display, kind: .failure)
        }),
      Builtin(
        "assert", [.req("condition"), .opt("message", "nil")],
        help:
          "Fails with \"assertion failed: MESSAGE\" (kind \"assertion\") unless the condition is truthy.",
        body: { call in
          if try call.value(0).isTruthy { return .nil }
          var message = "assertion failed"
          if let detail = call.optionalValue(1) { message += ": " + detail.display }
          throw RuntimeError(message, kind: .assertion)
        }),
    ])

  /// The variadic values shown as `print` shows them, separated by spaces.
  static func joined(_ call: BuiltinCall) throws -> String {
    try call.rest(0).map(\.display).joined(separator: " ")
  }
}
