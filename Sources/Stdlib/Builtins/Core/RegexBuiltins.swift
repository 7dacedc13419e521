import Interpreter

/// Regular expressions (Swift `Regex` syntax, which is PCRE-like): `match` and `find_all`.
enum RegexBuiltins {
  static let family = BuiltinFamily(
    title: "Regular expressions",
    help: "Searching text with regular expressions (PCRE-like syntax; anchor with ^ and $).",
    builtins: [
      Builtin(
        "match", [.req("pattern"), .req("s")],
        help:
          "The first match anywhere in `s` as [whole, group1, …] (nil for a group that took no part), or nil.",
        resolve: { param in
          let (pattern, s) = (param["pattern"], param["s"])
          return { call in
            let regex = try compile(call, pattern)
            let text = try call.text(s)
            guard let match = try firstMatch(regex, in: text.text, call: call, pattern) else {
              return .nil
            }
            return .list(
              match.output.map { group in group.substring.map { text.wrap(String($0)) } ?? .nil })
          }
        }),
      Builtin(
        "find_all", [.req("pattern"), .req("s")],
        help:
          "Every match: whole matches, or the group's text when the pattern has one group, or lists of groups.",
        resolve: findAll),
    ])

  static func compile(_ call: BuiltinCall, _ argument: BuiltinArgument) throws
    -> Regex<AnyRegexOutput>
  {
    let pattern = try call.string(argument)
    do {
      return try Regex(pattern)
    } catch {
      throw call.badArgument(argument, "invalid regular expression: \(describe(error))")
    }
  }

  static func describe(_ error: any Error) -> String {
    let text = String(describing: error)
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  static func firstMatch(
    _ regex: Regex<AnyRegexOutput>, in text: String, call: BuiltinCall,
    _ pattern: BuiltinArgument
  ) throws -> Regex<AnyRegexOutput>.Match? {
    do {
      return try regex.firstMatch(in: text)
    } catch {
      throw call.badArgument(pattern, "regular expression failed: \(describe(error))")
    }
  }

  static func findAll(_ param: ParameterLookup) -> Builtin.Body {
    let (pattern, s) = (param["pattern"], param["s"])
    return { call in
      let regex = try compile(call, pattern)
      let text = try call.text(s)
      var out: [Value] = []
      for match in text.text.matches(of: regex) {
        let groups = match.output.map { group in
          group.substring.map { text.wrap(String($0)) } ?? .nil
        }
        switch groups.count {
        case 1: out.append(groups[0])
        case 2: out.append(groups[1])
        default: out.append(.list(Array(groups.dropFirst())))
        }
      }
      return .list(out)
    }
  }
}
