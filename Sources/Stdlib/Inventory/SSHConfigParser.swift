import Foundation
import Lexer

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads OpenSSH client configuration files into an `SSHConfig`: `keyword args` or
/// `keyword=args` lines (keywords in any case, `"quoted"` arguments, `#` comments), `Host`
/// and `Match` blocks, and `Include` (globs; relative paths under `~/.ssh`).
enum SSHConfigParser {
  /// How deep `Include` may nest, as in OpenSSH.
  static let includeLimit = 16

  /// Where `Include` finds files: the file system, or (for the fuzzer) files in memory.
  struct Files: Sendable {
    /// The files a pattern (`~` expanded, absolute) names, sorted; none when nothing matches.
    var glob: @Sendable (String) -> [String]
    /// The text of a file.
    var read: @Sendable (String) throws -> String

    /// The file system.
    static let system = Files(glob: SSHConfigParser.systemGlob, read: InventoryLoader.read)
  }

  /// Reads the file at `path`; its directives are under `conditions` (an including block's).
  static func read(
    path: String, into config: inout SSHConfig, conditions: [SSHConfig.Condition], depth: Int,
    files: Files = .system
  )
    throws
  {
    let source = InventorySource(path: path, text: try files.read(path))
    try parse(source, into: &config, conditions: conditions, depth: depth, files: files)
  }

  /// Reads the text of one configuration file; `Include` reads other files through `files`.
  static func parse(
    _ source: InventorySource, into config: inout SSHConfig, conditions: [SSHConfig.Condition],
    depth: Int, files: Files
  ) throws {
    var block: SSHConfig.Condition?
    for (text, offset) in source.lines {
      let words: [ShellWords.Word]
      do {
        words = try split(text)
      } catch {
        throw source.error(
          error.message, at: Span(start: offset + error.offset, end: offset + error.offset + 1))
      }
      guard let first = words.first else { continue }
      let keyword = first.text.lowercased()
      let args = words.dropFirst().map(\.text)
      let span = Span(
        start: offset + first.offset, end: offset + first.offset + first.text.utf8.count)
      let argumentSpan =
        words.count > 1
        ? Span(
          start: offset + words[1].offset, end: offset + words[1].offset + words[1].text.utf8.count)
        : span
      switch keyword {
      case "host":
        guard !args.isEmpty else { throw source.error("Host needs at least one pattern", at: span) }
        block = .host(args)
      case "match":
        block = .match(try criteria(args, at: span, in: source))
      case "include":
        guard !args.isEmpty else { throw source.error("Include needs a file name", at: span) }
        guard depth < includeLimit else {
          throw source.error("Include is nested more than \(includeLimit) levels deep", at: span)
        }
        for pattern in args {
          for file in expand(pattern, config: config, files: files) {
            try read(
              path: file, into: &config, conditions: conditions + (block.map { [$0] } ?? []),
              depth: depth + 1, files: files)
          }
        }
      case _ where SSHConfig.honoured.contains(keyword):
        guard let value = args.first else {
          throw source.error("\(first.text) needs a value", at: span)
        }
        try validate(keyword, value, name: first.text, at: argumentSpan, in: source)
        config.directives.append(
          SSHConfig.Directive(
            keyword: keyword, values: args, conditions: conditions + (block.map { [$0] } ?? [])))
      default:
        config.noteIgnored(
          keyword: first.text,
          warning: source.warning(
            "ssh_config option \(first.text) is ignored by haflow", at: span,
            hint: "haflow reads \(SSHConfig.honouredNames)"))
      }
    }
  }

  /// Checks the value of an option haflow honours, as OpenSSH would refuse a malformed one.
  private static func validate(
    _ keyword: String, _ value: String, name: String, at span: Span, in source: InventorySource
  ) throws {
    switch keyword {
    case "port":
      guard let port = Int(value), (1...65_535).contains(port) else {
        throw source.error("bad port '\(value)': expected a number from 1 to 65535", at: span)
      }
    case "identitiesonly", "hashknownhosts":
      guard SSHConfig.flag(value) != nil else {
        throw source.error("bad \(name) '\(value)': expected yes or no", at: span)
      }
    case "stricthostkeychecking":
      guard StrictHostKeyChecking(configValue: value) != nil else {
        throw source.error(
          "bad \(name) '\(value)': expected yes, accept-new, no or ask", at: span)
      }
    case "connecttimeout", "serveraliveinterval":
      guard value.lowercased() == "none" || SSHConfig.seconds(value) != nil else {
        throw source.error("bad \(name) '\(value)': expected a number of seconds", at: span)
      }
    default:
      break
    }
  }

