import Interpreter
import Testing

@testable import Stdlib

@Suite struct TextTests {
  let h = Harness()
  let key = Secret(" s3cr3t-value \n", label: "key")

  @Test func splitOnWhitespace() throws {
    #expect(try h.call("split", .s("  a b\t\nc  ")) == .strings("a", "b", "c"))
    #expect(try h.call("split", .s("")) == .strings())
    #expect(try h.call("split", .s("a  b  c"), .nil, .int(2)) == .strings("a", "b  c"))
  }

  @Test func splitOnSeparator() throws {
    #expect(try h.call("split", .s("a,b,,c"), .s(",")) == .strings("a", "b", "", "c"))
    #expect(try h.call("split", .s("k=v=w"), .s("="), .int(2)) == .strings("k", "v=w"))
    #expect(try h.call("split", .s(""), .s(",")) == .strings(""))
    #expect(try h.call("split", .s("a::b"), named: [("sep", .s("::"))]) == .strings("a", "b"))
  }

  @Test func splitErrors() {
    #expect(h.error("split", .s("a"), .s("")) == "bad argument #2 to 'split' (empty separator)")
    #expect(
      h.error("split", .s("a"), .s(","), .int(0))
        == "bad argument #3 to 'split' (limit must be at least 1, got 0)")
    #expect(h.error("split", .int(1)) == "bad argument #1 to 'split' (string expected, got int)")
  }

  @Test func splitKeepsSecrets() throws {
    #expect(
      try h.call("split", .secret(Secret("a:b")), .s(":"))
        == .list([.secret(Secret("a")), .secret(Secret("b"))]))
  }

  @Test func join() throws {
    #expect(try h.call("join", .strings("a", "b"), .s(", ")) == .s("a, b"))
    #expect(try h.call("join", .list([.int(1), .s("x"), .nil])) == .s("1xnil"))
    #expect(
      try h.call("join", .list([.s("--key="), .secret(key)]))
        == .secret(Secret("--key=" + key.value)))
    #expect(h.error("join", .s("ab")) == "bad argument #1 to 'join' (list expected, got string)")
  }

  @Test func trimming() throws {
    #expect(try h.call("trim", .s("  hi \n")) == .s("hi"))
    #expect(try h.call("trim", .s("--x--"), .s("-")) == .s("x"))
    #expect(try h.call("trim", .secret(key)) == .secret(Secret("s3cr3t-value", label: "key")))
    #expect(try h.call("trim_prefix", .s("v1.31.0"), .s("v")) == .s("1.31.0"))
    #expect(try h.call("trim_prefix", .s("1.31.0"), .s("v")) == .s("1.31.0"))
    #expect(try h.call("trim_suffix", .s("a.yaml"), .s(".yaml")) == .s("a"))
    #expect(h.error("trim", .ints()) == "bad argument #1 to 'trim' (string expected, got list)")
  }

  @Test func lines() throws {
    #expect(try h.call("lines", .s("a\nb\r\nc\n")) == .strings("a", "b", "c"))
    #expect(try h.call("lines", .s("a\n\nb")) == .strings("a", "", "b"))
    #expect(try h.call("lines", .s("")) == .strings())
    #expect(try h.call("lines", .s("\n")) == .strings(""))
  }

  @Test func replace() throws {
    #expect(try h.call("replace", .s("a-b-c"), .s("-"), .s("+")) == .s("a+b+c"))
    #expect(try h.call("replace", .s("a-b-c"), .s("-"), .s(""), .int(1)) == .s("ab-c"))
    #expect(try h.call("replace", .s("x"), .s("y"), .s("z")) == .s("x"))
    #expect(
      try h.call("replace", .s("key=K"), .s("K"), .secret(Secret("v", label: "k")))
        == .secret(Secret("key=v", label: "k")))
    #expect(
      h.error("replace", .s("x"), .s(""), .s("z"))
        == "bad argument #2 to 'replace' (empty string to replace)")
    #expect(
      h.error("replace", .s("x"), .s("x"), .s("z"), .int(-1))
        == "bad argument #4 to 'replace' (count must not be negative, got -1)")
  }

  @Test func prefixesAndCase() throws {
    #expect(try h.call("starts_with", .s("kubeadm"), .s("kube")) == .bool(true))
    #expect(try h.call("ends_with", .s("kubeadm"), .s("kube")) == .bool(false))
    #expect(try h.call("upper", .s("abc")) == .s("ABC"))
    #expect(try h.call("lower", .s("ÀB")) == .s("àb"))
    #expect(try h.call("upper", .secret(Secret("a"))) == .secret(Secret("A")))
    #expect(
      h.error("starts_with", .s("a"), .int(1))
        == "bad argument #2 to 'starts_with' (string expected, got int)")
  }

  @Test func format() throws {
    #expect(try h.call("format", .s("{}:{}"), .s("host"), .int(6443)) == .s("host:6443"))
    #expect(try h.call("format", .s("{{}} {}"), .strings("a")) == .s("{} [\"a\"]"))
    #expect(try h.call("format", .s("no placeholders")) == .s("no placeholders"))
    #expect(
      try h.call("format", .s("--key {}"), .secret(key)) == .secret(Secret("--key " + key.value)))
  }

  @Test func formatWidthsAndAlignment() throws {
    #expect(try h.call("format", .s("[{:<6}]"), .s("cp1")) == .s("[cp1   ]"))
    #expect(try h.call("format", .s("[{:>6}]"), .s("cp1")) == .s("[   cp1]"))
    #expect(try h.call("format", .s("[{:^7}]"), .s("cp1")) == .s("[  cp1  ]"))
    #expect(try h.call("format", .s("[{:^6}]"), .s("cp1")) == .s("[ cp1  ]"))
    #expect(try h.call("format", .s("[{:6}]"), .s("cp1")) == .s("[cp1   ]"))
    #expect(try h.call("format", .s("[{:6}]"), .int(42)) == .s("[    42]"))
    #expect(try h.call("format", .s("[{:<6}]"), .float(1.5)) == .s("[1.5   ]"))
    #expect(try h.call("format", .s("[{:.<8}]"), .s("ok")) == .s("[ok......]"))
    #expect(try h.call("format", .s("[{:2}]"), .s("too long")) == .s("[too long]"))
    #expect(try h.call("format", .s("[{:>4}]"), .s("é")) == .s("[   é]"))
    #expect(
      try h.call("format", .s("{:<10}|{:>5}"), .s("node1"), .s("Ready"))
        == .s("node1     |Ready"))
    #expect(
      try h.call("format", .s("[{:>5}]"), .secret(Secret("abc"))) == .secret(Secret("[  abc]")))
  }

  @Test func formatWidthErrors() {
    for spec in ["{:x}", "{:<}", "{:<-3}", "{:99999999}", "{:<8"] {
      #expect(
        h.error("format", .s(spec), .int(1))?.hasPrefix("bad argument #1 to 'format' (") == true,
        "\(spec)")
    }
  }

  @Test func formatErrors() {
    #expect(
      h.error("format", .s("{} {}"), .int(1))
        == "format template has 2 placeholders but 1 value was given")
    #expect(
      h.error("format", .s("x"), .int(1), .int(2))
        == "format template has 0 placeholders but 2 values were given")
    #expect(
      h.error("format", .s("{0}"), .int(1))
        == "bad argument #1 to 'format' ('{' must be followed by '}', ':' (a width: {:<8}) or '{')")
    #expect(
      h.error("format", .s("a}"), .int(1))
        == "bad argument #1 to 'format' (single '}' in template; write '}}' for a brace)")
  }
}
