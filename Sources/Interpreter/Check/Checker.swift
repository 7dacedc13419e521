import Lexer

/// The static checks on their own: what `haflow check` reports for a parsed program.
public enum Checker {
  /// Undefined names, arity and named-argument errors, assignments to `let`, misplaced
  /// `break`/`return`, duplicate step names, commands with no host, unused variables.
  public static func check(
    _ program: Program, table: BuiltinTable, importer: Interpreter.Importer? = nil
  ) -> [Diagnostic] {
    let globals = GlobalScope()
    let compiler = Compiler(table: table, globals: globals, importer: importer)
    _ = compiler.compileProgram(program)
    globals.releaseFunctions()
    return Diagnostic.capped(Diagnostic.inSourceOrder(compiler.diagnostics))
  }
}
