import Foundation
import Interpreter

/// String built-ins. Text made from a secret stays a secret; a command result stands for its
/// stdout.
enum TextBuiltins {
  static let family = BuiltinFamily(
    title: "Text",
    help: "Strings; a result stands for its stdout, and text made from a secret stays secret.",
    builtins: [
      Builtin(
        "split", [.req("s"), .opt("sep", "whitespace"), .opt("limit", "nil")],
        help:
          "Splits at each `sep` (default: runs of whitespace, dropping empty parts); at most `limit` parts.",
        resolve: split),
      Builtin(
        "join", [.req("list"), .opt("sep", "\"\"")],
        help: "The items as text (as `print` shows them), with `sep` between.",
        resolve: { param in
          let (list, sep) = (param["list"], param["sep"])
          return { call in
            let separator = try call.optionalString(sep) ?? ""
            var builder = TextBuilder()
            for (index, item) in try call.list(list).enumerated() {
              if index > 0 { builder.append(separator) }
              builder.append(item)
            }
            return builder.value
          }
        }),
      Builtin(
        "trim", [.req("s"), .opt("chars", "whitespace")],
        help: "Removes whitespace and newlines (or any of `chars`) from both ends.",
        resolve: { param in
          let (s, chars) = (param["s"], param["chars"])
          return { call in
            let text = try call.text(s)
            let set = try call.optionalString(chars).map { CharacterSet(charactersIn: $0) }
            return text.wrap(text.text.trimmingCharacters(in: set ?? .whitespacesAndNewlines))
          }
        }),
      Builtin(
        "trim_prefix", [.req("s"), .req("prefix")],
        help: "The string without `prefix` at the start, if it is there.",
        resolve: { param in
          let (s, prefixArgument) = (param["s"], param["prefix"])
          return { call in
            let text = try call.text(s)
            let prefix = try call.string(prefixArgument)
            return text.wrap(
              text.text.hasPrefix(prefix) ? String(text.text.dropFirst(prefix.count)) : text.text)
          }
        }),
      Builtin(
        "trim_suffix", [.req("s"), .req("suffix")],
        help: "The string without `suffix` at the end, if it is there.",
        resolve: { param in
          let (s, suffixArgument) = (param["s"], param["suffix"])
          return { call in
            let text = try call.text(s)
            let suffix = try call.string(suffixArgument)
            return text.wrap(
              text.text.hasSuffix(suffix) ? String(text.text.dropLast(suffix.count)) : text.text)
          }
        }),
      Builtin(
        "lines", [.req("s")],
        help: "The lines of the text, without line endings (a final newline adds no empty line).",
        resolve: { param in
          let s = param["s"]
          return { call in
            let text = try call.text(s)
            return .list(lines(text.text).map(text.wrap))
          }
        }),
      Builtin(
        "replace", [.req("s"), .req("old"), .req("new"), .opt("count", "all")],
        help: "Replaces occurrences of `old` with `new` (the first `count` only, when given).",
        resolve: replace),
      Builtin(
        "starts_with", [.req("s"), .req("prefix")],
        help: "Whether the string starts with `prefix`.",
        resolve: { param in
          let (s, prefix) = (param["s"], param["prefix"])
          return { call in .bool(try call.text(s).text.hasPrefix(try call.string(prefix))) }
        }),
      Builtin(
        "ends_with", [.req("s"), .req("suffix")], help: "Whether the string ends with `suffix`.",
        resolve: { param in
          let (s, suffix) = (param["s"], param["suffix"])
          return { call in .bool(try call.text(s).text.hasSuffix(try call.string(suffix))) }
        }),
      Builtin(
        "upper", [.req("s")], help: "The string in upper case.",
        resolve: { param in
          let s = param["s"]
          return { call in
            let text = try call.text(s)
            return text.wrap(text.text.uppercased())
          }
        }),
      Builtin(
        "lower", [.req("s")], help: "The string in lower case.",
        resolve: { param in
          let s = param["s"]
          return { call in
            let text = try call.text(s)
            return text.wrap(text.text.lowercased())
          }
        }),
      Builtin(
        "format", [.req("template"), .rest("values")],
        help:
          "Fills each `{}` with the next value (as `print` shows it); `{:<8}`, `{:>6}`, `{:^10}` pad it to a width (left, right, centred; `{:8}` is left for text, right for numbers; `{:.<8}` pads with dots); `{{` and `}}` are braces.",
        resolve: { param in
          let (template, values) = (param["template"], param["values"])
          return { call in try TextFormat.format(call, template: template, values: values) }
        }),
    ])

  /// Lines without their `\n` or `\r\n`; a final newline does not add an empty line.
  static func lines(_ text: String) -> [String] {
    if text.isEmpty { return [] }
    // "\r\n" is one Character, so compare whole characters.
    var parts = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
      .map(String.init)
    if text.last == "\n" || text.last == "\r\n" { parts.removeLast() }
    return parts
  }

  static func split(_ param: ParameterLookup) -> Builtin.Body {
    let (s, sep, limitArgument) = (param["s"], param["sep"], param["limit"])
    return { call in
      let text = try call.text(s)
      let separator = try call.optionalString(sep)
      let limit = try call.optionalInt(limitArgument) ?? Int.max
      if limit < 1 {
        throw call.badArgument(limitArgument, "limit must be at least 1, got \(limit)")
      }
      let parts: [String]
      if let separator {
        if separator.isEmpty { throw call.badArgument(sep, "empty separator") }
        parts = splitExact(text.text, separator, limit: limit)
      } else {
        parts = splitWhitespace(text.text, limit: limit)
      }
      return .list(parts.map(text.wrap))
    }
  }

  static func splitExact(_ text: String, _ separator: String, limit: Int) -> [String] {
    var parts: [String] = []
    var rest = text[...]
    while parts.count < limit - 1, let found = rest.range(of: separator) {
      parts.append(String(rest[..<found.lowerBound]))
      rest = rest[found.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }

  static func splitWhitespace(_ text: String, limit: Int) -> [String] {
    var parts: [String] = []
    var rest = text.drop(while: \.isWhitespace)
    while !rest.isEmpty {
      if parts.count == limit - 1 {
        parts.append(String(rest))
        break
      }
      let word = rest.prefix { !$0.isWhitespace }
      parts.append(String(word))
      rest = rest.dropFirst(word.count).drop(while: \.isWhitespace)
    }
    return parts
  }

  static func replace(_ param: ParameterLookup) -> Builtin.Body {
    let (s, oldArgument, newArgument, countArgument) = (
      param["s"], param["old"], param["new"], param["count"]
    )
    return { call in
      let text = try call.text(s)
      let old = try call.string(oldArgument)
      let new = try call.text(newArgument)
      let count = try call.optionalInt(countArgument) ?? Int.max
      if old.isEmpty { throw call.badArgument(oldArgument, "empty string to replace") }
      if count < 0 {
        throw call.badArgument(countArgument, "count must not be negative, got \(count)")
      }
      var out = ""
      var rest = text.text[...]
      var done = 0
      while done < count, let found = rest.range(of: old) {
        out += rest[..<found.lowerBound]
        out += new.text
        rest = rest[found.upperBound...]
        done += 1
      }
      out += rest
      if let secret = new.secret, done > 0, !text.isSecret {
        return .secret(Secret(out, label: secret.label))
      }
      return text.wrap(out)
    }
  }
}
