import Interpreter
import Testing

@testable import Stdlib

@Suite struct JSONTests {
  let h = Harness()

  @Test func encodesCompactly() throws {
    let value = Value.map([
      "name": .s("cp1"), "port": .int(6443), "ratio": .float(0.5), "ok": .bool(true),
      "none": .nil, "tags": .strings("a", "b"), "wait": .seconds(90), "empty": .map([:]),
      "list": .ints(),
    ])
    #expect(
      try h.call("json.encode", value)
        == .s(
          #"{"name":"cp1","port":6443,"ratio":0.5,"ok":true,"none":null,"tags":["a","b"],"wait":"1m30s","empty":{},"list":[]}"#
        ))
  }

  @Test func encodesPretty() throws {
    let value = Value.map(["a": .ints(1, 2), "b": .map(["c": .nil])])
    #expect(
      try h.call("json.encode", value, .bool(true))
        == .s("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}"))
    #expect(try h.call("json.encode", .ints(1), named: [("indent", .int(4))]) == .s("[\n    1\n]"))
  }

  @Test func escapesStrings() throws {
    #expect(try h.call("json.encode", .s("a\"b\\c\n\t\u{1}é")) == .s(#""a\"b\\c\n\t\u0001é""#))
  }

  @Test func encodeErrors() {
    #expect(h.error("json.encode", .float(.nan)) == "cannot encode nan as JSON")
    #expect(
      h.error("json.encode", .list([.fn("len")]))
        == "cannot encode a value of type function as JSON")
    #expect(
      h.error("json.encode", .nil, .s("x"))
        == "bad argument #2 to 'json.encode' (bool or int expected, got string)")
    #expect(
      h.error("json.encode", .nil, .int(99))
        == "bad argument #2 to 'json.encode' (indent must be between 0 and 16, got 99)")
  }

  @Test func secretsMakeTheOutputSecret() throws {
    let out = try h.call("json.encode", .map(["key": .secret(Secret("abc"))]))
    #expect(out == .secret(Secret(#"{"key":"abc"}"#)))
  }

  @Test func decodes() throws {
    let text =
      #" {"b": [1, -2.5e2, "x\u00e9\ud83d\ude00", true, false, null], "a": {}, "n": 12345678901234567890} "#
    #expect(
      try h.call("json.decode", .s(text))
        == .map([
          "b": .list([.int(1), .float(-250), .s("xé😀"), .bool(true), .bool(false), .nil]),
          "a": .map([:]), "n": .float(1.2345678901234567e19),
        ]))
    guard case .map(let m) = try h.call("json.decode", .s(#"{"z": 1, "a": 2, "m": 3}"#)) else {
      Issue.record("not a map")
      return
    }
    #expect(Array(m.keys) == ["z", "a", "m"])
  }

  @Test func roundTrips() throws {
    let values: [Value] = [
      .map(["x": .list([.int(1), .float(1.0), .s("é\n"), .nil, .map(["y": .bool(false)])])]),
      .ints(), .s(""), .int(Int.min), .float(1e-7),
    ]
    for value in values {
      for indent in [Value.bool(false), .bool(true)] {
        let text = try h.call("json.encode", value, indent)
        #expect(try h.call("json.decode", text) == value)
      }
    }
  }

  @Test func decodeErrors() {
    #expect(
      h.error("json.decode", .s("{\"a\": }"))
        == "invalid JSON at line 1, column 7: expected a value, found '}'")
    #expect(
      h.error("json.decode", .s("[1,\n 2"))
        == "invalid JSON at line 2, column 3: expected ',' or ']', found the end of the text")
    #expect(
      h.error("json.decode", .s("{a: 1}"))
        == "invalid JSON at line 1, column 2: expected a key in double quotes, found 'a'")
    #expect(
      h.error("json.decode", .s("1 2"))
        == "invalid JSON at line 1, column 3: unexpected text after the value")
    #expect(
      h.error("json.decode", .s("\"abc")) == "invalid JSON at line 1, column 5: unterminated string"
    )
    #expect(
      h.error("json.decode", .s("\"\\x\""))
        == "invalid JSON at line 1, column 2: invalid escape '\\x'")
    #expect(
      h.error("json.decode", .s(""))
        == "invalid JSON at line 1, column 1: expected a value, found the end of the text")
    #expect(
      h.error("json.decode", .s("01"))
        == "invalid JSON at line 1, column 2: unexpected text after the value")
    #expect(
      h.error("json.decode", .s(String(repeating: "[", count: 600)))
        == "invalid JSON at line 1, column 513: nested deeper than 512 levels")
    #expect(
      h.error("json.decode", .s("\"\\ud800\""))
        == "invalid JSON at line 1, column 8: unpaired surrogate in \\u escape")
  }

  @Test func decodesCommandOutput() throws {
    let result = Value.result(
      CommandResult(
        host: "h", command: "c", stdout: "{\"ok\": true}\n", stderr: "", exitStatus: 0, duration: 0)
    )
    #expect(try h.call("json.decode", result) == .map(["ok": .bool(true)]))
  }
}
