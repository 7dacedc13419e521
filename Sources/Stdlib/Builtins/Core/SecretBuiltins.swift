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
        resolve: { param in
          let (value, label) = (param["value"], param["label"])
          return { call in
            let text = try call.text(value)
            return .secret(
              Secret(text.text, label: try call.optionalString(label) ?? text.secret?.label))
          }
        }),
      Builtin(
        "reveal", [.req("secret")],
        help: "The real text of a secret (a plain string is returned as it is).",
        resolve: { param in
          let secret = param["secret"]
          return { call in .string(try call.text(secret).text) }
        }),
      Builtin(
        "env", [.req("name"), .opt("default", "nil")],
        help: "The environment variable of the haflow process, or the default when it is not set.",
        resolve: { param in
          let (name, fallback) = (param["name"], param["default"])
          return { call in
            if let value = call.context.run.environment[try call.string(name)] {
              return .string(value)
            }
            return call.optionalValue(fallback) ?? .nil
          }
        }),
    ])
}
