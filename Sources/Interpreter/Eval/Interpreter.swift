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
    let box = ExecutionBox()
    let done = DispatchSemaphore(value: 0)
    let (run, globals) = (self.run, self.globals)
    let thread = Thread {
      // Everything the run makes lives inside this scope and is gone before `done` fires.
      do {
        let state = ExecState(run: run, host: nil, globals: globals)
        let flow = try program.body(state.topLevelFrame)
        if case .returnValue(let value) = flow {
          box.result = .success(value)
        } else {
          box.result = .success(.nil)
        }
      } catch let error as RuntimeError {
        box.result = .failure(error)
      } catch {
        box.result = .failure(RuntimeError("\(error)"))
      }
      done.signal()
    }
    thread.stackSize = 512 << 20
    thread.start()
    done.wait()
    switch box.result {
    case .success(let value): return value
    case .failure(let error): throw error
    case nil: return .nil
    }
  }
}

/// The outcome of a run, handed from the interpreter's thread.
final class ExecutionBox: @unchecked Sendable {
  var result: Result<Value, RuntimeError>?
}
