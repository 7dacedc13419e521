import Foundation
import Lexer

/// Compiles and runs programs against one run's effects, keeping top-level names between calls
/// (so the REPL can evaluate one input after another in the same scope).
public final class Interpreter: @unchecked Sendable {
  /// The run's effects and state.
  public let run: RunContext
  /// The top-level names compiled so far.
  public let globalScope = GlobalScope()
  let globals = Globals(count: 0)

  /// Makes an interpreter for a run.
  public init(run: RunContext) { self.run = run }

  deinit { globalScope.releaseFunctions() }

  /// Resolves `import "path"` as written in a file (the span says which file) to a program.
  public typealias Importer = @Sendable (String, Span) -> Result<Program, Diagnostic>

  /// Checks and compiles a program. The code is nil when any diagnostic is an error. With
  /// `hostsToCheck`, host and group names written as literals (`on "web"`, `host("db1")`)
  /// must be in that inventory.
  public func compile(
    _ program: Program, importer: Importer? = nil, allowsRedeclaration: Bool = false,
    hostsToCheck: Inventory? = nil
  ) -> (code: CompiledProgram?, diagnostics: [Diagnostic]) {
    let compiler = Compiler(
      table: run.builtins, globals: globalScope, importer: importer,
      allowsRedeclaration: allowsRedeclaration)
    compiler.hostsToCheck = hostsToCheck
    let code = compiler.compileProgram(program)
    let diagnostics = Diagnostic.capped(Diagnostic.inSourceOrder(compiler.diagnostics))
    if diagnostics.contains(where: { $0.severity == .error }) { return (nil, diagnostics) }
    return (code, diagnostics)
  }

  /// Runs compiled code on a thread with a large stack; returns the value of the last
  /// top-level expression statement.
  public func execute(_ program: CompiledProgram) throws -> Value {
    globals.ensure(program.globalCount)
    let job = ExecutionJob(program: program, run: run, globals: globals)
    let thread = Thread { job.perform() }
    thread.stackSize = 512 << 20
    thread.start()
    return try job.result().get()
  }
}

/// One `execute` handed to its thread and its outcome handed back. The thread's block (which
/// holds the job) outlives `done.signal()` by as long as the thread takes to exit, and the
/// `Thread` keeps it until then; so the job lets go of the code, the globals and the value
/// before `execute` returns, or a closure the program made (held by the globals or returned)
/// would outlive its interpreter for a moment, at the scheduler's whim.
final class ExecutionJob: @unchecked Sendable {
  private var work: (program: CompiledProgram, run: RunContext, globals: Globals)?
  private var outcome: Result<Value, RuntimeError>?
  private let done = DispatchSemaphore(value: 0)

  init(program: CompiledProgram, run: RunContext, globals: Globals) {
    work = (program, run, globals)
  }

  /// Runs the program on the calling thread; everything the run makes is gone before the
  /// outcome is handed over.
  func perform() {
    if let work = work.take() {
      outcome = Self.run(work.program, run: work.run, globals: work.globals)
    }
    done.signal()
  }

  private static func run(_ program: CompiledProgram, run: RunContext, globals: Globals)
    -> Result<Value, RuntimeError>
  {
    do {
      let state = ExecState(run: run, host: nil, globals: globals)
      if case .returnValue(let value) = try program.body(state.topLevelFrame) {
        return .success(value)
      }
      return .success(.nil)
    } catch let error as RuntimeError {
      return .failure(error)
    } catch {
      return .failure(RuntimeError("\(error)"))
    }
  }

  /// Waits for `perform` and takes the outcome out of the job.
  func result() -> Result<Value, RuntimeError> {
    done.wait()
    return outcome.take() ?? .success(.nil)
  }
}
