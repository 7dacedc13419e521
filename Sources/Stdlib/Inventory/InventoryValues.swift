/// Small helpers shared by the inventory readers.
enum InventoryValues {
  /// `text` without leading and trailing whitespace.
  static func trimmed<S: StringProtocol>(_ text: S) -> String {
    var slice = Substring(text)
    while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
    while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
    return String(slice)
  }

  /// A value for a message: `'text'`, `42`, `a list`.
  static func describe(_ value: InventoryValue) -> String {
    switch value {
    case .string(let s): "'\(s)'"
    case .int, .float, .bool: value.repr
    case .null: "nothing (null)"
    case .list: "a list"
    case .map: "a mapping"
    }
  }
}
