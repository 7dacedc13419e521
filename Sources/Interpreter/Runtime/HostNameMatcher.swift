/// A name, a shell-style wildcard (`*`, `?`, `[abc]`, `[!abc]`) or a `~regex`.
struct HostNameMatcher {
  private enum Kind {
    case literal(String)
    case wildcard([Character])
    case regex(Regex<AnyRegexOutput>)
  }

  private let kind: Kind

  init(_ expression: String) throws {
    if expression.first == "~" {
      do {
        kind = .regex(try Regex(String(expression.dropFirst())))
      } catch {
        throw RuntimeError(
          "invalid regular expression in host pattern '\(expression)': \(error)",
          hint: "after ~ comes a regular expression matched from the start of the name")
      }
    } else if expression.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
      kind = .wildcard(Array(expression))
    } else {
      kind = .literal(expression)
    }
  }

  /// Whether the term is a plain name (no wildcard or regex).
  var isLiteral: Bool {
    if case .literal = kind { return true }
    return false
  }

  func matches(_ name: String) -> Bool {
    switch kind {
    case .literal(let literal): return name == literal
    case .wildcard(let pattern): return Self.glob(pattern[...], Array(name)[...])
    case .regex(let regex): return (try? regex.prefixMatch(in: name)) != nil
    }
  }

  /// fnmatch without special cases for `/` or a leading `.`.
  static func glob(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
    var p = pattern.startIndex
    var n = name.startIndex
    var star: (pattern: Int, name: Int)?
    while n < name.endIndex {
      if p < pattern.endIndex {
        switch pattern[p] {
        case "*":
          star = (p, n)
          p += 1
          continue
        case "?":
          p += 1
          n += 1
          continue
        case "[":
          if let (matched, next) = bracket(pattern, at: p, name[n]) {
            if matched {
              p = next
              n += 1
              continue
            }
          } else if name[n] == "[" {
            p += 1
            n += 1
            continue
          }
        case let literal where literal == name[n]:
          p += 1
          n += 1
          continue
        default: break
        }
      }
      guard let last = star else { return false }
      p = last.pattern + 1
      n = last.name + 1
      star = (last.pattern, last.name + 1)
    }
    while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
    return p == pattern.endIndex
  }

  /// A `[…]` set at `start`: whether `character` is in it and where the pattern goes on; nil
  /// when the bracket is not closed (it is then an ordinary character).
  private static func bracket(
    _ pattern: ArraySlice<Character>, at start: Int, _ character: Character
  ) -> (Bool, Int)? {
    var index = start + 1
    var negated = false
    if index < pattern.endIndex, pattern[index] == "!" || pattern[index] == "^" {
      negated = true
      index += 1
    }
    var matched = false
    var first = true
    while index < pattern.endIndex {
      let c = pattern[index]
      if c == "]" && !first { return (matched != negated, index + 1) }
      if index + 2 < pattern.endIndex, pattern[index + 1] == "-", pattern[index + 2] != "]" {
        if c <= character && character <= pattern[index + 2] { matched = true }
        index += 3
      } else {
        if c == character { matched = true }
        index += 1
      }
      first = false
    }
    return nil
  }
}
