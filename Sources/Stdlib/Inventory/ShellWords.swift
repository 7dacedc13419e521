/// Splits a line into words as Python's `shlex.split(line, comments=True)` does (POSIX mode),
/// which is how Ansible's INI inventory reads a host line: whitespace separates words, `'…'`
/// and `"…"` quote (a backslash escapes `"` and `\` inside double quotes, any character
/// outside quotes), and an unquoted `#` ends the line, even inside a word.
enum ShellWords {
  /// One word: its text and where it starts in the line (a UTF-8 offset).
  struct Word {
    var text: String
    var offset: Int
  }

  /// Why a line cannot be split, and where (a UTF-8 offset into the line).
  struct Failure: Error {
    var message: String
    var offset: Int
  }

  private enum State {
    case between, word, quote(Character), escape(after: Character?)
  }

  /// The words of `line`.
  static func split(_ line: String) throws(Failure) -> [Word] {
    var words: [Word] = []
    var token = ""
    var quoted = false
    var start = 0
    var state = State.between
    var quoteStart = 0
    var offset = 0
    func emit() {
      words.append(Word(text: token, offset: start))
      token = ""
      quoted = false
    }
    scan: for c in line {
      defer { offset += c.utf8.count }
      switch state {
      case .between:
        if c.isWhitespace { continue }
        if c == "#" { break scan }
        start = offset
        if c == "\\" {
          state = .escape(after: nil)
        } else if c == "'" || c == "\"" {
          quoteStart = offset
          quoted = true
          state = .quote(c)
        } else {
          token.append(c)
          state = .word
        }
      case .word:
        if c.isWhitespace {
          emit()
          state = .between
        } else if c == "#" {
          state = .between
          break scan
        } else if c == "'" || c == "\"" {
          quoteStart = offset
          quoted = true
          state = .quote(c)
        } else if c == "\\" {
          state = .escape(after: nil)
        } else {
          token.append(c)
        }
      case .quote(let q):
        if c == q {
          state = .word
        } else if c == "\\" && q == "\"" {
          state = .escape(after: q)
        } else {
          token.append(c)
        }
      case .escape(let inside):
        if let inside, c != "\\", c != inside { token.append("\\") }
        token.append(c)
        state = inside.map { .quote($0) } ?? .word
      }
    }
    switch state {
    case .quote:
      throw Failure(message: "unterminated quote", offset: quoteStart)
    case .escape:
      throw Failure(message: "'\\' at the end of the line escapes nothing", offset: offset - 1)
    case .word:
      emit()
    case .between:
      if !token.isEmpty || quoted { emit() }
    }
    return words
  }
}
