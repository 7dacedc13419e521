import Interpreter

/// Writes values as JSON. Durations become their text (`"1h30m"`), hosts their name; a secret
/// is written with its real value and makes the whole output a secret.
public struct JSONWriter {
  /// The deepest nesting written.
  static let depthLimit = 1_000

  /// Spaces per level; nil for compact output.
  var indent: Int?
  /// The text so far.
  private(set) var text = ""
  /// Whether a secret was written.
  private(set) var hasSecret = false

  /// Makes a writer.
  init(indent: Int?) { self.indent = indent }

  /// Writes `value` and returns the result: a string, or a secret when one went in.
  public static func encode(_ value: Value, indent: Int?) throws -> Value {
    var writer = JSONWriter(indent: indent)
    try writer.write(value, depth: 0)
    return writer.hasSecret ? .secret(Secret(writer.text)) : .string(writer.text)
  }

  private mutating func newline(_ depth: Int) {
    guard let indent else { return }
    text += "\n" + String(repeating: " ", count: indent * depth)
  }

  mutating func write(_ value: Value, depth: Int) throws {
    if depth > JSONWriter.depthLimit {
      throw RuntimeError("cannot encode values nested deeper than \(JSONWriter.depthLimit) levels")
    }
    switch value {
    case .nil: text += "null"
    case .bool(let b): text += b ? "true" : "false"
    case .int(let i): text += String(i)
    case .float(let f):
      guard f.isFinite else {
        throw RuntimeError("cannot encode \(Value.formatFloat(f)) as JSON")
      }
      text += Value.formatFloat(f)
    case .string(let s): writeString(s)
    case .duration(let d): writeString(Value.formatDuration(d))
    case .host(let h): writeString(h.name)
    case .secret(let s):
      hasSecret = true
      writeString(s.value)
    case .list(let items):
      if items.isEmpty {
        text += "[]"
        return
      }
      text += "["
      for (index, item) in items.enumerated() {
        if index > 0 { text += "," }
        newline(depth + 1)
        try write(item, depth: depth + 1)
      }
      newline(depth)
      text += "]"
    case .map(let entries):
      if entries.isEmpty {
        text += "{}"
        return
      }
      text += "{"
      for (index, entry) in entries.enumerated() {
        if index > 0 { text += "," }
        newline(depth + 1)
        writeString(entry.key)
        text += indent == nil ? ":" : ": "
        try write(entry.value, depth: depth + 1)
      }
      newline(depth)
      text += "}"
    case .function, .command, .result, .module:
      throw RuntimeError("cannot encode a value of type \(value.typeName) as JSON")
    }
  }

  private mutating func writeString(_ s: String) { text += JSONWriter.quote(s) }

  /// `text` as a JSON string literal: quoted, with `"`, backslash and control characters (and
  /// DEL) escaped. The one JSON quoting of the project's language side: events, journals and
  /// the CLI's `--json` outputs use it too.
  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20 || c.value == 0x7F:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
