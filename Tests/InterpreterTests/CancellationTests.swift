import Foundation
import Lexer
import Synchronization
import Testing

@testable import Interpreter

/// Runs blocking work on a thread of its own, without blocking one of Swift Testing's
/// cooperative threads.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
  await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
    let thread = Thread { continuation.resume(returning: work()) }
    thread.stackSize = 16 << 20
    thread.start()
  }
}

/// How a cancelled evaluation ended.
struct Interruption: Sendable {
  /// The error it ended with; nil when it ended without one, or did not end in time.
  var error: RuntimeError?
  /// Whether it ended within the time allowed after the cancellation.
  var ended: Bool
  /// Seconds from `cancel()` to the end of the evaluation.
  var seconds: Double
}

/// Starts `code` on its own thread, cancels the run after `delay` seconds, and waits at most
/// `limit` seconds more for the evaluation to end.
func cancel(
  _ code: CompiledProgram, in interpreter: Interpreter, after delay: Double, limit: Double = 10
) async -> Interruption {
  await onOwnThread {
    let done = DispatchSemaphore(value: 0)
    let outcome = Mutex<RuntimeError?>(nil)
    let thread = Thread {
      do {
        _ = try interpreter.execute(code)
      } catch let error as RuntimeError {
        outcome.withLock { $0 = error }
      } catch {
        outcome.withLock { $0 = RuntimeError("\(error)") }
      }
      done.signal()
    }
    thread.start()
    Thread.sleep(forTimeInterval: delay)
    let start = DispatchTime.now().uptimeNanoseconds
    interpreter.run.cancellation.cancel()
    let ended = done.wait(timeout: .now() + limit) == .success
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Interruption(error: outcome.withLock { $0 }, ended: ended, seconds: seconds)
  }
}

@Suite("Cancellation: interrupting evaluation that runs no command")
struct CancellationTests {
  private func compile(_ harness: inout Harness, _ text: String) throws -> CompiledProgram {
    let (code, diagnostics) = harness.compile(text, redeclare: true)
    guard let code else { throw DiagnosticList(diagnostics) }
    return code
  }

  @Test(.timeLimit(.minutes(1)))
  func aLoopStopsAndTheGlobalsStay() async throws {
    var harness = Harness()
    _ = try harness.run("var kept = 41\nvar spins = 0", redeclare: true)
    let code = try compile(&harness, "while true { spins += 1 }")
    let result = await cancel(code, in: harness.interpreter, after: 0.2)
    #expect(result.ended)
    #expect(result.seconds < 1)
    #expect(result.error?.kind == .interrupted)
    #expect(result.error?.message == "interrupted")
    // The session goes on: reset the token, and the variables are still there.
    harness.interpreter.run.cancellation.reset()
    #expect(try harness.run("kept + 1", redeclare: true) == .int(42))
    #expect(try harness.run("spins > 1000", redeclare: true) == .bool(true))
  }

  @Test(.timeLimit(.minutes(1)))
  func aDeepRecursionStops() async throws {
    var harness = Harness()
    // 2^60 calls, never more than 61 deep: only the check at function entry can stop it.
    let code = try compile(
      &harness, "fn grow(n) { if n == 0 { return 0 }\n return grow(n - 1) + grow(n - 1) }\ngrow(60)"
    )
    let result = await cancel(code, in: harness.interpreter, after: 0.2)
    #expect(result.ended)
    #expect(result.seconds < 1)
    #expect(result.error?.kind == .interrupted)
    #expect(result.error?.stack.first?.function == "grow")
    harness.interpreter.run.cancellation.reset()
    #expect(try harness.run("grow(3)", redeclare: true) == .int(0))
  }

  @Test(.timeLimit(.minutes(1)))
  func aCountedForLoopStops() async throws {
    var harness = Harness()
    let code = try compile(&harness, "var n = 0\nfor i in 0..<1000000000000 { n += i }")
    let result = await cancel(code, in: harness.interpreter, after: 0.2)
    #expect(result.ended)
    #expect(result.seconds < 1)
    #expect(result.error?.kind == .interrupted)
  }

  @Test(.timeLimit(.minutes(1)))
  func everyParallelBranchStops() async throws {
    var harness = Harness(hosts: ["a", "b", "c"])
    let code = try compile(&harness, "on \"all\" parallel { var x = 0\n while true { x += 1 } }")
    let result = await cancel(code, in: harness.interpreter, after: 0.2)
    #expect(result.ended)
    #expect(result.seconds < 1)
    #expect(result.error?.kind == .interrupted)
    #expect(result.error?.message == "interrupted")
  }

  @Test(.timeLimit(.minutes(1)))
  func tryDoesNotCatchAnInterruption() async throws {
    var harness = Harness()
    let code = try compile(
      &harness, "var caught = false\ntry { while true {} } catch e { caught = true }\n42")
    let result = await cancel(code, in: harness.interpreter, after: 0.2)
    #expect(result.error?.kind == .interrupted)
    harness.interpreter.run.cancellation.reset()
    #expect(try harness.run("caught", redeclare: true) == .bool(false))
  }

  @Test func aCancelledTokenRefusesTheNextRunUntilReset() throws {
    var harness = Harness()
    harness.interpreter.run.cancellation.cancel()
    #expect(throws: RuntimeError.self) { try harness.run("fn f() { 1 }\nf()") }
    harness.interpreter.run.cancellation.reset()
    #expect(try harness.run("fn g() { 2 }\ng()") == .int(2))
  }
}

