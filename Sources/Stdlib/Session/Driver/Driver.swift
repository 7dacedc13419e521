import Foundation
import Interpreter
import Lexer
import Stdlib

/// A `param` value as given from outside: text from `-p name=value`, a value from a
/// `--params` YAML file, or a value made by the embedding program.
public enum ParamInput: Sendable {
  /// `-p name=value`: converted to the declared type (`90s` for a duration, `a,b` a list).
  case text(String)
  /// A value made by a program: checked, and where harmless converted, like a default.
  case value(Value)
  /// From a params file, read by the YAML 1.2 core schema (`ParamsYAML`): `value` is typed
  /// by the scalar's tag (a quoted scalar is a string; `yes` is a string; `1.10` a float) and
  /// must fit the declared type; `text` is a scalar as written, which a `string` or `secret`
  /// param keeps (nil for lists and maps).
  case yaml(Value, text: String?)
}

/// What a run needs besides the playbook.
public struct RunOptions: Sendable {
  /// `param` values by name.
  public var params: [String: ParamInput]
  /// Environment variables visible to `env()`.
  public var environment: [String: String]
  /// The hosts.
  public var inventory: Inventory
  /// Called once the playbook is checked, before anything runs, with the static diagnostics
  /// (so warnings show before the run, not after it).
  public var onChecked: (@Sendable ([Diagnostic], SourceMap) -> Void)?
  /// Cancels the run from another thread (the CLI's Ctrl-C handler).
  public var cancellation: Cancellation
  /// Records the run's events (`--log-format json`, `--log FILE`, the recap); nil: none.
  public var events: RunEventLog?
  /// The steps to run (`--start-at`, `--only`, `--skip`); nil: all of them. A step name it
  /// gives that the playbook does not have stops the run before it starts (a usage error).
  public var selection: StepFilter?
  /// `--resume`: the past run whose completed steps are replayed, not run; nil: none.
  public var resume: ResumePlan?
  /// The run lock (`haflow run`): taken on each host the run connects to, released at the end;
  /// nil: no locks. Needs `events` (the lock's holder is the run `run_start` names).
  public var locks: RunLocks?
  /// The exit status a run stopped by a signal ends with (for the `run_end` event).
  public var interruptedStatus: @Sendable () -> Int32 = { 130 }
  /// Makes options.
  public init(
    params: [String: ParamInput] = [:],
    environment: [String: String] = ProcessInfo.processInfo.environment,
    inventory: Inventory = Inventory(), cancellation: Cancellation = Cancellation(),
    onChecked: (@Sendable ([Diagnostic], SourceMap) -> Void)? = nil
  ) {
    self.params = params
    self.environment = environment
    self.inventory = inventory
    self.cancellation = cancellation
    self.onChecked = onChecked
  }
}

/// The outcome of `check` or `run`: the sources read, static diagnostics, and the runtime error
/// if the run failed.
public struct RunOutcome: Sendable {
  /// Every file read, for rendering spans.
  public var sources: SourceMap
  /// Lexer, parser and checker diagnostics (errors and warnings), in source order.
  public var diagnostics: [Diagnostic]
  /// Unknown `-p` names, unreadable files: nothing ran.
  public var usageErrors: [String]
  /// Missing or ill-typed params and defaults, at their declarations: nothing ran (or, for a
  /// default computed at run time, nothing after it).
  public var paramErrors: [Diagnostic] = []
  /// The error that stopped the run, if any.
  public var runtimeError: RuntimeError?
  /// Whether the run began: it checked, its params bound and its steps were found
  /// (`run_start` came then); false when it was refused before.
  public var began = false

  /// 0 ok, 1 run failed, 2 usage (params, unreadable file), 4 a host locked by another run,
  /// 65 syntax or check errors.
  public var exitCode: Int32 {
    if !usageErrors.isEmpty || !paramErrors.isEmpty { return 2 }
    if diagnostics.contains(where: { $0.severity == .error }) { return 65 }
    if runtimeError?.kind == .locked { return 4 }
    if runtimeError != nil { return 1 }
    return 0
  }
}

/// Loads, checks and runs playbooks: the one entry point the CLI, the tests and the REPL use.
public struct Driver: Sendable {
  /// Where output goes.
  public let sink: any OutputSink
  /// What runs commands.
  public let executor: any CommandExecutor
  /// The built-ins.
  public let table: BuiltinTable
  /// TCP probes for `probe` and `wait_for_port`.
  public let prober: any PortProber

  /// Makes a driver; commands run locally unless another executor is given.
  public init(
    sink: any OutputSink, executor: (any CommandExecutor)? = nil,
    table: BuiltinTable = Stdlib.table, prober: any PortProber = PortProbes()
  ) {
    self.sink = sink
    self.executor = executor ?? LocalExecutor()
    self.table = table
    self.prober = prober
  }
}
