import Lexer

/// Receives control around every step of a run being debugged (`haflow debug`,
/// `haflow run --debug-on-failure`). Set on `RunContext.debugger`; when it is nil a step costs
/// one extra nil check.
///
/// The calls come from the interpreter's thread (or a parallel branch's thread) and block it:
/// the debugger may read commands and evaluate input in the paused scope before it returns.
public protocol StepDebugger: AnyObject, Sendable {
  /// Before a step runs: `.run` it, `.skip` it (its value is nil) or `.stop` the run.
  func willRunStep(_ step: PausedStep) -> StepAction
  /// After a step finished without an error.
  func didFinishStep(_ step: PausedStep, value: Value, duration: Int64)
  /// After a step failed: `.run` retries it, `.skip` goes on with nil as its value, `.fail`
  /// lets the error stop the run, `.stop` stops the run as interrupted.
  func stepFailed(_ step: PausedStep, error: RuntimeError, duration: Int64) -> StepAction
}

/// What the debugger wants done with a step.
public enum StepAction: Sendable, Equatable {
  /// Run the step (again, after a failure).
  case run
  /// Do not run it; its value is nil.
  case skip
  /// Let the failure stop the run (after a failure only; before a step it means `.run`).
  case fail
  /// Stop the run now, as interrupted.
  case stop
}
