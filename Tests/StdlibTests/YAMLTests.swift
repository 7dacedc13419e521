import Interpreter
import Testing

@testable import Stdlib

@Suite struct YAMLTests {
  let h = Harness()

  @Test func decodesTypedScalarsInOrder() throws {
    let text = """
      z: 1
      a: 2.5
      flag: true
      none: null
      tilde: ~
      name: cp1
      quoted: "true"
      list:
        - x
        - 3
      nested: {k: v}
      """
    #expect(
      try h.call("yaml.decode", .s(text))
        == .map([
          "z": .int(1), "a": .float(2.5), "flag": .bool(true), "none": .nil, "tilde": .nil,
          "name": .s("cp1"), "quoted": .s("true"), "list": .list([.s("x"), .int(3)]),
          "nested": .map(["k": .s("v")]),
        ]))
    guard case .map(let m) = try h.call("yaml.decode", .s(text)) else { return }
    #expect(Array(m.keys).prefix(3) == ["z", "a", "flag"])
  }

  @Test func decodesEmptyAndScalars() throws {
    #expect(try h.call("yaml.decode", .s("")) == .nil)
    #expect(try h.call("yaml.decode", .s("42")) == .int(42))
    #expect(try h.call("yaml.decode", .s("- 1\n- 2\n")) == .ints(1, 2))
    #expect(
      try h.call("yaml.decode", .s("a: &x [1]\nb: *x\n")) == .map(["a": .ints(1), "b": .ints(1)]))
    #expect(try h.call("yaml.decode", .s("1: one\n")) == .map(["1": .s("one")]))
  }

  @Test func decodesAllDocuments() throws {
    let text = "kind: A\n---\nkind: B\n"
    #expect(
      try h.call("yaml.decode_all", .s(text))
        == .list([.map(["kind": .s("A")]), .map(["kind": .s("B")])]))
    #expect(h.error("yaml.decode", .s(text))?.hasPrefix("invalid YAML: ") == true)
  }

  @Test func decodeErrors() {
    let message = h.error("yaml.decode", .s("a: [1, 2\nb: c")) ?? ""
    #expect(message.hasPrefix("invalid YAML: "))
    #expect(!message.contains("\n"))
    #expect(
      h.error("yaml.decode", .s("? [1]\n: x\n"))
        == "YAML mapping keys must be scalars, not lists or maps")
    #expect(
      h.error("yaml.decode", .int(1))
        == "bad argument #1 to 'yaml.decode' (string expected, got int)")
  }

  @Test func aliasBombsAreStopped() {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...7 {
      text +=
        "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
        + "]\n"
    }
    #expect(h.error("yaml.decode", .s(text)) == "YAML document expands to more than 1000000 values")
  }

  @Test func encodes() throws {
    let value = Value.map([
      "name": .s("cp1"), "port": .int(6443), "on": .bool(true), "none": .nil, "ratio": .float(0.5),
      "looks_like_bool": .s("yes"), "looks_like_int": .s("10"), "items": .strings("a", "b"),
      "empty": .map([:]), "wait": .seconds(30),
    ])
    let expected = """
      name: cp1
      port: 6443
      'on': true
      none: null
      ratio: 0.5
      looks_like_bool: 'yes'
      looks_like_int: '10'
      items:
      - a
      - b
      empty: {}
      wait: 30s

      """
    #expect(try h.call("yaml.encode", value) == .s(expected))
  }

  @Test func encodesMultilineStringsAsBlocks() throws {
    let value = Value.map(["script": .s("line 1\nline 2\n")])
    #expect(try h.call("yaml.encode", value) == .s("script: |\n  line 1\n  line 2\n"))
  }

  @Test func roundTrips() throws {
    let values: [Value] = [
      .map([
        "z": .list([.int(1), .float(1.5), .s("é"), .nil, .bool(false), .s("null"), .s("")]),
        "a": .map(["b": .s("multi\nline"), "c": .s(" lead"), "d": .s("#x"), "e": .s("a: b")]),
      ]),
      .ints(), .s("plain"), .int(-5), .float(-0.25),
    ]
    for value in values {
      let text = try h.call("yaml.encode", value)
      #expect(try h.call("yaml.decode", text) == value)
    }
  }

  @Test func encodeErrors() throws {
    #expect(h.error("yaml.encode", .fn("len")) == "cannot encode a value of type function as YAML")
    #expect(
      try h.call("yaml.encode", .map(["k": .secret(Secret("v"))])) == .secret(Secret("k: v\n")))
  }
}
