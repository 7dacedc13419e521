import Foundation
import Interpreter
import Session
import TestSupport
import Testing

/// `wait_until` and `retry` end at once when the run is cancelled (Ctrl-C), in the middle of a
/// long pause, and an interruption is never retried.
@Suite struct WaitRetryInterruptTests {
  @Test(
    .timeLimit(.minutes(2)),
    arguments: [
      "wait_until(timeout: 1h, every: 10m) { false }",
      "retry(times: 100, delay: 10m) { fail(\"down\") }",
    ])
  func cancellingEndsTheWaitAtOnce(_ source: String) async throws {
    let cancellation = Cancellation()
    let options = RunOptions(environment: [:], cancellation: cancellation)
    let canceller = Thread {
      Thread.sleep(forTimeInterval: 0.3)
      cancellation.cancel()
    }
    canceller.start()
    let started = Date()
    let outcome = try await blocking {
      Driver(sink: RecordingSink()).run(source: source, name: "<test>", options: options)
    }
    let elapsed = Date().timeIntervalSince(started)
    #expect(
      outcome.runtimeError?.kind == .interrupted, "\(String(describing: outcome.runtimeError))")
    #expect(elapsed < 30, "took \(elapsed)s")
  }
}
