/// The kind of value a flag takes, as pflag types them.
enum FlagKind: Sendable, Equatable {
  /// `--flag` or `--flag=true|false`.
  case bool
  /// One string; the last one given wins.
  case string
  /// Comma-separated values, repeatable (`StringSlice`).
  case stringSlice
  /// One value per occurrence (`StringArray`).
  case stringArray
  /// A Go duration.
  case duration
  /// An integer.
  case int
}

/// One flag a command accepts.
struct FlagSpec: Sendable {
  /// The long name, without dashes.
  let name: String
  /// The one-letter form, if any.
  let shorthand: Character?
  /// Its value kind.
  let kind: FlagKind

  init(_ name: String, _ kind: FlagKind, shorthand: Character? = nil) {
    self.name = name
    self.kind = kind
    self.shorthand = shorthand
  }
}

/// A command line after pflag-style parsing: flag values and the positional arguments.
struct ParsedFlags: Sendable {
  /// Each flag's values, by name, in the order given.
  private(set) var values: [String: [String]] = [:]
  /// Positional arguments.
  private(set) var arguments: [String] = []

  /// Whether the flag was given (pflag's `Changed`).
  func changed(_ name: String) -> Bool { values[name] != nil }

  /// The names of the flags given, sorted (the order `FlagSet.Visit` walks them).
  var changedNames: [String] { values.keys.sorted() }

  /// The last value of a string flag.
  func string(_ name: String) -> String? { values[name]?.last }

  /// All values of a slice or array flag (slices split on commas).
  func list(_ name: String) -> [String] { values[name] ?? [] }

  /// A bool flag's value.
  func bool(_ name: String) -> Bool { values[name]?.last.map { GoBool.parse($0) == true } ?? false }

  /// Parses `words` against `specs`, with pflag's error texts.
  static func parse(_ words: [String], specs: [FlagSpec]) -> Result<ParsedFlags, KubeadmError> {
    var parsed = ParsedFlags()
    var index = 0
    func value(for spec: FlagSpec, inline: String?, shown: String) -> Result<String, KubeadmError> {
      if let inline { return .success(inline) }
      if spec.kind == .bool { return .success("true") }
      index += 1
      guard index < words.count else {
        return .failure(KubeadmError("flag needs an argument: \(shown)"))
      }
      return .success(words[index])
    }
    while index < words.count {
      let word = words[index]
      if word == "--" {
        parsed.arguments += words[(index + 1)...]
        break
      }
      if word.hasPrefix("--") {
        let body = word.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let spec = specs.first(where: { $0.name == name }) else {
          return .failure(KubeadmError("unknown flag: --\(name)"))
        }
        switch value(for: spec, inline: inline, shown: "--" + name) {
        case .failure(let error): return .failure(error)
        case .success(let text):
          if let error = parsed.store(text, spec: spec) { return .failure(error) }
        }
      } else if word.hasPrefix("-"), word.count > 1 {
        var letters = Substring(word.dropFirst())
        while let letter = letters.first {
          letters = letters.dropFirst()
          guard let spec = specs.first(where: { $0.shorthand == letter }) else {
            return .failure(KubeadmError("unknown shorthand flag: '\(letter)' in \(word)"))
          }
          var inline: String?
          if letters.hasPrefix("=") {
            inline = String(letters.dropFirst())
            letters = ""
          } else if spec.kind != .bool, !letters.isEmpty {
            inline = String(letters)
            letters = ""
          }
          switch value(for: spec, inline: inline, shown: "'\(letter)' in -\(letter)") {
          case .failure(let error): return .failure(error)
          case .success(let text):
            if let error = parsed.store(text, spec: spec) { return .failure(error) }
          }
        }
      } else {
        parsed.arguments.append(word)
      }
      index += 1
    }
    return .success(parsed)
  }

  /// Checks and records one value; pflag's `invalid argument` error if it does not parse.
  private mutating func store(_ text: String, spec: FlagSpec) -> KubeadmError? {
    let shown = spec.shorthand.map { "-\($0), --\(spec.name)" } ?? "--" + spec.name
    func invalid(_ reason: String) -> KubeadmError {
      KubeadmError(
        "invalid argument \(GoQuote.quote(text)) for \(GoQuote.quote(shown)) flag: \(reason)")
    }
    switch spec.kind {
    case .bool:
      guard let flag = GoBool.parse(text) else {
        return invalid("strconv.ParseBool: parsing \(GoQuote.quote(text)): invalid syntax")
      }
      values[spec.name] = [flag ? "true" : "false"]
    case .int:
      guard Int32(text) != nil else {
        return invalid("strconv.ParseInt: parsing \(GoQuote.quote(text)): invalid syntax")
      }
      values[spec.name] = [text]
    case .duration:
      if case .failure(let error) = GoDuration.parse(text) { return invalid(error.message) }
      values[spec.name] = [text]
    case .string:
      values[spec.name] = [text]
    case .stringSlice:
      let items =
        text.isEmpty
        ? [] : text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      values[spec.name, default: []] += items
    case .stringArray:
      values[spec.name, default: []].append(text)
    }
    return nil
  }
}

/// Go's `strconv.ParseBool`.
enum GoBool {
  /// True, false, or nil for text Go does not accept.
  static func parse(_ text: String) -> Bool? {
    switch text {
    case "1", "t", "T", "TRUE", "true", "True": true
    case "0", "f", "F", "FALSE", "false", "False": false
    default: nil
    }
  }
}
