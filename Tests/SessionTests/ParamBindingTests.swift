import Interpreter
import Lexer
import Testing

@testable import Session

/// `--params` files read by the YAML 1.2 core schema, and how their values meet declared
/// param types.
@Suite struct ParamBindingTests {
  static func inputs(_ yaml: String) throws -> [String: ParamInput] {
    do {
      return try ParamsYAML.decode(yaml)
    } catch {
      Issue.record("\(error.message)")
      return [:]
    }
  }

  static func bind(_ declarations: String, _ yaml: String) throws -> ParamBinder.Outcome {
    let (program, diagnostics) = Parser.parse(
      SourceFile(name: "p.hf", text: declarations), fileIndex: 0)
    #expect(diagnostics.isEmpty)
    let decls = program.statements.compactMap { statement -> ParamDecl? in
      if case .param(let decl) = statement.kind { return decl }
      return nil
    }
    return ParamBinder.bind(declarations: decls, given: try inputs(yaml))
  }

  @Test func scalarsAreTypedByTheCoreSchema() throws {
    let given = try Self.inputs(
      """
      a: yes
      b: 1.10
      c: "3"
      d: 010
      e: 0x1F
      f: true
      g: ~
      h: on
      i: [1, "2", no]
      j: {k: 1.5}
      k: 2020-01-01

      """)
    func value(_ name: String) -> Value? {
      if case .yaml(let value, _)? = given[name] { return value }
      return nil
    }
    #expect(value("a") == .string("yes"))
    #expect(value("b") == .float(1.1) && value("b")?.typeName == "float")
    #expect(value("c") == .string("3"))
    #expect(value("d") == .int(10) && value("d")?.typeName == "int")
    #expect(value("e") == .int(31))
    #expect(value("f") == .bool(true))
    #expect(value("g") == .nil)
    #expect(value("h") == .string("on"))
    #expect(value("i") == .list([.int(1), .string("2"), .string("no")]))
    #expect(value("j") == .map(["k": .float(1.5)]))
    #expect(value("k") == .string("2020-01-01"))
    if case .yaml(_, let text)? = given["b"] { #expect(text == "1.10") }
  }

  @Test func typedParamsTakeTheScalarAsWritten() throws {
    let bound = try Self.bind(
      "param v: string\nparam s: secret\nparam n: int\nparam f: float\nparam b: bool\n"
        + "param w: duration\nparam l: list\nparam any = 1\n",
      "v: 1.10\ns: 007\nn: 3\nf: 2\nb: false\nw: 90s\nl: [a, b]\nany: yes\n")
    #expect(bound.errors.isEmpty, "\(bound.errors.map(\.message))")
    #expect(bound.values["v"] == .string("1.10"))
    #expect(bound.values["s"] == .secret(Secret("007", label: "s")))
    #expect(bound.values["n"] == .int(3))
    #expect(bound.values["f"] == .float(2))
    #expect(bound.values["b"] == .bool(false))
    #expect(bound.values["w"] == .duration(90_000_000_000))
    #expect(bound.values["l"] == .list([.string("a"), .string("b")]))
    #expect(bound.values["any"] == .string("yes"))
  }

  @Test func valuesOfAnotherTypeAreRefusedWithAHint() throws {
    let bound = try Self.bind(
      "param n: int\nparam b: bool\nparam w: duration\nparam v: string\nparam l: list\n",
      "n: \"3\"\nb: yes\nw: 90\nv:\nl: a,b\n")
    #expect(
      bound.errors.map(\.message) == [
        "param 'n' must be an int, got the string \"3\"",
        "param 'b' must be true or false, got the string \"yes\"",
        "param 'w' must be a duration, got the number 90",
        "param 'v' has no value in the params file",
        "param 'l' must be a list, got the string \"a,b\"",
      ])
    #expect(
      bound.errors[0].hint == "a quoted scalar is a string in YAML: write n: 3 without quotes")
    #expect(bound.errors[2].hint == "give a unit in the params file: w: 90s")
  }

  @Test func filesThatAreNotAMappingAreRefused() throws {
    for (yaml, message) in [
      ("- 1\n", "it must be a mapping of param names to values"),
      ("a: [\n", "not valid YAML"),
    ] {
      let failure = #expect(throws: ParamsYAML.Failure.self) { try ParamsYAML.decode(yaml) }
      #expect(failure?.message.hasPrefix(message) == true, "\(failure?.message ?? "")")
    }
    #expect(try Self.inputs("").isEmpty)
    #expect(try Self.inputs("# only a comment\n").isEmpty)
  }
}
