import Interpreter

/// The `run(cmd, …)` built-in.
enum CommandRun {
  static func run(_ call: BuiltinCall) throws -> Value {
    let command = try commandValue(call)
    let locally = try call.optionalBool(7, default: false)
    let host = locally ? nil : call.context.currentHost
    if host == nil && !locally {
      throw RuntimeError(
        "run() has no host to run on: \(command.displayText)",
        hint: "call it inside 'on HOSTS { … }', or pass locally: true to run it here")
    }
    var secrets: [Secret] = []
    var environment: [String: String] = [:]
    for (name, value) in try call.optionalMap(2) {
      guard isVariableName(name) else {
        throw call.badArgument(2, "invalid environment variable name \(Value.quoted(name))")
      }
      switch value {
      case .secret(let secret):
        secrets.append(secret)
        environment[name] = secret.value
      case .string, .int, .float, .bool, .duration: environment[name] = value.display
      default:
        throw call.badArgument(2, "environment value \(Value.quoted(name)) is a \(value.typeName)")
      }
    }
    let stdin = try call.optionalText(4)
    if let secret = stdin?.secret { secrets.append(secret) }
    let timeout = try call.optionalDuration(5)
    if let timeout, timeout <= 0 { throw call.badArgument(5, "timeout must be positive") }
    let sudoPassword = try call.optionalSudoPassword(8)
    if let sudoPassword { secrets.append(sudoPassword) }
    let request = CommandRequest(
      command: command, host: host, sudo: try call.optionalBool(1, default: false),
      environment: environment, directory: try call.optionalString(3), stdin: stdin?.text,
      timeout: timeout, sudoPassword: sudoPassword)
    let check = try call.optionalBool(6, default: true)
    return .result(try execute(request, in: call.context.run, check: check, secrets: secrets))
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

  static func commandValue(_ call: BuiltinCall) throws -> CommandValue {
    let value = try call.value(0)
    switch value {
    case .command(let command): return command
    case .string(let s): return CommandValue([.raw(s)])
    case .secret(let s): return CommandValue([.secretRaw(s)])
    default: throw call.typeError(0, expected: "command or string", got: value)
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
