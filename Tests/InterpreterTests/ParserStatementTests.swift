import Interpreter
import Lexer
import Testing

@Suite("Parser: statements")
struct ParserStatementTests {
  @Test(
    "bindings, functions, params and imports",
    arguments: [
      ("let x = 1 + 2 * 3", "(let x (+ 1 (* 2 3)))"),
      ("var y", "(var y)"),
      ("var y = []", "(var y (list))"),
      ("fn add(a, b = 1) { return a + b }", "(fn add (a b=1) {(return (+ a b))})"),
      ("fn f() {\n}", "(fn f () {})"),
      ("param endpoint: string", "(param endpoint:string)"),
      ("param n: int = 3", "(param n:int 3)"),
      (#"param cidr = """#, #"(param cidr "")"#),
      ("param t: duration = 10m", "(param t:duration 10m)"),
      ("param k: secret", "(param k:secret)"),
      (#"import "lib/common.hf""#, #"(import "lib/common.hf")"#),
    ])
  func declarations(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "control flow",
    arguments: [
      ("if a { 1 }", "(if a {1})"),
      ("if a { 1 } else { 2 }", "(if a {1} {2})"),
      ("if a { 1 } else if b { 2 }", "(if a {1} {(if b {2})})"),
      ("if a { 1 } else if b { 2 } else { 3 }", "(if a {1} {(if b {2} {3})})"),
      ("if a {\n  1\n}\nelse {\n  2\n}", "(if a {1} {2})"),
      ("if f(x) { 1 }", "(if (call f x) {1})"),
      ("if x in {\"a\": 1} { 1 }", #"(if (in x (map ("a" 1))) {1})"#),
      ("for x in xs { log(x) }", "(for (x) xs {(call log x)})"),
      ("for k, v in m { }", "(for (k v) m {})"),
      ("for i in 0..<10 { }", "(for (i) (..< 0 10) {})"),
      ("for x in items(y) { }", "(for (x) (call items y) {})"),
      ("while x > 0 { x -= 1 }", "(while (> x 0) {(-= x 1)})"),
      ("while ready() { }", "(while (call ready) {})"),
      ("while true { break }", "(while true {(break)})"),
      ("for x in xs { continue }", "(for (x) xs {(continue)})"),
      ("fn f() { return }", "(fn f () {(return)})"),
      ("fn f() { return 1 }", "(fn f () {(return 1)})"),
      ("fn f() {\n  return\n  1\n}", "(fn f () {(return) 1})"),
      ("fn f() { return; 1 }", "(fn f () {(return) 1})"),
      ("try { a() } catch e { b(e) }", "(try {(call a)} catch e {(call b e)})"),
      ("try { a() } catch { b() }", "(try {(call a)} catch {(call b)})"),
      ("try {\n  a()\n}\ncatch {\n}", "(try {(call a)} catch {})"),
    ])
  func controlFlow(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "assignments",
    arguments: [
      ("x = 1", "(= x 1)"),
      ("x += 1", "(+= x 1)"),
      ("x -= 1", "(-= x 1)"),
      ("x *= 2", "(*= x 2)"),
      ("x /= 2", "(/= x 2)"),
      ("m[\"a\"].b[0] = 1", "(= (index (. (index m \"a\") b) 0) 1)"),
      ("a.b = c.d", "(= (. a b) (. c d))"),
      ("xs[i] = xs[i] + 1", "(= (index xs i) (+ (index xs i) 1))"),
    ])
  func assignments(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test("terminators: newlines, semicolons, blank lines, comments, '}'")
  func terminators() {
    #expect(
      ParserTest.dump("let a = 1; let b = 2; print(a + b)")
        == "(let a 1)\n(let b 2)\n(call print (+ a b))")
    #expect(ParserTest.dump("\n\n;;a\n\n;b;\n") == "a\nb")
    #expect(ParserTest.dump("a # comment\nb") == "a\nb")
    #expect(ParserTest.dump("if a { b; c }") == "(if a {b c})")
    #expect(ParserTest.dump("") == "")
  }

  @Test("a map literal can be a statement; a '{' after a statement keyword is a block")
  func mapVersusBlock() {
    #expect(ParserTest.dump("{a: 1}") == #"(map ("a" 1))"#)
    #expect(ParserTest.dump("{}") == "(map)")
    #expect(ParserTest.dump("if a {}") == "(if a {})")
  }

  @Test("the design's example playbook parses")
  func playbook() {
    let text = """
      # HA control plane, stacked etcd.
      param endpoint: string                 # LOAD_BALANCER_DNS:LOAD_BALANCER_PORT
      param pod_network_cidr = ""
      param cni_manifest: string

      let cps = group("control_plane")
      let workers = group("workers")
      warn_if_even(cps, "control-plane nodes")

      step "load balancer reaches the first control plane" {
        let p = probe(endpoint, timeout: 2s)
        if p.timed_out { fail("${endpoint} timed out: cannot reach ${cps[0]}") }
        log("load balancer answered: ${p.state}")
      }

      let join = step "init first control plane" on cps[0] {
        let out = sudo `kubeadm init --control-plane-endpoint ${endpoint} --upload-certs`
        return kubeadm.parse_init(out)
      }

      step "apply CNI" on cps[0] { sudo `kubectl apply -f ${cni_manifest}` }
      step "control-plane pods ready" on cps[0] {
        wait_until(timeout: 10m, every: 5s) { kubectl.pods_ready("kube-system") }
      }
      step "join control planes" on cps[1...] parallel {
        kubeadm.refresh_if_expired(join, on: cps[0])
        sudo join.control_plane
      }
      step "join workers" on workers parallel(limit: 20) { sudo join.worker }
      """
    let dump = ParserTest.dump(text)
    let lines = dump.split(separator: "\n")
    #expect(lines.count == 12)
    #expect(
      lines.last
        == #"(step "join workers" (on workers parallel limit:20) {(run sudo (. join worker))})"#)
    #expect(
      lines[9]
        == #"(step "control-plane pods ready" (on (index cps 0)) {(call wait_until timeout:10m every:5s (fn () {(call (. kubectl pods_ready) "kube-system")}))})"#
    )
  }
}
