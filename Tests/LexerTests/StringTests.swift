import Lexer
import Testing

@Suite("Tokenizer: strings, escapes, interpolation, commands")
struct StringTests {
  @Test func plainStrings() {
    #expect(Lex.single(#""""#) == .string([]))
    #expect(Lex.single(#""hello, world""#) == .string([.text("hello, world")]))
    #expect(
      Lex.single(##""# is text and `so is this`""##)
        == .string([.text("# is text and `so is this`")]))
    #expect(Lex.single(#""cost: $5 and $""#) == .string([.text("cost: $5 and $")]))
  }

  @Test func escapes() {
    #expect(Lex.single(#""a\nb\tc\rd\0e""#) == .string([.text("a\nb\tc\rd\0e")]))
    #expect(Lex.single(#""\\ \" \$""#) == .string([.text("\\ \" $")]))
    #expect(Lex.single(#""\${x}""#) == .string([.text("${x}")]))
    #expect(Lex.single(#""\u{41}\u{e9}\u{1F600}\u{0}""#) == .string([.text("Aé😀\0")]))
    #expect(Lex.single(#""\u{0010FFFF}""#) == .string([.text("\u{10FFFF}")]))
  }

  @Test func multiByteTextRoundTrips() {
    let text = "héllo wörld — 日本語 🎉 \u{301}"
    #expect(Lex.single("\"\(text)\"") == .string([.text(text)]))
    #expect(Lex.single("`echo \(text)`") == .command([.text("echo \(text)")]))
    #expect(Lex.kinds("# \(text)\nx") == [.identifier("x")])
  }

  @Test func interpolation() {
    let source = #""a${b}c${ d + 1 }""#
    let (tokens, diagnostics, _) = Lex.run(source)
    #expect(diagnostics.isEmpty)
    #expect(tokens.count == 2)
    #expect(tokens[0].span == Span(file: 0, start: 0, end: 18))
    #expect(
      tokens[0].kind
        == .string([
          .text("a"),
          .code(
            [
              Token(.identifier("b"), Span(file: 0, start: 4, end: 5)),
              Token(.eof, Span(file: 0, start: 5, end: 6)),
            ], Span(file: 0, start: 2, end: 6)),
          .text("c"),
          .code(
            [
              Token(.identifier("d"), Span(file: 0, start: 10, end: 11)),
              Token(.punct(.plus), Span(file: 0, start: 12, end: 13)),
              Token(.int(1), Span(file: 0, start: 14, end: 15)),
              Token(.eof, Span(file: 0, start: 16, end: 17)),
            ], Span(file: 0, start: 7, end: 17)),
        ]))
  }

  @Test func interpolationOnly() {
    guard case .string(let parts) = Lex.single(#""${x}""#) else {
      Issue.record("not a string")
      return
    }
    #expect(parts.count == 1)
    guard case .code(let tokens, _) = parts.first else {
      Issue.record("not code")
      return
    }
    #expect(tokens.map(\.kind) == [.identifier("x"), .eof])
  }

  @Test func emptyInterpolation() {
    #expect(
      Lex.single(#""${}""#)
        == .string([
          .code([Token(.eof, Span(file: 0, start: 3, end: 4))], Span(file: 0, start: 1, end: 4))
        ]))
  }

  @Test func interpolationNesting() {
    #expect(Lex.literal(#""${m["k"]}""#) == #"${m [ "k" ]}"#)
    #expect(Lex.literal(#""${ {"a": 1}["a"] }""#) == #"${{ "a" : 1 } [ "a" ]}"#)
    #expect(Lex.literal(#""nested ${"in ${name}"}!""#) == #"nested ${"in ${name}"}!"#)
    #expect(Lex.literal(#""${f(fn() { x })}""#) == "${f ( fn ( ) { x } )}")
    #expect(Lex.literal(#""${`ls ${dir}`}""#) == "${`ls ${dir}`}")
  }

  @Test func nestedInterpolationTokens() {
    let (tokens, _, source) = Lex.run(#""${"in ${name}"}""#)
    guard case .string(let outer) = tokens[0].kind, case .code(let code, _) = outer[0],
      case .string(let inner) = code[0].kind, case .code(let innermost, let span) = inner[1]
    else {
      Issue.record("unexpected shape: \(tokens)")
      return
    }
    #expect(source.text(of: span) == "${name}")
    #expect(innermost.map { source.text(of: $0.span) } == ["name", "}"])
    #expect(code.last?.kind == .eof)
    #expect(source.text(of: code[code.count - 1].span) == "}")
  }

  @Test func interpolationHasNoNewlineTokens() {
    #expect(Lex.literal(#""${ a ; b }""#) == "${a ; b}")
  }

  @Test func commands() {
    #expect(Lex.single("`ls -la`") == .command([.text("ls -la")]))
    #expect(Lex.single("``") == .command([]))
    #expect(Lex.single(#"`a\`b\$c\\d`"#) == .command([.text(#"a`b$c\d"#)]))
    #expect(
      Lex.single(#"`printf 'a\nb\t' "$HOME" \q`"#)
        == .command([.text(#"printf 'a\nb\t' "$HOME" \q"#)]))
    #expect(Lex.single(#"`echo \${x}`"#) == .command([.text("echo ${x}")]))
    #expect(
      Lex.literal(#"`kubeadm join ${endpoint} --token ${token}`"#)
        == "kubeadm join ${endpoint} --token ${token}")
  }

  @Test func commandsSpanLines() {
    #expect(
      Lex.single("`kubeadm join \\\n    --token x \\\n    --discovery-token-ca-cert-hash y`")
        == .command([
          .text("kubeadm join \\\n    --token x \\\n    --discovery-token-ca-cert-hash y")
        ]))
    #expect(Lex.single("`a\r\nb`") == .command([.text("a\nb")]))
    #expect(Lex.kinds("`a\nb`\nx") == [.command([.text("a\nb")]), .newline, .identifier("x")])
  }

  @Test func commandInterpolation() {
    #expect(Lex.literal("`cat ${\"a`b\"} | grep ${ `x` }`") == "cat ${\"a`b\"} | grep ${`x`}")
  }
}
