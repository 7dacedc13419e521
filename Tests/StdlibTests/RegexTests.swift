import Interpreter
import Testing

@testable import Stdlib

@Suite struct RegexTests {
  let h = Harness()

  @Test func matchReturnsWholeAndGroups() throws {
    let out = "kubeadm join lb:6443 --token abc.def --discovery-token-ca-cert-hash sha256:0f"
    #expect(
      try h.call("match", .s("--token (\\S+)"), .s(out)) == .strings("--token abc.def", "abc.def"))
    #expect(
      try h.call("match", .s("^v(\\d+)\\.(\\d+)"), .s("v1.31.2")) == .strings("v1.31", "1", "31"))
    #expect(try h.call("match", .s("nope"), .s(out)) == .nil)
    #expect(try h.call("match", .s("a(x)?b"), .s("ab")) == .list([.s("ab"), .nil]))
  }

  @Test func matchOnSecretsGivesSecrets() throws {
    #expect(
      try h.call("match", .s("k=(\\w+)"), .secret(Secret("k=v")))
        == .list([.secret(Secret("k=v")), .secret(Secret("v"))]))
  }

  @Test func findAll() throws {
    #expect(try h.call("find_all", .s("\\d+"), .s("a1 b22 c333")) == .strings("1", "22", "333"))
    #expect(try h.call("find_all", .s("(\\w)=\\d"), .s("a=1 b=2")) == .strings("a", "b"))
    #expect(
      try h.call("find_all", .s("(\\w)=(\\d)"), .s("a=1 b=2"))
        == .list([.strings("a", "1"), .strings("b", "2")]))
    #expect(try h.call("find_all", .s("x"), .s("abc")) == .strings())
  }

  @Test func badPatterns() {
    let message = h.error("match", .s("(unclosed"), .s("x")) ?? ""
    #expect(message.hasPrefix("bad argument #1 to 'match' (invalid regular expression: "))
    #expect(!message.contains("\n"))
    #expect(
      h.error("find_all", .s("[z-a]"), .s("x"))?.hasPrefix(
        "bad argument #1 to 'find_all' (invalid regular expression") == true)
    #expect(
      h.error("match", .int(1), .s("x")) == "bad argument #1 to 'match' (string expected, got int)")
    #expect(
      h.error("match", .s("x"), .nil) == "bad argument #2 to 'match' (string expected, got nil)")
  }
}
