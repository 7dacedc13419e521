import Interpreter
import Lexer

/// One step as `haflow run --list-steps` shows it.
public struct StepListing: Sendable, Equatable {
  /// The name; nil when it is computed (`step "join ${h}"`).
  public var name: String?
  /// `on …` as written (nil: the step has no `on`).
  public var target: String?
  /// `file:line:col`.
  public var location: String
}

/// A command executor that runs nothing: `--list-hosts` evaluates the playbook's top level
/// (to learn each step's hosts) with every step left out, and no host is connected to.
public struct ListingExecutor: CommandExecutor {
  /// Makes one.
  public init() {}
  /// Refuses: listing runs no command.
  public func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    throw RuntimeError("--list-hosts runs no command (this one is outside any step)")
  }
}

/// A prober that probes nothing (`--list-hosts`): every port is reported unreachable.
public struct ListingProber: PortProber {
  /// Makes one.
  public init() {}
  /// Reports `unreachable` at once.
  public func probe(host: String, port: Int, timeout: Int64, cancellation: Cancellation)
    -> PortProbeReport
  {
    PortProbeReport(
      status: .unreachable, latency: 0, host: host, port: port, address: nil,
      message: "not probed: --list-hosts connects to nothing")
  }
}

extension Driver {
  /// The steps of a playbook, in source order, without running it (`--list-steps`).
  public func listSteps(path: String) -> (RunOutcome, [StepListing]) {
    let loader = SourceLoader()
    switch loader.load(path: path) {
    case .failure(let error):
      let outcome = RunOutcome(
        sources: loader.sources, diagnostics: [], usageErrors: [error.description])
      return (outcome, [])
    case .success(let program):
      let interpreter = Interpreter(run: makeContext(RunOptions(environment: [:])))
      let compiled = interpreter.compile(program, importer: loader.importer)
      let outcome = RunOutcome(
        sources: loader.sources,
        diagnostics: Diagnostic.inSourceOrder(loader.diagnostics + compiled.diagnostics),
        usageErrors: [])
      let sources = loader.sources
      let steps = interpreter.globalScope.steps.map { site in
        StepListing(
          name: site.name,
          target: site.target.flatMap { span in sources.file(of: span)?.text(of: span) },
          location: sources.location(of: site.span))
      }
      return (outcome, steps)
    }
  }
}
