import Interpreter
import Lexer

/// Tab completion for the REPL and the debugger, from the built-in table and the session:
/// keywords, built-ins, module members (`json.` → `json.decode`, …), variables in scope, host
/// and group names inside a string (the last term of a host pattern, with the closing quote),
/// and `:` commands with their arguments.
public struct Completer: Sendable {
  /// The built-ins and modules.
  public var table: BuiltinTable
  /// Names of variables in scope.
  public var variables: [String]
  /// Host names of the inventory.
  public var hosts: [String]
  /// Group names of the inventory.
  public var groups: [String]
  /// The `:` commands (with the colon).
  public var commands: [String]
  /// Step names, for `:break "…"`.
  public var stepNames: [String]

  /// Makes a completer.
  public init(
    table: BuiltinTable, variables: [String] = [], hosts: [String] = [], groups: [String] = [],
    commands: [String] = [], stepNames: [String] = []
  ) {
    self.table = table
    self.variables = variables
    self.hosts = hosts
    self.groups = groups
    self.commands = commands
    self.stepNames = stepNames
  }

  /// The completions of the text before the cursor: each candidate replaces the last
  /// `replacing` characters.
  public func complete(_ before: String) -> Completion {
    let trimmed = before.drop { $0 == " " || $0 == "\t" }
    if trimmed.hasPrefix(":") { return completeCommand(String(trimmed)) }
    if let tail = Self.openStringTail(before) {
      // A host pattern: complete its last term (after `,`, `:`, `!` or `&`), and close the
      // string, so that one Tab gives `on "workers,!cp1"`.
      let partial = String(tail.reversed().prefix { !",:!&".contains($0) }.reversed())
      let closed = (hosts + groups).map { $0 + "\"" }
      return Completion(replacing: partial.count, matching: partial, in: closed)
    }
    let word = Self.trailingWord(before)
    if let dot = word.lastIndex(of: ".") {
      let module = String(word[..<dot])
      let partial = String(word[word.index(after: dot)...])
      guard table.modules.contains(where: { $0.name == module }) else {
        return Completion(replacing: 0, candidates: [])
      }
      let members = table.members(of: module).map(\.name)
      return Completion(replacing: word.count, matching: module + "." + partial, in: members)
    }
    let names = Keyword.allCases.map(\.rawValue) + table.globalNames + variables
    return Completion(replacing: word.count, matching: word, in: names)
  }

  private func completeCommand(_ text: String) -> Completion {
    guard let space = text.firstIndex(of: " ") else {
      return Completion(replacing: text.count, matching: text, in: commands)
    }
    let command = String(text[..<space])
    let argument = String(text[text.index(after: space)...].drop { $0 == " " })
    switch command {
    case ":on":
      return Completion(replacing: argument.count, matching: argument, in: hosts)
    case ":break", ":b":
      let quoted = stepNames.map { "\"\($0)\"" }
      return Completion(replacing: argument.count, matching: argument, in: quoted)
    case ":help", ":h":
      let topics = table.entries.map(\.name) + table.modules.map(\.name) + commands
      return Completion(replacing: argument.count, matching: argument, in: topics)
    default:
      return Completion(replacing: 0, candidates: [])
    }
  }

  /// The identifier (possibly `module.partial`) that ends `text`.
  static func trailingWord(_ text: String) -> String {
    var word: [Character] = []
    for character in text.reversed() {
      guard
        character == "_" || character == "."
          || character.isASCII
            && (character.isLetter || character.isNumber)
      else { break }
      word.append(character)
    }
    return String(word.reversed())
  }

  /// When `text` ends inside a string literal, the text after its opening quote.
  static func openStringTail(_ text: String) -> String? {
    var inString = false
    var escaped = false
    var tail = ""
    for character in text {
      if inString {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
          continue
        }
        tail.append(character)
      } else if character == "\"" {
        inString = true
        tail = ""
      } else if character == "#" {
        return nil
      }
    }
    return inString ? tail : nil
  }
}

/// What completing a word found.
public struct Completion: Sendable, Equatable {
  /// How many characters before the cursor the candidates replace.
  public var replacing: Int
  /// The candidates, sorted, without duplicates.
  public var candidates: [String]

  /// Makes a completion.
  public init(replacing: Int, candidates: [String]) {
    self.replacing = replacing
    self.candidates = candidates
  }

  /// The names in `pool` that start with `prefix`.
  init(replacing: Int, matching prefix: String, in pool: [String]) {
    self.replacing = replacing
    self.candidates = Array(Set(pool.filter { $0.hasPrefix(prefix) })).sorted()
  }

  /// The longest text every candidate starts with.
  public var commonPrefix: String {
    guard var prefix = candidates.first else { return "" }
    for candidate in candidates.dropFirst() {
      while !candidate.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
  }
}
