/// Where an interpolation stands in the shell text of a command literal, so that its value is
/// quoted for that place: bare (one single-quoted word), inside the author's double quotes
/// (escaped for them), or inside single quotes (where nothing can make it safe).
enum ShellPlace: Sendable, Equatable {
  case bare
  case doubleQuoted
  case singleQuoted

  /// The place of each interpolation of `parts`, in order, found by reading the literal text
  /// before it as POSIX `sh` does: `'…'`, `"…"`, backslash escapes, and `$(…)`, which starts
  /// a fresh bare context even inside double quotes.
  static func places(of parts: [Interpolated]) -> [ShellPlace] {
    var scanner = Scanner()
    var places: [ShellPlace] = []
    for part in parts {
      switch part {
      case .text(let text): scanner.read(text)
      case .expr: places.append(scanner.place)
      }
    }
    return places
  }

  /// The state of the shell's reader: a stack of quoting contexts (the innermost last).
  private struct Scanner {
    private var stack: [ShellPlace] = [.bare]
    private var escaped = false
    private var previous: Character?

    var place: ShellPlace { stack.last ?? .bare }

    mutating func read(_ text: String) {
      for character in text {
        defer { previous = character }
        if escaped {
          escaped = false
          continue
        }
        switch (place, character) {
        case (.singleQuoted, "'"): stack.removeLast()
        case (.singleQuoted, _): break
        case (_, "\\"): escaped = true
        case (.bare, "'"): stack.append(.singleQuoted)
        case (.bare, "\""): stack.append(.doubleQuoted)
        case (.doubleQuoted, "\""): stack.removeLast()
        case (_, "(") where previous == "$": stack.append(.bare)
        case (.bare, ")") where stack.count > 1: stack.removeLast()
        default: break
        }
      }
    }
  }
}
