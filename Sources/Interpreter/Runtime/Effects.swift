import Lexer

/// Something the run reports: printed text, log lines, progress. Only the CLI renders them.
public enum OutputEvent: Sendable {
  /// `print(…)`: plain text to standard output.
  case print(String)
  /// `log(…)`: an informational line, with the host when inside `on`.
  case log(String, host: String?)
  /// `warn(…)` or a static-check warning at run time.
  case warning(String, host: String?)
  /// A step began, on these hosts (empty: no `on`).
  case stepStarted(name: String, hosts: [String])
  /// A step ended; `value` is what it returned when it succeeded (the run journal keeps it).
  case stepFinished(name: String, ok: Bool, duration: Int64, message: String?, value: Value? = nil)
  /// A command is about to run; the text has secrets redacted.
  case commandStarted(host: String, command: String)
  /// A line of a running command's output, secrets redacted.
  case commandOutput(host: String, line: String, isError: Bool)
  /// A command ended.
  case commandFinished(host: String, exitStatus: Int, duration: Int64)
  /// An `on` body ended on one host (nanoseconds): the per-host outcome a recap counts.
  case hostFinished(host: String, ok: Bool, duration: Int64, message: String?)
  /// A step did not run because the run's `StepSelection` left it out (`--skip`, …).
  case stepSkipped(name: String, hosts: [String], reason: String)
}

/// Which steps a run runs (`haflow run --start-at/--only/--skip`). Asked once per step, in
/// order, before it starts; a step left out is not run and its value is nil.
public protocol StepSelection: Sendable {
  /// Nil to run the step, else why it is left out (`"--skip"`).
  func skipReason(step: String) -> String?
  /// Whether `on` runs on `host` (`--limit`): hosts it leaves out are dropped from every
  /// `on` target, as if the pattern had not named them.
  func includes(host: String) -> Bool
  /// The value to use instead of running `step` (`--resume`: what it returned in the run
  /// resumed), or nil to run it. Asked once per step that is not left out, in order.
  func replay(step: String) -> Value?
}

extension StepSelection {
  /// Runs every step: nothing is replayed.
  public func replay(step: String) -> Value? { nil }
}

/// Receives the run's output events. Implementations must be thread-safe: parallel hosts emit
/// from several threads.
public protocol OutputSink: Sendable {
  /// Handles one event.
  func emit(_ event: OutputEvent)
}

/// Drops every event: for output that is kept in the result but not shown live.
public struct DiscardingSink: OutputSink {
  /// Makes one.
  public init() {}
  /// Ignores the event.
  public func emit(_ event: OutputEvent) {}
}

/// A command to run, with its options.
public struct CommandRequest: Sendable {
  /// The command.
  public var command: CommandValue
  /// The host; nil or a host whose connection is `local` runs on the controller.
  public var host: Host?
  /// Run through `sudo -n`.
  public var sudo: Bool
  /// Extra environment variables.
  public var environment: [String: String]
  /// Working directory.
  public var directory: String?
  /// Text fed to standard input.
  public var stdin: String?
  /// Nanoseconds; nil for no limit.
  public var timeout: Int64?
  /// The password sudo asks for (fed on standard input, never logged); nil: `sudo -n`, which
  /// fails with a clear message when sudo wants a password.
  public var sudoPassword: Secret?

  /// Makes a request.
  public init(
    command: CommandValue, host: Host?, sudo: Bool = false, environment: [String: String] = [:],
    directory: String? = nil, stdin: String? = nil, timeout: Int64? = nil,
    sudoPassword: Secret? = nil
  ) {
    self.command = command
    self.host = host
    self.sudo = sudo
    self.environment = environment
    self.directory = directory
    self.stdin = stdin
    self.timeout = timeout
    self.sudoPassword = sudoPassword
  }
}

/// Runs commands on hosts. The interpreter knows only this protocol; the session layer
/// implements it over SSH and local processes.
public protocol CommandExecutor: Sendable {
  /// Runs a command to completion, streaming lines to `sink`, and returns its result. Throws
  /// only when it could not run at all (connection refused, unknown host, …).
  func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult
  /// Gets ready to run commands on `hosts` (opens their connections, in parallel) and returns
  /// the hosts that cannot be reached, by name, with why. `on` calls it before its body runs.
  func prepare(_ hosts: [Host]) -> [String: RuntimeError]
}

extension CommandExecutor {
  /// Nothing to prepare: every host is reachable.
  public func prepare(_ hosts: [Host]) -> [String: RuntimeError] { [:] }
}

/// The state and effects of one run, shared by the interpreter and the built-ins.
public final class RunContext: Sendable {
  /// Where output goes: every event passes through `secrets` first.
  public let sink: any OutputSink
  /// What runs commands.
  public let executor: any CommandExecutor
  /// The hosts known to the run.
  public let inventory: Inventory
  /// The built-in table.
  public let builtins: BuiltinTable
  /// `param` values given on the command line or in a params file, as text or decoded YAML.
  public let params: [String: Value]
  /// Environment variables visible to `env()`.
  public let environment: [String: String]
  /// The step debugger, when the run is debugged (`haflow debug`); nil otherwise.
  public let debugger: (any StepDebugger)?
  /// TCP probes from this machine (`probe`, `wait_for_port`); nil: the run cannot probe.
  public let prober: (any PortProber)?
  /// Cancels the evaluation from another thread (Ctrl-C, SIGTERM).
  public let cancellation: Cancellation
  /// Every secret value the run knows, redacted from its output, results and errors.
  public let secrets: SecretRegistry
  /// The steps to run; nil: all of them.
  public let selection: (any StepSelection)?

