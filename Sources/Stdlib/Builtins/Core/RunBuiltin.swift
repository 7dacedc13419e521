import Interpreter

/// The `run(cmd, …)` built-in: the handles of its arguments, resolved once when the table is
/// built, and the call that reads them.
struct CommandRun {
  let cmd: BuiltinArgument
  let sudo: BuiltinArgument
  let env: BuiltinArgument
  let cwd: BuiltinArgument
  let stdin: BuiltinArgument
  let timeout: BuiltinArgument
  let check: BuiltinArgument
  let locally: BuiltinArgument
  let sudoPassword: BuiltinArgument

  init(_ param: ParameterLookup) {
    cmd = param["cmd"]
    sudo = param["sudo"]
    env = param["env"]
    cwd = param["cwd"]
    stdin = param["stdin"]
    timeout = param["timeout"]
    check = param["check"]
    locally = param["locally"]
    sudoPassword = param["sudo_password"]
  }

  /// The body of `run`.
  static func body(_ param: ParameterLookup) -> Builtin.Body {
    let run = CommandRun(param)
    return { call in try run.run(call) }
  }

  func run(_ call: BuiltinCall) throws -> Value {
    let command = try commandValue(call)
    let locally = try call.optionalBool(self.locally, default: false)
    let host = locally ? nil : call.context.currentHost
    if host == nil && !locally {
      throw RuntimeError(
        "run() has no host to run on: \(command.displayText)",
        hint: "call it inside 'on HOSTS { … }', or pass locally: true to run it here")
    }
    var secrets: [Secret] = []
    var environment: [String: String] = [:]
    for (name, value) in try call.optionalMap(env) {
      guard Self.isVariableName(name) else {
        throw call.badArgument(env, "invalid environment variable name \(Value.quoted(name))")
      }
      switch value {
      case .secret(let secret):
        secrets.append(secret)
        environment[name] = secret.value
      case .string, .int, .float, .bool, .duration: environment[name] = value.display
      default:
        throw call.badArgument(
          env, "environment value \(Value.quoted(name)) is a \(value.typeName)")
      }
    }
    let input = try call.optionalText(stdin)
    if let secret = input?.secret { secrets.append(secret) }
    let limit = try call.optionalDuration(timeout)
    if let limit, limit <= 0 { throw call.badArgument(timeout, "timeout must be positive") }
    let password = try call.optionalSudoPassword(sudoPassword)
    if let password { secrets.append(password) }
    let request = CommandRequest(
      command: command, host: host, sudo: try call.optionalBool(sudo, default: false),
      environment: environment, directory: try call.optionalString(cwd), stdin: input?.text,
      timeout: limit, sudoPassword: password)
    let check = try call.optionalBool(self.check, default: true)
    return .result(
      try Self.execute(request, in: call.context.run, check: check, secrets: secrets))
  }

  /// Runs through `CommandExecution`, also redacting secrets that are not part of the command
  /// (secret environment values and stdin) from the streamed lines, the result and errors.
  static func execute(_ request: CommandRequest, in run: RunContext, check: Bool, secrets: [Secret])
    throws -> CommandResult
  {
    guard !secrets.isEmpty else { return try CommandExecution.run(request, in: run, check: check) }
    let redacting = run.replacingSink(RedactingSink(base: run.sink, secrets: secrets))
    do {
      var result = try CommandExecution.run(request, in: redacting, check: check)
      result.stdout = Redaction.redact(result.stdout, secrets: secrets)
      result.stderr = Redaction.redact(result.stderr, secrets: secrets)
      return result
    } catch var error as RuntimeError {
      error.message = Redaction.redact(error.message, secrets: secrets)
      if var result = error.result {
        result.stdout = Redaction.redact(result.stdout, secrets: secrets)
        result.stderr = Redaction.redact(result.stderr, secrets: secrets)
        error.result = result
      }
      throw error
    }
  }

  func commandValue(_ call: BuiltinCall) throws -> CommandValue {
    let value = try call.value(cmd)
    switch value {
    case .command(let command): return command
    case .string, .secret:
      throw call.badArgument(
        cmd, "command expected, got \(value.typeName): a \(value.typeName) would run as raw shell",
        hint:
          "write a command literal (`ls ${dir}`: each interpolation quoted), or raw(…) if raw shell is meant"
      )
    default: throw call.typeError(cmd, expected: "command", got: value)
    }
  }

  static func isVariableName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
    return name.unicodeScalars.allSatisfy { scalar in
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", "_": true
      default: false
      }
    }
  }
}
