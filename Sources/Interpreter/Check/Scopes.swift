import Lexer

/// What a name refers to, decided at compile time.
final class Binding {
  enum Storage {
    /// A slot in the current function's frame.
    case local(Int)
    /// A slot in the run's globals.
    case global(Int)
  }
  let name: String
  let storage: Storage
  let mutable: Bool
  let span: Span
  let isParameter: Bool
  /// Weak: scopes hold their bindings, so a strong reference back would be a cycle.
  weak var owner: FunctionScope?
  /// The block nesting level within the owner where it was declared.
  let level: Int
  /// Parameters of a `fn` declaration, for static call checks.
  var functionParameters: [Parameter]?
  /// For a top-level `fn`: its closure, filled in once its body is compiled, so that calls
  /// reach it without reading the variable.
  var hoisted: FunctionBox?
  var used = false
  /// The type of a `let`'s value when the checker can tell (see `staticType(of:)`).
  var staticType: StaticType?

  init(
    name: String, storage: Storage, mutable: Bool, span: Span, isParameter: Bool,
    owner: FunctionScope, level: Int
  ) {
    self.name = name
    self.storage = storage
    self.mutable = mutable
    self.span = span
    self.isParameter = isParameter
    self.owner = owner
    self.level = level
  }
}

/// One lexical block's names.
final class BlockScope {
  var names: [String: Binding] = [:]
  var declared: [Binding] = []
}

/// Where `return` goes inside a function scope.
enum ReturnTarget {
  case none
  case function
  case step
}

/// A function being compiled (or the top level): its slots, captures and blocks.
final class FunctionScope {
  let parent: FunctionScope?
  let isTopLevel: Bool
  var slotCount = 0
  var blocks: [BlockScope] = [BlockScope()]
  /// Captured bindings of enclosing functions, in capture-slot order.
  var captures: [Binding] = []
  var captureIndex: [ObjectIdentifier: Int] = [:]
  var loopDepth = 0
  var returnTargets: [ReturnTarget]
  /// Block levels at which `parallel` bodies begin (assignments to names declared below the
  /// innermost one are refused).
  var parallelLevels: [Int] = []
  /// Loop depth saved when entering a step or `on` body (break/continue cannot cross it).
  var loopBarriers: [Int] = []
  /// The `fn` name a local function may use to call itself, and its slot.
  var selfName: (name: String, slot: Int)?

  init(parent: FunctionScope?, isTopLevel: Bool, returnTarget: ReturnTarget) {
    self.parent = parent
    self.isTopLevel = isTopLevel
    self.returnTargets = [returnTarget]
  }

  var level: Int { blocks.count - 1 }

  func lookupLocal(_ name: String) -> Binding? {
    for block in blocks.reversed() {
      if let binding = block.names[name] { return binding }
    }
    return nil
  }

  func captureSlot(for binding: Binding) -> Int {
    if let index = captureIndex[ObjectIdentifier(binding)] { return index }
    captures.append(binding)
    captureIndex[ObjectIdentifier(binding)] = captures.count - 1
    return captures.count - 1
  }
}

/// The top level's names, which persist across REPL inputs.
public final class GlobalScope: @unchecked Sendable {
  var block = BlockScope()
  var slotCount = 0
  /// Literal step names already used, with their spans.
  var stepNames: [String: Span] = [:]
  /// Every step written, in the order compiled: its literal name (nil when computed) and span.
  var stepSites: [StepSite] = []
  /// Files already compiled (by file index); each is imported once.
  var importedFiles: Set<Int> = []
  /// The boxes of the top-level functions compiled so far (see `releaseFunctions`).
  var functionBoxes: [FunctionBox] = []

  /// An empty global scope.
  public init() {}

  /// The names declared so far (for REPL completion).
  public var names: [String] { block.names.keys.sorted() }

  /// Clears the top-level functions' boxes, whose closures' code refers back to them, so
  /// that compiled code is freed. Call when no code compiled in this scope will run again.
  func releaseFunctions() {
    for box in functionBoxes { box.clear() }
    functionBoxes = []
  }
}