  /// The words of a line as OpenSSH's `argv_split` makes them: whitespace separates,
  /// `"…"` and `'…'` quote, a backslash escapes a quote, a backslash or (unquoted) a space,
  /// and a `#` starting a word begins a comment. The keyword may be followed by `=`.
  private static func split(_ line: String) throws(ShellWords.Failure) -> [ShellWords.Word] {
    var words: [ShellWords.Word] = []
    let chars = Array(line)
    var offsets: [Int] = []
    var at = 0
    for c in chars {
      offsets.append(at)
      at += c.utf8.count
    }
    var index = 0
    while index < chars.count {
      let c = chars[index]
      if c == " " || c == "\t" || c == "\r" || c == "\u{0C}" {
        index += 1
        continue
      }
      if c == "#" { break }
      let start = offsets[index]
      var text = ""
      var quote: Character?
      var quoteStart = start
      while index < chars.count {
        let c = chars[index]
        if c == "\\", index + 1 < chars.count,
          "'\"\\".contains(chars[index + 1]) || (quote == nil && chars[index + 1] == " ")
        {
          text.append(chars[index + 1])
          index += 2
          continue
        }
        if quote == nil && (c == " " || c == "\t" || c == "\r") { break }
        if quote == nil && (c == "\"" || c == "'") {
          quote = c
          quoteStart = offsets[index]
        } else if c == quote {
          quote = nil
        } else {
          text.append(c)
        }
        index += 1
      }
      if quote != nil {
        throw ShellWords.Failure(message: "unterminated quote", offset: quoteStart)
      }
      words.append(ShellWords.Word(text: text, offset: start))
    }
    if let first = words.first, let equals = first.text.firstIndex(of: "=") {
      let rest = String(first.text[first.text.index(after: equals)...])
      words[0].text = String(first.text[..<equals])
      if !rest.isEmpty {
        words.insert(
          ShellWords.Word(text: rest, offset: first.offset + words[0].text.utf8.count + 1), at: 1)
      }
    } else if words.count > 1, words[1].text.hasPrefix("=") {
      let rest = String(words[1].text.dropFirst())
      if rest.isEmpty {
        words.remove(at: 1)
      } else {
        words[1] = ShellWords.Word(text: rest, offset: words[1].offset + 1)
      }
    }
    return words
  }

  /// The criteria of a `Match` line.
  private static func criteria(_ args: [String], at span: Span, in source: InventorySource) throws
    -> [SSHConfig.MatchCriterion]
  {
    var out: [SSHConfig.MatchCriterion] = []
    var index = 0
    while index < args.count {
      var name = args[index].lowercased()
      let negated = name.hasPrefix("!")
      if negated { name.removeFirst() }
      index += 1
      switch name {
      case "all", "final": out.append(negated ? .never : .always)
      case "canonical": out.append(negated ? .always : .never)
      default:
        guard index < args.count else {
          throw source.error("Match \(name) needs an argument", at: span)
        }
        let list = args[index]
        index += 1
        switch name {
        case "host": out.append(.host(list, negated: negated))
        case "originalhost": out.append(.originalHost(list, negated: negated))
        case "user": out.append(.user(list, negated: negated))
        case "localuser": out.append(.localUser(list, negated: negated))
        default: out.append(.never)
        }
      }
    }
    guard !out.isEmpty else { throw source.error("Match needs criteria", at: span) }
    return out
  }

  /// The files an `Include` argument names: `~` expanded, relative to `~/.ssh`, globbed and
  /// sorted (no match: none).
  private static func expand(_ pattern: String, config: SSHConfig, files: Files) -> [String] {
    var path = config.expandTilde(pattern)
    if !path.hasPrefix("/") { path = config.home + "/.ssh/" + path }
    return files.glob(path)
  }

  /// The files a glob pattern names on the file system, sorted.
  private static func systemGlob(_ path: String) -> [String] {
    var result = glob_t()
    defer { globfree(&result) }
    guard glob(path, 0, nil, &result) == 0 else { return [] }
    var files: [String] = []
    for index in 0..<Int(result.gl_pathc) {
      if let pointer = result.gl_pathv[index] { files.append(String(cString: pointer)) }
    }
    return files.sorted()
  }
}
