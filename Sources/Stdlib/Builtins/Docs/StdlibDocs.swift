import Interpreter

/// Generates `docs/stdlib.md` from a built-in table: a heading per family or module, then
/// each built-in's signature and its line of help.
public enum StdlibDocs {
  /// The command that regenerates the committed file.
  public static let regenerate = "HAFLOW_UPDATE_DOCS=1 swift test --filter StdlibTests.DocsTests"

  /// The Markdown reference for `table`, grouped by `Stdlib.families`; built-ins the families
  /// do not list are grouped by module, then under "Other built-ins".
  public static func markdown(_ table: BuiltinTable) -> String {
    var sections: [(title: String, intro: String, entries: [Builtin])] = []
    var covered = Set<String>()
    for family in Stdlib.families {
      let entries = family.builtins.compactMap { table.lookup($0.name) }
      guard !entries.isEmpty else { continue }
      covered.formUnion(entries.map(\.name))
      var intro = family.help
      if let module = family.module { intro = "Module `\(module)`. " + intro }
      sections.append((family.title, intro, entries))
    }
    for module in table.modules {
      let entries = table.members(of: module.name).filter { !covered.contains($0.name) }
      guard !entries.isEmpty else { continue }
      covered.formUnion(entries.map(\.name))
      sections.append((module.name, "Module `\(module.name)`. " + module.help, entries))
    }
    let others = table.entries.filter { !covered.contains($0.name) }
    if !others.isEmpty { sections.append(("Other built-ins", "", others)) }
    return render(sections)
  }

  private static func render(_ sections: [(title: String, intro: String, entries: [Builtin])])
    -> String
  {
    var lines = [
      "# The haflow standard library",
      "",
      "<!-- Generated from the built-in table by StdlibDocs.markdown; do not edit by hand.",
      "     Regenerate with: \(regenerate) -->",
      "",
      "Every built-in with its parameters and one line of help. `name = default` marks an optional",
      "parameter and `name…` one that takes any number of values. Arguments are passed by position",
      "or by name: `run(cmd, check: false)`. Wrong arguments are reported as",
      "`bad argument #1 to 'len' (list, map or string expected, got int)`.",
      "",
      "## Contents",
      "",
    ]
    for section in sections {
      lines.append("- [\(section.title)](#\(anchor(section.title)))")
    }
    for section in sections {
      lines += ["", "## \(section.title)", ""]
      if !section.intro.isEmpty { lines += [section.intro, ""] }
      for builtin in section.entries {
        lines.append("- `\(builtin.signature)` — \(builtin.help)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The GitHub anchor of a heading: lower case, spaces to dashes, punctuation dropped.
  static func anchor(_ title: String) -> String {
    String(
      title.lowercased().compactMap { char -> Character? in
        if char == " " { return "-" }
        if char.isLetter || char.isNumber || char == "-" || char == "_" { return char }
        return nil
      })
  }
}
