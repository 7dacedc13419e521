import Lexer

/// A compiled program: top-level code ready to run.
public struct CompiledProgram: Sendable {
  let body: StmtCode
  /// How many global slots the run needs.
  let globalCount: Int
}

/// Resolves names, checks the program and compiles it into closures in one pass.
///
/// Static errors and warnings are collected in `diagnostics`; code compiled from a program with
/// errors must not run.
final class Compiler {
  let table: BuiltinTable
  let globals: GlobalScope
  /// Resolves `import "path"` written in a file to a parsed program, or reports why not.
  let importer: (@Sendable (String, Span) -> Result<Program, Diagnostic>)?
  /// REPL inputs may declare a top-level name again.
  let allowsRedeclaration: Bool
  /// The inventory host and group names written as literals are checked against
  /// (`check -i`); nil: not checked.
  var hostsToCheck: Inventory?
  var diagnostics: [Diagnostic] = []
  var function: FunctionScope
  /// Inside an `on` body (commands have a host).
  var onDepth = 0
  /// Inside a `fn` body (commands may get a host from the caller).
  var functionDepth = 0
  /// Expression/block nesting, capped so hostile input cannot overflow the stack.
  var depth = 0
  static let depthLimit = 400
  static let noop: StmtCode = { _ in .normal }
  static let nilCode: ExprCode = { _ in .nil }
  /// Top-level `fn` bodies, compiled once every top-level name is known.
  var deferred: [() -> Void] = []
  /// Code run before the first statement: hoisted top-level functions.
  var prologue: [StmtBox] = []
  /// Files being imported (by file index), to report cycles.
  var importStack: [Int] = []

  init(
    table: BuiltinTable, globals: GlobalScope,
    importer: (@Sendable (String, Span) -> Result<Program, Diagnostic>)?,
    allowsRedeclaration: Bool = false
  ) {
    self.table = table
    self.globals = globals
    self.importer = importer
    self.allowsRedeclaration = allowsRedeclaration
    let top = FunctionScope(parent: nil, isTopLevel: true, returnTarget: .none)
    top.blocks = [globals.block]
    self.function = top
  }

  // MARK: - Entry

  /// Compiles a whole file (or REPL input) at the top level.
  func compileProgram(_ program: Program) -> CompiledProgram {
    importStack = [program.file]
    globals.importedFiles.insert(program.file)
    let body = compileTopLevel(program.statements, yieldsValue: true)
    while !deferred.isEmpty {
      let work = deferred
      deferred = []
      for item in work { item() }
    }
    return CompiledProgram(
      body: StatementList.code(prologue + body), globalCount: globals.slotCount)
  }

  /// Compiles top-level statements; when `yieldsValue`, a final expression statement's value
  /// becomes the program's value (the REPL shows it).
  func compileTopLevel(_ statements: [Stmt], yieldsValue: Bool = false) -> [StmtBox] {
    hoistFunctions(statements)
    var codes: [StmtBox] = []
    for (index, statement) in statements.enumerated() {
      if case .importFile(let path, let pathSpan) = statement.kind {
        codes.append(contentsOf: compileImport(path, span: pathSpan))
      } else if yieldsValue, index == statements.count - 1,
        case .expression(let expr) = statement.kind
      {
        let code = nested(statement.span, fallback: Compiler.nilCode) { compileExpr(expr) }
        codes.append(StmtBox { frame in .returnValue(try code(frame)) })
      } else {
        codes.append(StmtBox(compileStatement(statement)))
      }
    }
    return codes
  }

  func compileImport(_ path: String, span: Span) -> [StmtBox] {
    guard let importer else {
      error("'import' is not available here", at: span)
      return []
    }
    switch importer(path, span) {
    case .failure(let diagnostic):
      diagnostics.append(diagnostic)
      return []
    case .success(let program):
      if importStack.contains(program.file) {
        error("import cycle: '\(path)' is already being imported", at: span)
        return []
      }
      if globals.importedFiles.contains(program.file) { return [] }
      globals.importedFiles.insert(program.file)
      importStack.append(program.file)
      defer { importStack.removeLast() }
      return compileTopLevel(program.statements)
    }
  }

  // MARK: - Diagnostics

  func error(_ message: String, at span: Span, hint: String? = nil, notes: [Diagnostic.Note] = []) {
    diagnostics.append(Diagnostic(.error, message, at: span, hint: hint, notes: notes))
  }

  func warning(_ message: String, at span: Span, hint: String? = nil) {
    diagnostics.append(Diagnostic(.warning, message, at: span, hint: hint))
  }

  // MARK: - Scopes

  func pushBlock() { function.blocks.append(BlockScope()) }

  func popBlock() {
    guard function.blocks.count > 1, let block = function.blocks.popLast() else { return }
    reportUnused(block)
  }

