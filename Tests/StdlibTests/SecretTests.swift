import Interpreter
import Testing

@testable import Stdlib

@Suite struct SecretTests {
  @Test func secretAndReveal() throws {
    let h = Harness()
    let secret = try h.call("secret", .s("abc"), named: [("label", .s("token"))])
    #expect(secret == .secret(Secret("abc", label: "token")))
    #expect(secret.repr == "<secret token>")
    #expect(try h.call("reveal", secret) == .s("abc"))
    #expect(try h.call("reveal", .s("plain")) == .s("plain"))
    #expect(try h.call("secret", secret) == .secret(Secret("abc", label: "token")))
    if case .secret(let relabelled) = try h.call("secret", secret, .s("other")) {
      #expect(relabelled.label == "other")
    }
    #expect(h.error("secret", .int(1)) == "bad argument #1 to 'secret' (string expected, got int)")
    #expect(h.error("reveal", .int(1)) == "bad argument #1 to 'reveal' (string expected, got int)")
  }

  @Test func environment() throws {
    var h = Harness()
    h.environment = ["HOME": "/root"]
    #expect(try h.call("env", .s("HOME")) == .s("/root"))
    #expect(try h.call("env", .s("NOPE")) == .nil)
    #expect(try h.call("env", .s("NOPE"), .s("dflt")) == .s("dflt"))
    #expect(h.error("env", .nil) == "bad argument #1 to 'env' (string expected, got nil)")
  }
}
