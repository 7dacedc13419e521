import Lexer
import Testing

@testable import Interpreter

@Suite("ParameterList: the argument binder")
struct BinderTests {
  /// `greet(name, greeting = …, punct = …)`
  let greet = ParameterList(
    name: "greet", names: ["name", "greeting", "punct"], isOptional: [false, true, true],
    usage: "greet(name, greeting = …, punct = …)")
  /// `print(values…)`
  let printList = ParameterList(
    name: "print", names: ["values"], isOptional: [true], isVariadic: true,
    usage: "print(values…)")

  @Test func positionalArgumentsFillParametersInOrder() {
    let binding = greet.bind(labels: [nil, nil])
    #expect(binding.targets == [0, 1])
    #expect(binding.given == [true, true, false])
    #expect(binding.problems.isEmpty)
  }

  @Test func positionalArgumentsSkipParametersAlreadyNamed() {
    let binding = greet.bind(labels: ["greeting", nil, nil])
    #expect(binding.targets == [1, 0, 2])
    #expect(binding.problems.isEmpty)
  }

  @Test func everyProblemIsReportedInOrder() {
    let binding = greet.bind(labels: [nil, "greting", "name", nil, nil, nil])
    #expect(binding.targets == [0, nil, nil, 1, 2, nil])
    #expect(
      binding.problems == [
        .tooMany(takes: 3, got: 4), .unknownLabel("greting", argument: 1),
        .givenTwice("name", argument: 2),
      ])
  }

  @Test func missingRequiredParametersComeLast() {
    let binding = greet.bind(labels: ["punct"])
    #expect(binding.problems == [.missing("name")])
  }

  @Test func variadicTakesTheRestAndCannotBeNamed() {
    #expect(printList.bind(labels: [nil, nil, nil]).targets == [0, 0, 0])
    #expect(printList.bind(labels: []).problems.isEmpty)
    #expect(
      printList.bind(labels: [nil, "values"]).problems == [.unknownLabel("values", argument: 1)])
  }

  @Test func messagesAndHints() {
    let at = Span(start: 3, end: 8)
    let tooMany = greet.diagnostic(for: .tooMany(takes: 3, got: 4), at: at)
    #expect(tooMany.message == "too many arguments to 'greet' (takes at most 3, got 4)")
    #expect(tooMany.hint == "usage: greet(name, greeting = …, punct = …)")
    #expect(tooMany.span == at)
    let typo = greet.diagnostic(for: .unknownLabel("greting", argument: 1), at: at)
    #expect(typo.message == "'greet' has no parameter named 'greting'")
    #expect(typo.hint == "did you mean 'greeting'?")
    let unknown = greet.diagnostic(for: .unknownLabel("zzzzzz", argument: 1), at: at)
    #expect(unknown.hint == "its parameters: name, greeting, punct")
    let twice = greet.diagnostic(for: .givenTwice("name", argument: 2), at: at)
    #expect(twice.message == "argument 'name' given twice")
    let missing = greet.diagnostic(for: .missing("name"), at: at)
    #expect(missing.message == "missing argument 'name' in call to 'greet'")
    #expect(missing.hint == "usage: greet(name, greeting = …, punct = …)")
  }

  @Test func runTimeThrowsTheFirstProblemWithTheCheckTimeMessage() {
    let span = Span(start: 1, end: 2)
    do {
      _ = try greet.bindOrThrow(labels: [nil, nil, nil, nil, "zzz"], span: span)
      Issue.record("expected an error")
    } catch let error as RuntimeError {
      #expect(error.message == "too many arguments to 'greet' (takes at most 3, got 4)")
      #expect(error.span == span)
      #expect(error.hint == "usage: greet(name, greeting = …, punct = …)")
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func builtinsBindThroughTheSameBinder() throws {
    let builtin = Builtin("span", [.req("from"), .opt("to", "10"), .rest("more")], help: "") { _ in
      .nil
    }
    #expect(builtin.signature == "span(from, to = 10, more…)")
    let values = try builtin.bindArguments([.int(1), .int(2), .int(3), .int(4)], named: [])
    #expect(values == [.int(1), .int(2), .list([.int(3), .int(4)])])
    let named = try builtin.bindArguments([.int(5)], named: [("to", .int(6))])
    #expect(named == [.int(5), .int(6), .list([])])
    #expect(throws: RuntimeError.self) { try builtin.bindArguments([], named: []) }
  }

  @Test func checkTimeDiagnosticsPointAtTheLabel() {
    var harness = Harness()
    let (_, diagnostics) = harness.compile("fn f(a, b) { a }\nf(1, a: 2, c: 3)")
    let file = harness.sources.files[0]
    let found = diagnostics.map { diagnostic in
      let (line, column) = file.lineColumn(of: diagnostic.span.start)
      return "\(line):\(column) \(diagnostic.message)"
    }
    #expect(
      found == [
        "2:1 missing argument 'b' in call to 'f'", "2:6 argument 'a' given twice",
        "2:12 'f' has no parameter named 'c'",
      ])
  }
}
