import Foundation
import Interpreter
import Lexer

/// Waiting for a condition and retrying a block: the two loops every recipe needs (an API
/// server that answers, a join that failed once), bounded and interruptible (Ctrl-C ends the
/// pause at once and is never retried).
enum RetryBuiltins {
  static let family = BuiltinFamily(
    title: "Waiting and retrying",
    help:
      "Bounded loops around a block: `wait_until` polls a condition, `retry` runs a block "
      + "again after a failure. Ctrl-C ends either at once.",
    builtins: [
      Builtin(
        "wait_until", [.req("condition"), .opt("timeout", "60s"), .opt("every", "1s")],
        help:
          "Calls `condition` every `every` until it returns a truthy value, and returns that "
          + "value; fails when `timeout` passes first. An error in the condition stops the wait.",
        resolve: { param in
          let (condition, timeout, every) = (param["condition"], param["timeout"], param["every"])
          return { call in
            let body = try call.function(condition)
            let limit = try call.optionalDuration(timeout) ?? 60_000_000_000
            let interval = try call.optionalDuration(every) ?? 1_000_000_000
            if limit < 0 { throw call.badArgument(timeout, "negative duration") }
            if interval <= 0 { throw call.badArgument(every, "the interval must be positive") }
            return try waitUntil(call, body, timeout: limit, every: interval)
          }
        }),
      Builtin(
        "retry", [.req("body"), .opt("times", "3"), .opt("delay", "1s")],
        help:
          "Calls `body` until it returns without an error, at most `times` times, pausing "
          + "`delay` after each failure; returns its value, or fails with the last error.",
        resolve: { param in
          let (body, times, delay) = (param["body"], param["times"], param["delay"])
          return { call in
            let block = try call.function(body)
            let attempts = try call.optionalInt(times) ?? 3
            let pause = try call.optionalDuration(delay) ?? 1_000_000_000
            guard (1...10_000).contains(attempts) else {
              throw call.badArgument(times, "times must be between 1 and 10000, got \(attempts)")
            }
            if pause < 0 { throw call.badArgument(delay, "negative duration") }
            return try retry(call, block, attempts: attempts, delay: pause)
          }
        }),
    ])

  /// Polls `body` on the monotonic clock until it is truthy or `timeout` has passed (one last
  /// try at the deadline).
  static func waitUntil(_ call: BuiltinCall, _ body: Function, timeout: Int64, every: Int64)
    throws -> Value
  {
    let cancellation = call.context.run.cancellation
    let start = DispatchTime.now().uptimeNanoseconds
    var tries = 0
    while true {
      try cancellation.check()
      let began = DispatchTime.now().uptimeNanoseconds
      let value = try call.call(body, [])
      tries += 1
      if value.isTruthy { return value }
      let now = DispatchTime.now().uptimeNanoseconds
      let elapsed = Int64(clamping: now &- start)
      if elapsed >= timeout {
        throw RuntimeError(
          "wait_until: the condition was still false after \(Value.formatDuration(timeout)) "
            + "(\(tries) \(tries == 1 ? "try" : "tries"))",
          hint: "give it longer with timeout:, or look at why the condition never holds")
      }
      let sinceTry = Int64(clamping: now &- began)
      try cancellation.sleep(nanoseconds: min(max(0, every - sinceTry), timeout - elapsed))
    }
  }

  /// Runs `body` up to `attempts` times; an interruption is never retried.
  static func retry(_ call: BuiltinCall, _ body: Function, attempts: Int, delay: Int64) throws
    -> Value
  {
    let cancellation = call.context.run.cancellation
    for attempt in 1...attempts {
      try cancellation.check()
      do {
        return try call.call(body, [])
      } catch var error as RuntimeError {
        if error.kind.endsTheRun || cancellation.isCancelled { throw error }
        if attempt == attempts {
          error.diagnostic.notes.append(
            Diagnostic.Note(
              "retry gave up after \(attempts) \(attempts == 1 ? "attempt" : "attempts")",
              at: call.span))
          throw error
        }
        try cancellation.sleep(nanoseconds: delay)
      }
    }
    throw RuntimeError("retry: no attempt ran")
  }
}
