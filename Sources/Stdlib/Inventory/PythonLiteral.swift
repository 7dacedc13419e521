import OrderedCollections

/// The subset of Python's `ast.literal_eval` (and `int()`) that Ansible's INI inventory
/// applies to variable values: numbers, strings, `True`/`False`/`None`, lists, tuples, sets
/// and dicts. Anything else is not a literal, and the INI plugin keeps it as text.
enum PythonLiteral {
  /// Python's `int(text)`: optional whitespace and sign, decimal digits with single `_`
  /// between them.
  static func int(_ text: String) -> Int? {
    var body = Substring(text)
    while let c = body.first, c.isWhitespace { body = body.dropFirst() }
    while let c = body.last, c.isWhitespace { body = body.dropLast() }
    var negative = false
    if let sign = body.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      body = body.dropFirst()
    }
    guard isDigitRun(body, digit: { $0.isASCII && $0.isNumber }) else { return nil }
    return Int((negative ? "-" : "") + body.filter { $0 != "_" })
  }

  /// The value of a Python literal, or nil when `text` is not one.
  static func evaluate(_ text: String) -> InventoryValue? {
    var parser = PythonLiteralParser(text)
    return parser.parseWhole()
  }

  /// Digits with single underscores between them.
  static func isDigitRun(_ text: Substring, digit: (Character) -> Bool) -> Bool {
    guard let first = text.first, let last = text.last, digit(first), digit(last) else {
      return false
    }
    var previousUnderscore = false
    for c in text {
      if c == "_" {
        if previousUnderscore { return false }
        previousUnderscore = true
      } else if digit(c) {
        previousUnderscore = false
      } else {
        return false
      }
    }
    return true
  }
}
