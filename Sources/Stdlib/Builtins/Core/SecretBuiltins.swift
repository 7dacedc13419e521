import Interpreter

/// Secrets and the environment.
enum SecretBuiltins {
  static let family = BuiltinFamily(
    title: "Secrets and environment",
    help: "Secrets are shown as `<secret LABEL>` in output, logs, errors and command lines.",
    builtins: [
      Builtin(
        "secret", [.req("value"), .opt("label", "nil")],
        help: "Wraps text as a secret, shown as `<secret LABEL>` (or `<secret>`) everywhere.",
        body: { call in
          let text = try call.text(0)
          let label = try call.optionalString(1) ?? text.secret?.label
          return .secret(Secret(text.text, label: label))
        }),
      Builtin(
        "reveal", [.req("secret")],
        help: "The real text of a secret (a plain string is returned as it is).",
        body: { call in .string(try call.text(0).text) }),
      Builtin(
        "env", [.req("name"), .opt("default", "nil")],
        help: "The environment variable of the haflow process, or the default when it is not set.",
        body: { call in
          let name = try call.string(0)
          if let value = call.context.run.environment[name] { return .string(value) }
          return call.optionalValue(1) ?? .nil
        }),
    ])
}
