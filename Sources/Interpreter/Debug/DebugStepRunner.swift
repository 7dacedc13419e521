import Foundation
import Lexer

/// Runs a step under a `StepDebugger`: asks before it runs, reports how it ended, and runs it
/// again or skips it when the debugger says so. Only used when a debugger is attached.
enum DebugStepRunner {
  /// More attempts than anyone retries by hand; bounds the retry loop.
  static let attemptLimit = 10_000

  static func run(
    _ paused: PausedStep, debugger: any StepDebugger, body: (Frame) throws -> Value
  ) throws -> Value {
    let sink = paused.run.sink
    defer { paused.isLive = false }
    var action = debugger.willRunStep(paused)
    for _ in 0..<attemptLimit {
      switch action {
      case .skip: return .nil
      case .stop: throw stopped(paused)
      case .run, .fail: break
      }
      paused.attempts += 1
      sink.emit(.stepStarted(name: paused.name, hosts: paused.hosts))
      let start = DispatchTime.now().uptimeNanoseconds
      do {
        let value = try body(paused.frame)
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        sink.emit(
          .stepFinished(
            name: paused.name, ok: true, duration: elapsed, message: nil, value: value))
        debugger.didFinishStep(paused, value: value, duration: elapsed)
        return value
      } catch let error as RuntimeError {
        let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - start)
        sink.emit(
          .stepFinished(name: paused.name, ok: false, duration: elapsed, message: error.message))
        // The debugger pauses here: a Ctrl-C that stopped the step has done its work, and
        // whatever the operator does next (retry, evaluate) starts uncancelled.
        paused.run.cancellation.reset()
        action = debugger.stepFailed(paused, error: error, duration: elapsed)
        if action == .fail { throw error }
      }
    }
    throw RuntimeError(
      "step \"\(paused.name)\" was attempted \(attemptLimit) times", at: paused.span)
  }

  static func stopped(_ paused: PausedStep) -> RuntimeError {
    RuntimeError(
      "stopped in the debugger at step \"\(paused.name)\"", kind: .interrupted, at: paused.span)
  }
}
