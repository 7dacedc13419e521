/// A YAML value as kubeadm serialises Kubernetes objects: maps keep the order given (callers
/// give keys sorted, as Go's JSON-to-YAML does), sequences sit at their key's indentation.
indirect enum YAMLText: Sendable, Equatable {
  /// A string (quoted when YAML would read it as something else).
  case string(String)
  /// An integer.
  case int(Int)
  /// A boolean.
  case bool(Bool)
  /// `null`.
  case null
  /// A mapping, in order.
  case map([(String, YAMLText)])
  /// A sequence.
  case list([YAMLText])

  static func == (left: YAMLText, right: YAMLText) -> Bool { left.render() == right.render() }

  /// The document text, ending in a newline.
  func render() -> String {
    var out = ""
    emit(into: &out, indent: 0, inline: false)
    return out
  }

  private var isEmptyCollection: Bool {
    switch self {
    case .map(let pairs): pairs.isEmpty
    case .list(let items): items.isEmpty
    default: false
    }
  }

  private var scalarText: String? {
    switch self {
    case .string(let text): Self.quoted(text)
    case .int(let value): String(value)
    case .bool(let value): value ? "true" : "false"
    case .null: "null"
    case .map(let pairs): pairs.isEmpty ? "{}" : nil
    case .list(let items): items.isEmpty ? "[]" : nil
    }
  }

  /// Writes this value as the content after `key:` or `- `. `inline` means the first line
  /// continues the current one (after `- `).
  private func emit(into out: inout String, indent: Int, inline: Bool) {
    let pad = String(repeating: " ", count: indent)
    switch self {
    case .map(let pairs) where !pairs.isEmpty:
      for (index, (key, value)) in pairs.enumerated() {
        if !(inline && index == 0) { out += pad }
        out += key + ":"
        if let scalar = value.scalarText {
          out += " " + scalar + "\n"
        } else if case .list = value {
          out += "\n"
          value.emit(into: &out, indent: indent, inline: false)
        } else {
          out += "\n"
          value.emit(into: &out, indent: indent + 2, inline: false)
        }
      }
    case .list(let items) where !items.isEmpty:
      for item in items {
        out += pad + "-"
        if let scalar = item.scalarText {
          out += " " + scalar + "\n"
        } else {
          out += " "
          item.emit(into: &out, indent: indent + 2, inline: true)
        }
      }
    default:
      out += (inline ? "" : pad) + (scalarText ?? "") + "\n"
    }
  }

  /// `text` as a plain scalar when YAML reads it back as the same string, else double-quoted.
  static func quoted(_ text: String) -> String {
    let reserved: Set<String> = [
      "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
      "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
    ]
    let first = text.first ?? " "
    let second = text.dropFirst().first ?? " "
    let needs =
      reserved.contains(text) || Double(text) != nil || Int(text) != nil
      || ",[]{}#&*!|>'\"%@`".contains(first) || ("-?:".contains(first) && second == " ")
      || first == " " || text.last == " "
      || text.contains(": ") || text.contains(" #") || text.contains("\n") || text.contains("\t")
    guard needs else { return text }
    var out = "\""
    for character in text {
      switch character {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.append(character)
      }
    }
    return out + "\""
  }
}
