import Foundation
import Lexer
import Testing

@testable import Interpreter

/// Collects output events for assertions.
final class RecordingSink: OutputSink, @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [OutputEvent] = []
  var events: [OutputEvent] { lock.withLock { storage } }
  var printed: [String] {
    events.compactMap { event in
      if case .print(let text) = event { return text }
      return nil
    }
  }
  func emit(_ event: OutputEvent) { lock.withLock { storage.append(event) } }
}

/// Runs commands by recording them; `sleep N` sleeps N milliseconds to measure concurrency.
final class RecordingExecutor: CommandExecutor, @unchecked Sendable {
  private let lock = NSLock()
  private var running = 0
  private(set) var maxRunning = 0
  private(set) var commands: [String] = []

  func run(_ request: CommandRequest, sink: any OutputSink) throws -> CommandResult {
    lock.withLock {
      running += 1
      maxRunning = max(maxRunning, running)
      commands.append("\(request.host?.name ?? "local"): \(request.command.shellText)")
    }
    if request.command.shellText.hasPrefix("sleep ") {
      Thread.sleep(forTimeInterval: 0.05)
    }
    lock.withLock { running -= 1 }
    let failing = request.command.shellText == "false"
    return CommandResult(
      host: request.host?.name ?? "local", command: request.command.displayText,
      stdout: request.host?.name ?? "", stderr: failing ? "nope" : "",
      exitStatus: failing ? 1 : 0, duration: 0)
  }
}

/// Parses, compiles and runs a snippet with a test table holding `print`.
struct Harness {
  let sink = RecordingSink()
  let executor = RecordingExecutor()
  let interpreter: Interpreter
  var sources = SourceMap()

  init(hosts: [String] = []) {
    var table = BuiltinTable()
    table.add([
      Builtin("print", [.rest("values")], help: "print") { call in
        guard case .list(let items) = call.arguments[0] else { return .nil }
        call.context.run.sink.emit(.print(items.map(\.display).joined(separator: " ")))
        return .nil
      }
    ])
    let inventory = Inventory(
      hosts: hosts.map { Host(name: $0, groups: ["all"]) })
    let run = RunContext(sink: sink, executor: executor, inventory: inventory, builtins: table)
    interpreter = Interpreter(run: run)
  }

  mutating func compile(_ text: String, redeclare: Bool = false) -> (CompiledProgram?, [Diagnostic])
  {
    let index = sources.add(SourceFile(name: "test.hf", text: text))
    let (program, parseDiagnostics) = Parser.parse(sources.files[index], fileIndex: index)
    let (code, diagnostics) = interpreter.compile(program, allowsRedeclaration: redeclare)
    return (parseDiagnostics.isEmpty ? code : nil, parseDiagnostics + diagnostics)
  }

  mutating func run(_ text: String, redeclare: Bool = false) throws -> Value {
    let (code, diagnostics) = compile(text, redeclare: redeclare)
    guard let code else {
      throw DiagnosticList(diagnostics)
    }
    return try interpreter.execute(code)
  }
}

@Suite struct EvalTests {
  @Test func lastExpressionIsTheProgramValue() throws {
    var harness = Harness()
    #expect(try harness.run("let x = 20\nx * 2 + 2") == .int(42))
  }

  @Test func topLevelNamesPersistAcrossInputsLikeTheREPL() throws {
    var harness = Harness()
    _ = try harness.run("var n = 1", redeclare: true)
    _ = try harness.run("n += 41", redeclare: true)
    #expect(try harness.run("n", redeclare: true) == .int(42))
    _ = try harness.run("let n = \"again\"", redeclare: true)
    #expect(try harness.run("n", redeclare: true) == .string("again"))
  }

  @Test func oneCompileReportsEveryStaticError() {
    var harness = Harness()
    let (code, diagnostics) = harness.compile("print(a)\nlet k = 1\nk = 2\nbreak\nprint(b)")
    #expect(code == nil)
    let lines = diagnostics.filter { $0.severity == .error }.map {
      harness.sources.files[0].lineColumn(of: $0.span.start).line
    }
    #expect(lines == [1, 3, 4, 5])
  }