  /// Makes a run context; its sink redacts `secrets` (which start with the secret params).
  public init(
    sink: any OutputSink, executor: any CommandExecutor, inventory: Inventory = Inventory(),
    builtins: BuiltinTable, params: [String: Value] = [:], environment: [String: String] = [:],
    debugger: (any StepDebugger)? = nil, prober: (any PortProber)? = nil,
    cancellation: Cancellation = Cancellation(), secrets: SecretRegistry = SecretRegistry(),
    selection: (any StepSelection)? = nil
  ) {
    self.selection = selection
    for value in params.values { secrets.register(secretsIn: value) }
    self.debugger = debugger
    self.prober = prober
    self.cancellation = cancellation
    self.sink = RedactingSink(base: sink, registry: secrets)
    self.executor = executor
    self.inventory = inventory
    self.builtins = builtins
    self.params = params
    self.environment = environment
    self.secrets = secrets
  }

  /// A copy of `run` whose sink is `sink`, used as it is (it already redacts).
  private init(_ run: RunContext, sink: any OutputSink) {
    self.selection = run.selection
    self.debugger = run.debugger
    self.prober = run.prober
    self.cancellation = run.cancellation
    self.sink = sink
    self.executor = run.executor
    self.inventory = run.inventory
    self.builtins = run.builtins
    self.params = run.params
    self.environment = run.environment
    self.secrets = run.secrets
  }
}

extension RunContext {
  /// The same run with its output going to `sink`, which should pass events on to this run's
  /// sink (a built-in that redacts more secrets wraps it).
  public func replacingSink(_ sink: any OutputSink) -> RunContext {
    RunContext(self, sink: sink)
  }
}

/// The hosts and groups of a run.
public struct Inventory: Sendable {
  /// Hosts by name, in the order they were declared.
  public var hosts: [Host]
  /// Makes an inventory.
  public init(hosts: [Host] = []) { self.hosts = hosts }
  /// A host by name.
  public func host(named name: String) -> Host? { hosts.first { $0.name == name } }
  /// The hosts of a group, in declaration order.
  public func group(named name: String) -> [Host] { hosts.filter { $0.groups.contains(name) } }
}

/// The built-in table: every built-in and module, by qualified name.
public struct BuiltinTable: Sendable {
  /// All entries, in registration order.
  public private(set) var entries: [Builtin] = []
  /// Module names (`kubeadm`) and their one-line help.
  public private(set) var modules: [(name: String, help: String)] = []
  private var indexByName: [String: Int] = [:]
  /// What the library knows of secrets in commands' output (`kubeadm` prints bootstrap tokens
  /// and certificate keys): each scanner that applies to a command registers what it finds
  /// before the line is shown (see `CommandExecution`).
  public var outputScanners: [any OutputSecretScanner] = []
  /// What the library checks before the run in command literals, literal arguments and the
  /// inventory's groups (see `StaticRule`).
  public var staticRules: [any StaticRule] = []
  /// What the library knows of tools' failures: a failed command one applies to gets its
  /// explanation in the error (see `CommandFailureExplainer`).
  public var failureExplainers: [any CommandFailureExplainer] = []

  /// An empty table.
  public init() {}

  /// Adds built-ins; a qualified name `m.f` needs `addModule("m")` first.
  public mutating func add(_ builtins: [Builtin]) {
    for builtin in builtins {
      indexByName[builtin.name] = entries.count
      entries.append(builtin)
    }
  }

  /// Records `facts` on the entries they name (see `BuiltinFacts`).
  public mutating func apply(_ facts: BuiltinFacts) {
    for index in entries.indices {
      let name = entries[index].name
      if let unless = facts.hostBound[name] { entries[index].hostUse = .enclosing(unless: unless) }
      if let type = facts.returns[name] { entries[index].returns = type }
      for parameter in entries[index].parameters.indices {
        let parameterName = entries[index].parameters[parameter].name
        let kind = facts.arguments[name]?[parameterName] ?? facts.parameterKinds[parameterName]
        if let kind { entries[index].parameters[parameter].expects = kind }
      }
    }
  }

  /// Declares a module namespace.
  public mutating func addModule(_ name: String, help: String) {
    modules.append((name, help))
  }

  /// A built-in by qualified name.
  public func lookup(_ name: String) -> Builtin? { indexByName[name].map { entries[$0] } }

  /// Whether a top-level name is a built-in function or a module.
  public func isGlobal(_ name: String) -> Bool {
    indexByName[name] != nil || modules.contains { $0.name == name }
  }

  /// The members of a module, in registration order.
  public func members(of module: String) -> [Builtin] {
    entries.filter { $0.name.hasPrefix(module + ".") }
  }

  /// The global names: top-level built-ins and modules (for "did you mean" and completion).
  public var globalNames: [String] {
    entries.filter { !$0.name.contains(".") }.map(\.name) + modules.map(\.name)
  }
}