  func reportUnused(_ block: BlockScope) {
    for binding in block.declared
    where !binding.used && !binding.isParameter && binding.functionParameters == nil
      && !binding.name.hasPrefix("_")
    {
      warning(
        "unused variable '\(binding.name)'", at: binding.span,
        hint: "remove it, or name it '_\(binding.name)' to keep it")
    }
  }

  /// Declares a name in the innermost block.
  @discardableResult
  func declare(_ name: Name, mutable: Bool, isParameter: Bool = false) -> Binding {
    let block = function.blocks[function.level]
    if let existing = block.names[name.text] {
      if existing.span == name.span { return existing }
      let redeclarable = allowsRedeclaration && function.isTopLevel && function.level == 0
      if !redeclarable {
        error(
          "'\(name.text)' is already declared in this scope", at: name.span,
          notes: [.init("first declared here", at: existing.span)])
        return existing
      }
    }
    let storage: Binding.Storage
    if function.isTopLevel {
      storage = .global(globals.slotCount)
      globals.slotCount += 1
    } else {
      storage = .local(function.slotCount)
      function.slotCount += 1
    }
    let binding = Binding(
      name: name.text, storage: storage, mutable: mutable, span: name.span,
      isParameter: isParameter, owner: function, level: function.level)
    block.names[name.text] = binding
    if !(function.isTopLevel && function.level == 0) { block.declared.append(binding) }
    return binding
  }

  /// How compiled code reaches a name.
  enum NameAccess {
    case local(Int)
    case global(Int)
    case capture(Int)
    case constant(Value)
  }

  /// Resolves a name for reading, reporting undefined names.
  func resolve(_ name: Name) -> NameAccess? {
    if let (access, _) = lookup(name.text) { return access }
    var candidates = Array(globals.block.names.keys) + table.globalNames
    for block in function.blocks { candidates += block.names.keys }
    error(
      "undefined name '\(name.text)'", at: name.span,
      hint: Suggest.hint(for: name.text, among: candidates))
    return nil
  }

  /// Finds a name: in this function, enclosing functions (captured), globals, built-ins.
  func lookup(_ text: String) -> (NameAccess, Binding?)? {
    if let binding = function.lookupLocal(text) {
      binding.used = true
      return (storageAccess(binding), binding)
    }
    var scope = function.parent
    while let outer = scope {
      if let binding = outer.lookupLocal(text) {
        binding.used = true
        if case .global(let slot) = binding.storage { return (.global(slot), binding) }
        return (.capture(captureIndex(in: function, of: binding)), binding)
      }
      scope = outer.parent
    }
    if let builtin = table.lookup(text), !text.contains(".") {
      return (.constant(.function(Function(.builtin(builtin)))), nil)
    }
    if table.modules.contains(where: { $0.name == text }) {
      return (.constant(moduleValue(text)), nil)
    }
    return nil
  }

  func storageAccess(_ binding: Binding) -> NameAccess {
    switch binding.storage {
    case .local(let slot): .local(slot)
    case .global(let slot): .global(slot)
    }
  }

  /// The capture slot of `binding` in `scope`, capturing it through every function between.
  func captureIndex(in scope: FunctionScope, of binding: Binding) -> Int {
    let index = scope.captureSlot(for: binding)
    if let parent = scope.parent, binding.owner !== parent {
      _ = captureIndex(in: parent, of: binding)
    }
    return index
  }

  func moduleValue(_ name: String) -> Value {
    var members: [(String, Value)] = []
    for builtin in table.members(of: name) {
      members.append((builtin.shortName, .function(Function(.builtin(builtin)))))
    }
    return .module(Module(name: name, members: .init(uniqueKeysWithValues: members)))
  }

  /// Compiles an expression one nesting level deeper, refusing input nested too deeply.
  /// (Not generic: a generic helper would wrap every compiled closure in a reabstraction thunk.)
  func nested(_ span: Span, fallback: @escaping ExprCode, _ body: () -> ExprCode) -> ExprCode {
    guard enterNesting(span) else {
      depth -= 1
      return fallback
    }
    defer { depth -= 1 }
    return body()
  }

  /// The same for statements.
  func nested(_ span: Span, fallback: @escaping StmtCode, _ body: () -> StmtCode) -> StmtCode {
    guard enterNesting(span) else {
      depth -= 1
      return fallback
    }
    defer { depth -= 1 }
    return body()
  }

  /// The same for conditions.
  func nested(_ span: Span, fallback: @escaping CondCode, _ body: () -> CondCode) -> CondCode {
    guard enterNesting(span) else {
      depth -= 1
      return fallback
    }
    defer { depth -= 1 }
    return body()
  }

  private func enterNesting(_ span: Span) -> Bool {
    depth += 1
    if depth > Compiler.depthLimit {
      if depth == Compiler.depthLimit + 1 {
        error("nesting is too deep (limit \(Compiler.depthLimit))", at: span)
      }
      return false
    }
    return true
  }
}
