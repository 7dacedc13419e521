import Yams

/// The three inventory formats, and how a file's is chosen.
enum InventoryFormat: String {
  case haflow, ini, yaml

  /// By extension: `.hf` haflow, `.yml`/`.yaml`/`.json` YAML, `.ini`/`.cfg` INI. Otherwise by
  /// the first line that is not blank or a comment: `host NAME …` or `group NAME …` is
  /// haflow, `[…` is INI, `---` is YAML; then a text that reads as a YAML mapping is YAML, and
  /// anything else INI (as Ansible tries its YAML plugin before its INI plugin).
  static func detect(path: String, text: String) -> InventoryFormat {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    if let dot = name.lastIndex(of: "."), dot != name.startIndex {
      switch name[name.index(after: dot)...].lowercased() {
      case "hf": return .haflow
      case "yml", "yaml", "json": return .yaml
      case "ini", "cfg": return .ini
      default: break
      }
    }
    let lines = text.split(whereSeparator: \.isNewline).map { InventoryValues.trimmed($0) }
    guard
      let first = lines.first(where: { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") })
    else { return .ini }
    if first == "---" || first.hasPrefix("%YAML") { return .yaml }
    if first.hasPrefix("[") { return .ini }
    let words = first.split(whereSeparator: \.isWhitespace)
    if words.count >= 2, words[0] == "host" || words[0] == "group", !words[1].contains("=") {
      return .haflow
    }
    if case .mapping? = try? Yams.compose(yaml: text) { return .yaml }
    return .ini
  }
}
