import Foundation

/// Converting `param` values given from outside to their declared types.
public enum ParamTypes {
  /// Parses command-line text as a value of `type` (no type: a string).
  public static func parse(_ text: String, as type: ParamType?, name: String) throws -> Value {
    switch type {
    case nil, .string: return .string(text)
    case .secret: return .secret(Secret(text, label: name))
    case .int:
      guard let i = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw RuntimeError("param '\(name)' must be an int, got \(Value.quoted(text))")
      }
      return .int(i)
    case .float:
      guard let f = Double(text.trimmingCharacters(in: .whitespaces)) else {
        throw RuntimeError("param '\(name)' must be a float, got \(Value.quoted(text))")
      }
      return .float(f)
    case .bool:
      switch text.lowercased() {
      case "true", "yes", "1", "on": return .bool(true)
      case "false", "no", "0", "off": return .bool(false)
      default:
        throw RuntimeError("param '\(name)' must be true or false, got \(Value.quoted(text))")
      }
    case .duration:
      guard let d = DurationText.parse(text) else {
        throw RuntimeError(
          "param '\(name)' must be a duration like 90s, 10m or 1h30m, got \(Value.quoted(text))")
      }
      return .duration(d)
    case .list:
      let items = text.split(separator: ",", omittingEmptySubsequences: true)
        .map { Value.string($0.trimmingCharacters(in: .whitespaces)) }
      return .list(items)
    case .map:
      throw RuntimeError("param '\(name)' is a map: give it in a --params file")
    }
  }

  /// Checks (and where harmless converts) a decoded or default value against `type`.
  public static func coerce(_ value: Value, to type: ParamType?, name: String) throws -> Value {
    guard let type else { return value }
    switch (type, value) {
    case (.string, .string), (.int, .int), (.float, .float), (.bool, .bool),
      (.duration, .duration), (.list, .list), (.map, .map), (.secret, .secret):
      return value
    case (.float, .int(let i)): return .float(Double(i))
    case (.secret, .string(let s)): return .secret(Secret(s, label: name))
    case (.duration, .string(let s)), (.int, .string(let s)), (.bool, .string(let s)),
      (.float, .string(let s)):
      return try parse(s, as: type, name: name)
    case (.string, .int), (.string, .float), (.string, .bool):
      return .string(value.display)
    default:
      throw RuntimeError("param '\(name)' must be \(described(type)), got \(value.typeName)")
    }
  }

  /// The type with its article, for messages: `an int`, `a duration`.
  public static func described(_ type: ParamType) -> String {
    (type == .int ? "an " : "a ") + type.rawValue
  }
}

/// Duration text: `90s`, `10m`, `1h30m`, `500ms` (the literal syntax, also used for params).
public enum DurationText {
  /// Nanoseconds, or nil when the text is not a duration.
  public static func parse(_ text: String) -> Int64? {
    let units: [(String, Int64)] = [
      ("d", 86_400_000_000_000), ("h", 3_600_000_000_000), ("ms", 1_000_000),
      ("us", 1_000), ("ns", 1), ("m", 60_000_000_000), ("s", 1_000_000_000),
    ]
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    guard !rest.isEmpty else { return nil }
    var total: Int64 = 0
    var lastSize = Int64.max
    while !rest.isEmpty {
      let digits = rest.prefix(while: \.isASCII).prefix(while: \.isNumber)
      guard !digits.isEmpty, let number = Int64(digits) else { return nil }
      rest = rest.dropFirst(digits.count)
      guard let (unit, size) = units.first(where: { rest.hasPrefix($0.0) }), size < lastSize
      else { return nil }
      rest = rest.dropFirst(unit.count)
      lastSize = size
      let (product, o1) = number.multipliedReportingOverflow(by: size)
      let (sum, o2) = total.addingReportingOverflow(product)
      if o1 || o2 { return nil }
      total = sum
    }
    return total
  }
}