@Suite("Cancellation: the wait that cancel() wakes")
struct CancellableWaitTests {
  @Test func sleepRunsItsFullTimeWhenNotCancelled() async throws {
    let elapsed = await onOwnThread { () -> Double? in
      let token = Cancellation()
      let start = DispatchTime.now().uptimeNanoseconds
      do { try token.sleep(nanoseconds: 150_000_000) } catch { return nil }
      return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let seconds = try #require(elapsed)
    #expect(seconds >= 0.15)
    #expect(seconds < 2)
  }

  @Test func sleepEndsEarlyWhenCancelled() async throws {
    let outcome = await onOwnThread { () -> (error: RuntimeError?, seconds: Double) in
      let token = Cancellation()
      let canceller = Thread {
        Thread.sleep(forTimeInterval: 0.1)
        token.cancel()
      }
      canceller.start()
      let start = DispatchTime.now().uptimeNanoseconds
      var caught: RuntimeError?
      do {
        try token.sleep(nanoseconds: 30_000_000_000)
      } catch let error as RuntimeError {
        caught = error
      } catch {}
      return (caught, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    #expect(outcome.error?.kind == .interrupted)
    #expect(outcome.error?.message == "interrupted")
    #expect(outcome.seconds >= 0.05)
    #expect(outcome.seconds < 2)
  }

  @Test func waitSaysWhetherItWasCancelled() {
    let token = Cancellation()
    #expect(token.wait(nanoseconds: 1_000_000) == false)
    #expect(token.isCancelled == false)
    token.cancel()
    #expect(token.isCancelled)
    #expect(token.wait(nanoseconds: 30_000_000_000) == true)
    #expect(throws: RuntimeError.self) { try token.check() }
    token.reset()
    #expect(token.isCancelled == false)
    #expect(throws: Never.self) { try token.check() }
  }
}

@Suite("The value stack")
struct ValueStackTests {
  @Test func tooManyVariablesInNestedCallsIsACleanError() throws {
    var harness = Harness()
    // 400 locals per call: the value stack fills up long before 1000 calls deep.
    let locals = (0..<400).map { "let _v\($0) = n" }.joined(separator: "\n")
    let program = "fn deep(n) {\n\(locals)\nreturn deep(n + 1) + _v0 + _v399 }\ndeep(0)"
    do {
      _ = try harness.run(program)
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(error.message.hasPrefix("too many variables in nested calls"))
      #expect(error.stack.first?.function == "deep")
    }
  }

  @Test func theStackIsWholeAfterAnErrorUnwindsDeepCalls() throws {
    var harness = Harness()
    _ = try harness.run(
      "fn down(n) { let _held = [n]\n if n == 0 { return 1 / 0 }\n return down(n - 1) }",
      redeclare: true)
    for _ in 0..<3 {
      let value = try harness.run(
        "var r = 0\ntry { down(500) } catch e { r = 1 }\nfn fib(n) { if n < 2 { return n }\n return fib(n - 1) + fib(n - 2) }\nr + fib(15)",
        redeclare: true)
      #expect(value == .int(611))
    }
  }

  @Test func parallelBranchesSeeTheLocalsOfTheFunctionRunningOn() throws {
    var harness = Harness(hosts: ["a", "b"])
    let value = try harness.run(
      "fn each(prefix) { let suffix = \"!\"\n return on \"all\" parallel { \"${prefix}-${suffix}\" } }\neach(\"x\")"
    )
    guard case .map(let results) = value else {
      Issue.record("expected a map, got \(value.repr)")
      return
    }
    #expect(results["a"] == .string("x-!"))
    #expect(results["b"] == .string("x-!"))
  }

  @Test func closuresKeepWhatTheyCapturedAfterTheirFrameIsGone() throws {
    var harness = Harness()
    let value = try harness.run(
      "fn adder(n) { let k = n * 2\n return fn(x) { x + k + n } }\nlet add = adder(10)\nlet noise = adder(99)\nadd(1)"
    )
    #expect(value == .int(31))
  }
}

@Suite("Compiled code is freed")
struct CompiledCodeLifetimeTests {
  @Test func aRecursiveTopLevelFunctionIsFreedWithItsInterpreter() throws {
    weak var weakClosure: Closure?
    weak var weakInterpreter: Interpreter?
    do {
      var harness = Harness()
      weakInterpreter = harness.interpreter
      let value = try harness.run(
        "fn down(n) { if n == 0 { return step \"s\" { 0 } }\n return down(n - 1) }\ndown(3)\ndown")
      guard case .function(let function) = value, case .closure(let closure) = function.kind else {
        Issue.record("expected a closure, got \(value.repr)")
        return
      }
      weakClosure = closure
      #expect(weakClosure != nil)
    }
    #expect(weakInterpreter == nil)
    #expect(weakClosure == nil)
  }

  @Test func checkingAProgramKeepsNothingAlive() {
    weak var weakScope: GlobalScope?
    do {
      var sources = SourceMap()
      let index = sources.add(
        SourceFile(name: "t.hf", text: "fn f(n) { step \"s\" { f(n) } }\nfn g() { f(1) }"))
      let (program, _) = Parser.parse(sources.files[index], fileIndex: index)
      let globals = GlobalScope()
      weakScope = globals
      let compiler = Compiler(table: BuiltinTable(), globals: globals, importer: nil)
      _ = compiler.compileProgram(program)
      globals.releaseFunctions()
    }
    #expect(weakScope == nil)
  }
}