  @Test func interpreterIsReleasedAfterARun() throws {
    weak var weakInterpreter: Interpreter?
    do {
      var harness = Harness()
      weakInterpreter = harness.interpreter
      _ = try harness.run(
        "fn make(n) { return fn() { n } }\nlet fs = [make(1), make(2)]\nlet keep = fs[0]\nkeep()")
    }
    #expect(weakInterpreter == nil)
  }

  @Test func parallelLimitIsHonoured() throws {
    var harness = Harness(hosts: ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"])
    let value = try harness.run("on \"all\" parallel(limit: 3) { `sleep 1` }")
    #expect(harness.executor.commands.count == 8)
    #expect(harness.executor.maxRunning <= 3)
    #expect(harness.executor.maxRunning >= 2)
    guard case .map(let results) = value else {
      Issue.record("expected a map, got \(value.repr)")
      return
    }
    #expect(Array(results.keys) == ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"])
  }

  @Test func parallelFailuresNameEveryFailedHostAfterAllFinish() throws {
    var harness = Harness(hosts: ["a", "b", "c"])
    do {
      _ = try harness.run("on \"all\" parallel { if `true`.stdout != \"b\" { `false` } }")
      Issue.record("expected a failure")
    } catch let error as RuntimeError {
      #expect(error.message.hasPrefix("failed on 2 of 3 hosts"))
      #expect(error.message.contains("\n  a: command failed with exit status 1: false"))
      #expect(error.message.contains("\n  c: command failed"))
      #expect(harness.executor.commands.count == 5)
    }
  }

  /// The caret of a parallel failure is on the statement that failed, with its host; a note
  /// shows the `on` that ran it.
  @Test func aParallelFailurePointsAtTheFailingStatementOnItsHost() throws {
    var harness = Harness(hosts: ["a", "b", "c"])
    do {
      _ = try harness.run(
        "on \"all\" parallel {\n  let me = `true`.stdout\n  if me == \"b\" { `false` }\n}")
      Issue.record("expected a failure")
    } catch let error as RuntimeError {
      let source = harness.sources.files[0]
      #expect(error.message.hasPrefix("failed on 1 of 3 hosts"))
      #expect(error.host == "b")
      #expect(source.lineColumn(of: error.span.start) == (3, 18))
      #expect(error.diagnostic.notes.map(\.message) == ["run in parallel on 3 hosts here"])
      #expect(error.diagnostic.notes.map { source.lineColumn(of: $0.span.start).line } == [1])
    }
  }

  @Test func sequentialOnStopsAtTheFirstFailure() throws {
    var harness = Harness(hosts: ["a", "b"])
    #expect(throws: RuntimeError.self) { try harness.run("on \"all\" { `false` }") }
    #expect(harness.executor.commands == ["a: false"])
  }

  @Test func commandInterpolationQuotesEachWord() throws {
    var harness = Harness(hosts: ["cp1"])
    _ = try harness.run(
      "let files = [\"a b\", \"c\"]\nlet who = \"x; rm -rf /\"\non \"cp1\" { `ls ${files} ${who}` }"
    )
    #expect(harness.executor.commands == ["cp1: ls 'a b' c 'x; rm -rf /'"])
  }

  @Test func stepsReportStartAndEnd() throws {
    var harness = Harness()
    _ = try harness.run("step \"one\" { 1 }")
    let names = harness.sink.events.compactMap { event -> String? in
      switch event {
      case .stepStarted(let name, _): "start \(name)"
      case .stepFinished(let name, let ok, _, _, _): "end \(name) \(ok)"
      default: nil
      }
    }
    #expect(names == ["start one", "end one true"])
  }

  @Test func runtimeErrorsCarryTheCallStack() throws {
    var harness = Harness()
    do {
      _ = try harness.run("fn inner() { return 1 / 0 }\nfn outer() { return inner() }\nouter()")
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(error.message == "division by zero")
      #expect(error.stack.map(\.function) == ["inner", "outer"])
      let rendered = error.rendered(in: harness.sources)
      #expect(rendered.contains("test.hf:1:"))
      #expect(rendered.contains("in outer called at test.hf:3:1"))
    }
  }

  @Test func deepRecursionIsACleanError() throws {
    var harness = Harness()
    #expect(throws: RuntimeError.self) { try harness.run("fn f(n) { return f(n + 1) }\nf(0)") }
  }
}
