import Interpreter
import Lexer
import Testing

@Suite("Parser: expressions")
struct ParserExpressionTests {
  @Test(
    "literals and names",
    arguments: [
      ("42", "42"),
      ("1.5", "1.5"),
      ("2s", "2s"),
      ("1h30m", "1h30m"),
      ("500ms", "500ms"),
      ("true", "true"),
      ("false", "false"),
      ("nil", "nil"),
      ("hosts", "hosts"),
      (#""text""#, #""text""#),
      (#""a ${b} c""#, #""a ${b} c""#),
      (#""${m["k"]}""#, #""${(index m "k")}""#),
      (#""x ${a + 1}""#, #""x ${(+ a 1)}""#),
      ("`ls ${dir}`", "`ls ${dir}`"),
    ])
  func literals(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "precedence, one level at a time",
    arguments: [
      ("1 + 2 * 3", "(+ 1 (* 2 3))"),
      ("1 * 2 + 3", "(+ (* 1 2) 3)"),
      ("1 - 2 - 3", "(- (- 1 2) 3)"),
      ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
      ("7 % 3 * 2", "(* (% 7 3) 2)"),
      ("-a * b", "(* (- a) b)"),
      ("- -a", "(- (- a))"),
      ("-a.b", "(- (. a b))"),
      ("1 + 2 ... 3 * 4", "(... (+ 1 2) (* 3 4))"),
      ("0..<n - 1", "(..< 0 (- n 1))"),
      ("a...b == c", "(== (... a b) c)"),
      ("a + 1 < b", "(< (+ a 1) b)"),
      ("a == b", "(== a b)"),
      ("a != b", "(!= a b)"),
      ("a <= b", "(<= a b)"),
      ("a > b", "(> a b)"),
      ("a >= b", "(>= a b)"),
      ("a in b", "(in a b)"),
      ("a not in b", "(not-in a b)"),
      ("not a == b", "(not (== a b))"),
      ("not not a", "(not (not a))"),
      ("not a and b", "(and (not a) b)"),
      ("a and not b", "(and a (not b))"),
      ("a and b or c", "(or (and a b) c)"),
      ("a or b and c", "(or a (and b c))"),
      ("a or b ?? c", "(?? (or a b) c)"),
      ("a ?? b ?? c", "(?? (?? a b) c)"),
      ("a ?? b ? c : d", "(? (?? a b) c d)"),
      ("a ? b : c ? d : e", "(? a b (? c d e))"),
      ("a ? b ? c : d : e", "(? a (? b c d) e)"),
      ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
      ("x not in xs and y in ys", "(and (not-in x xs) (in y ys))"),
    ])
  func precedence(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "postfix: calls, arguments, index, slices, members",
    arguments: [
      ("f()", "(call f)"),
      ("f(1, 2)", "(call f 1 2)"),
      ("f(1, 2,)", "(call f 1 2)"),
      ("probe(endpoint, timeout: 2s)", "(call probe endpoint timeout:2s)"),
      ("f(on: cps[0])", "(call f on:(index cps 0))"),
      ("f(a ? b : c)", "(call f (? a b c))"),
      ("f(x)(y)", "(call (call f x) y)"),
      ("a.b.c", "(. (. a b) c)"),
      ("r.local", "(. r local)"),
      ("kubeadm.parse_init(out)", "(call (. kubeadm parse_init) out)"),
      ("xs[0]", "(index xs 0)"),
      ("xs[i + 1]", "(index xs (+ i 1))"),
      ("m[k ?? \"d\"]", "(index m (?? k \"d\"))"),
      ("m[a == b]", "(index m (== a b))"),
      ("m[not a]", "(index m (not a))"),
      ("m[a ? 1 : 2]", "(index m (? a 1 2))"),
      ("xs[1...]", "(slice xs 1 ... _)"),
      ("xs[..<2]", "(slice xs _ ..< 2)"),
      ("xs[1..<3]", "(slice xs 1 ..< 3)"),
      ("xs[...2]", "(slice xs _ ... 2)"),
      ("xs[1...3]", "(slice xs 1 ... 3)"),
      ("xs[-2...]", "(slice xs (- 2) ... _)"),
      ("xs[i + 1..<n - 1]", "(slice xs (+ i 1) ..< (- n 1))"),
      ("xs[...]", "(slice xs _ ... _)"),
      ("m[\"a\"].b[0]", "(index (. (index m \"a\") b) 0)"),
      ("a\n  .b\n  .c()", "(call (. (. a b) c))"),
    ])
  func postfix(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "lists and maps",
    arguments: [
      ("[]", "(list)"),
      ("[1, 2, 3]", "(list 1 2 3)"),
      ("[1, [2], 3,]", "(list 1 (list 2) 3)"),
      ("[1,\n 2]", "(list 1 2)"),
      ("{}", "(map)"),
      (#"{"k": v, k2: v2, (expr): 3}"#, #"(map ("k" v) ("k2" v2) (expr 3))"#),
      (#"{"a": 1,}"#, #"(map ("a" 1))"#),
      ("{\n  a: 1\n  b: 2\n}", #"(map ("a" 1) ("b" 2))"#),
      ("{\n  a: 1,\n\n  b:\n    2,\n}", #"(map ("a" 1) ("b" 2))"#),
      ("{on: 1, if: 2}", #"(map ("on" 1) ("if" 2))"#),
      (#"{"${k}": 1}"#, #"(map ("${k}" 1))"#),
      (#"{a: {b: [1, {c: 2}]}}"#, #"(map ("a" (map ("b" (list 1 (map ("c" 2)))))))"#),
      ("{a: 1}[\"a\"]", #"(index (map ("a" 1)) "a")"#),
    ])
  func collections(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "closures and trailing closures",
    arguments: [
      ("fn(x) { x * 2 }", "(fn (x) {(* x 2)})"),
      ("fn(a, b = 1,) { }", "(fn (a b=1) {})"),
      ("fn() { }", "(fn () {})"),
      ("fn { 1 }", "(fn () {1})"),
      ("map(xs, fn(x) { x + 1 })", "(call map xs (fn (x) {(+ x 1)}))"),
      (
        "wait_until(timeout: 10m, every: 5s) { ready() }",
        "(call wait_until timeout:10m every:5s (fn () {(call ready)}))"
      ),
      ("each(xs) {\n  log(1)\n  log(2)\n}", "(call each xs (fn () {(call log 1) (call log 2)}))"),
      ("f(g() { 1 })", "(call f (call g (fn () {1})))"),
      ("f() { 1 }.x", "(. (call f (fn () {1})) x)"),
      ("fn(x) {\n  return x\n}(3)", "(call (fn (x) {(return x)}) 3)"),
    ])
  func closures(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "commands with sudo and local",
    arguments: [
      ("`uptime`", "`uptime`"),
      ("sudo `x`", "(cmd sudo `x`)"),
      ("local `x`", "(cmd local `x`)"),
      ("local sudo `x`", "(cmd local sudo `x`)"),
      ("sudo local `x`", "(cmd local sudo `x`)"),
      ("sudo (`x`)", "(cmd sudo `x`)"),
      ("sudo join.control_plane", "(run sudo (. join control_plane))"),
      ("local sudo c", "(run local sudo c)"),
      ("sudo f(x)", "(run sudo (call f x))"),
      (
        "sudo `kubeadm init --endpoint ${endpoint}`",
        "(cmd sudo `kubeadm init --endpoint ${endpoint}`)"
      ),
      ("sudo `a` + 1", "(+ (cmd sudo `a`) 1)"),
      ("local `ls`.stdout", "(. (cmd local `ls`) stdout)"),
      ("sudo local `ls`.lines()[0]", "(index (call (. (cmd local sudo `ls`) lines)) 0)"),
      ("sudo -x", "(run sudo (- x))"),
      ("-sudo `x`.code", "(- (. (cmd sudo `x`) code))"),
    ])
  func commands(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test(
    "step and on",
    arguments: [
      (#"step "a" { 1 }"#, #"(step "a" {1})"#),
      (#"step "a" on cps[0] { 1 }"#, #"(step "a" (on (index cps 0)) {1})"#),
      (
        #"step "a" on cps[1...] parallel { 1 }"#,
        #"(step "a" (on (slice cps 1 ... _) parallel) {1})"#
      ),
      (#"step "a" on h parallel() { 1 }"#, #"(step "a" (on h parallel) {1})"#),
      (
        #"step "a" on workers parallel(limit: 20) { 1 }"#,
        #"(step "a" (on workers parallel limit:20) {1})"#
      ),
      (#"step name(x) { 1 }"#, #"(step (call name x) {1})"#),
      (#"step "a" on group("w") { 1 }"#, #"(step "a" (on (call group "w")) {1})"#),
      ("on hosts { `uptime` }", "(on hosts {`uptime`})"),
      (
        "on hosts parallel(limit: 2, fail_fast: true) { 1 }",
        "(on hosts parallel limit:2 fail_fast:true {1})"
      ),
      ("on group(\"db\") { 1 }", #"(on (call group "db") {1})"#),
      (#"let j = step "x" on h { return 1 }"#, #"(let j (step "x" (on h) {(return 1)}))"#),
      (#"let r = on h { 1 }"#, #"(let r (on h {1}))"#),
    ])
  func steps(source: String, expected: String) {
    #expect(ParserTest.dump(source) == expected)
  }

  @Test("line continuations after operators, '=', '?', ':' and ','")
  func continuations() {
    #expect(ParserTest.dump("let x = 1 +\n  2") == "(let x (+ 1 2))")
    #expect(ParserTest.dump("let x =\n  3") == "(let x 3)")
    #expect(ParserTest.dump("let x = a and\n  b") == "(let x (and a b))")
    #expect(ParserTest.dump("let x = c ?\n  a :\n  b") == "(let x (? c a b))")
    #expect(ParserTest.dump("x +=\n 1") == "(+= x 1)")
    #expect(ParserTest.dump("f(a,\n b)") == "(call f a b)")
  }
}
