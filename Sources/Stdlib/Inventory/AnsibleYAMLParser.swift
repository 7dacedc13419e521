import Lexer
import Yams

/// Reads an Ansible YAML inventory as ansible-core's `yaml` plugin does: top-level keys are
/// groups; a group maps `hosts` (host patterns to their vars), `children` (groups, nested to
/// any depth) and `vars`. A string where a mapping is expected names one entry
/// (`hosts: web1`). What the plugin skips with a warning is skipped with a warning.
struct AnsibleYAMLParser {
  private var builder: InventoryBuilder
  private let source: InventorySource
  private var warnings: [String] = []
  /// How deep `children` may nest.
  static let depthLimit = 200
  /// What may still be read: entries, groups and values. Aliases (`*name`) and merges (`<<`)
  /// repeat what they refer to, so a small document can stand for billions of them.
  private var budget = YAMLValues.valueLimit

  /// Reads `source` into a builder (not yet reconciled), appending warnings.
  static func parse(_ source: InventorySource, warnings: inout [String]) throws
    -> InventoryBuilder
  {
    var parser = AnsibleYAMLParser(source: source)
    try parser.run()
    warnings += parser.warnings
    return parser.builder
  }

  private init(source: InventorySource) {
    self.source = source
    builder = InventoryBuilder(source: source, priorityKey: "ansible_group_priority")
  }

  private mutating func run() throws {
    let root: Node?
    do {
      root = try Yams.compose(yaml: source.file.text)
    } catch {
      throw yamlError(error)
    }
    guard let root, !isNull(root) else {
      throw InventoryError(
        path: source.path, message: "the YAML inventory is empty",
        hint: "a YAML inventory maps group names to their hosts, children and vars")
    }
    guard case .mapping(let mapping) = root else {
      throw source.error(
        "a YAML inventory must be a mapping of group names, found \(kind(root))",
        at: span(of: root),
        hint: "start with a group, e.g. `all:` then `  hosts:` and the host names")
    }
    let entries = try pairs(mapping)
    if let plugin = entries.first(where: { $0.key == "plugin" }), !isNull(plugin.value) {
      throw source.error(
        "this is an inventory plugin configuration, not a YAML inventory",
        at: plugin.span, hint: "haflow reads static inventories: INI, YAML or haflow syntax")
    }
    for entry in entries {
      _ = try parseGroup(entry.key, entry.value, at: entry.span, depth: 1)
    }
  }

  /// A Yams error, located when it carries a position.
  private func yamlError(_ error: any Error) -> InventoryError {
    if let error = error as? YamlError {
      switch error {
      case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
        .composer(_, let problem, let mark, _):
        return source.error(
          "invalid YAML: \(problem)", at: source.span(line: mark.line, column: mark.column))
      default: break
      }
    }
    return InventoryError(path: source.path, message: "invalid YAML: \(YAMLValues.describe(error))")
  }

  /// One group: adds it (unless its definition is not a mapping) and returns its name.
  private mutating func parseGroup(_ name: String, _ node: Node, at span: Span, depth: Int) throws
    -> String
  {
    guard depth <= Self.depthLimit else {
      throw source.error("groups are nested more than \(Self.depthLimit) levels deep", at: span)
    }
    guard spend() else { throw exhausted(at: span) }
    guard case .mapping(let mapping) = node else {
      if isNull(node) {
        builder.addGroup(name)
      } else {
        warnings.append(
          source.warning(
            "skipping group '\(name)': its definition is \(kind(node)), not a mapping",
            at: span))
      }
      return name
    }
    builder.addGroup(name)
    for entry in try sections(of: mapping, group: name) {
      guard !isNull(entry.value) else { continue }
      guard case .mapping(let section) = entry.value else {
        warnings.append(
          source.warning(
            "skipping key '\(entry.key)' in group '\(name)': it is \(kind(entry.value)), "
              + "not a mapping", at: entry.span))
        continue
      }
      switch entry.key {
      case "vars":
        for variable in try pairs(section) {
          try builder.setGroupVar(
            name, variable.key, try located(variable.value, at: variable.span))
        }
      case "children":
        for child in try pairs(section) {
          let childName = try parseGroup(child.key, child.value, at: child.span, depth: depth + 1)
          guard builder.hasGroup(childName) else {
            throw source.error("'\(childName)' is not a group", at: child.span)
          }
          try builder.addChild(parent: name, child: childName, at: child.span)
        }
      case "hosts":
        for host in try pairs(section) { try parseHost(host, group: name) }
      default:
        warnings.append(
          source.warning(
            "skipping unexpected key '\(entry.key)' in group '\(name)'", at: entry.span,
            hint: "a group holds only hosts, children and vars"))
      }
    }
    return name
  }

  /// The entries of a group's mapping, where `vars`, `children` and `hosts` written as a text
  /// become a mapping of that one key; any other non-mapping for them is an error.
  private mutating func sections(of mapping: Node.Mapping, group: String) throws -> [Entry] {
    var entries = try pairs(mapping)
    for index in entries.indices where ["vars", "children", "hosts"].contains(entries[index].key) {
      let value = entries[index].value
      if isText(value) {
        entries[index].value = .mapping(Node.Mapping([(value, Node("null", Tag(.null)))]))
      } else if !isNull(value), value.mapping == nil {
        throw source.error(
          "the '\(entries[index].key)' entry of group '\(group)' must be a mapping, found "
            + kind(value), at: span(of: value),
          hint: entries[index].key == "hosts"
            ? "list hosts as keys: `web1:` on its own line, not `- web1`" : nil)
      }
    }
    return entries
  }

  /// `pattern: {vars}` (or nothing) under a group's `hosts`.
  private mutating func parseHost(_ entry: Entry, group: String) throws {
    let (names, port) = try AnsibleHosts.expand(entry.key, at: entry.span, in: source, ini: false)
    var vars: [(String, Located<InventoryValue>)] = []
    if !isNull(entry.value) {
      guard case .mapping(let mapping) = entry.value else {
        throw source.error(
          "host '\(entry.key)' must map to its variables or to nothing, found "
            + kind(entry.value), at: span(of: entry.value),
          hint: "write `\(entry.key):` alone, or variables under it")
      }
      for variable in try pairs(mapping) {
        vars.append((variable.key, try located(variable.value, at: variable.span)))
      }
    }
    for name in names {
      builder.addHost(
        name, group: group, port: port.map { Located(value: $0, span: entry.span) },
        at: entry.span)
      for (key, value) in vars { builder.setHostVar(name, key, value) }
      try builder.checkSize(at: entry.span)
    }
  }

  /// A key of a mapping, its place, and its value.
  private struct Entry {
    var key: String
    var span: Span
    var value: Node
  }

  /// The entries of a mapping with text keys, as PyYAML builds a dict: `<<: *anchor` (or a
  /// list of anchors, the earlier winning) merges a mapping's entries under the explicit ones;
  /// a repeated key keeps its first place and its last value.
  private mutating func pairs(_ mapping: Node.Mapping, depth: Int = 0) throws -> [Entry] {
    var merged: [Entry] = []
    var explicit: [Entry] = []
    for (key, value) in mapping {
      guard case .scalar(let scalar) = key else {
        throw source.error("mapping keys must be text, found \(kind(key))", at: span(of: key))
      }
      guard spend() else { throw exhausted(at: span(of: key)) }
      guard scalar.string == "<<", scalar.style == .plain, depth < 32 else {
        explicit.append(Entry(key: scalar.string, span: span(of: key), value: value))
        continue
      }
      switch value {
      case .mapping(let base): merged += try pairs(base, depth: depth + 1)
      case .sequence(let bases):
        for case .mapping(let base) in bases.reversed() {
          merged += try pairs(base, depth: depth + 1)
        }
      default:
        throw source.error(
          "a merge key '<<' needs a mapping or a list of mappings", at: span(of: key))
      }
    }
    var out: [Entry] = []
    var index: [String: Int] = [:]
    for entry in merged + explicit {
      if let at = index[entry.key] {
        out[at].value = entry.value
      } else {
        index[entry.key] = out.count
        out.append(entry)
      }
    }
    return out
  }

  /// Spends one unit of the budget; false when none was left.
  private mutating func spend() -> Bool {
    budget -= 1
    return budget >= 0
  }

  /// The error when the budget is spent, at what was being read.
  private func exhausted(at span: Span) -> InventoryError {
    source.error(
      "YAML document expands to more than \(YAMLValues.valueLimit) values", at: span,
      hint: "aliases (*name) and merge keys (<<) repeat what they refer to")
  }

  /// A variable's value, with the place of its key.
  private mutating func located(_ node: Node, at span: Span) throws -> Located<InventoryValue> {
    do {
      return Located(value: try YAMLValues.value(of: node, budget: &budget), span: span)
    } catch {
      throw source.error(error.message, at: self.span(of: node))
    }
  }

  private func isNull(_ node: Node) -> Bool {
    if case .scalar = node { return node.tag.rawValue == Tag.Name.null.rawValue }
    return false
  }

  /// Whether a node is a text scalar (what Python reads as a `str`).
  private func isText(_ node: Node) -> Bool {
    if case .scalar = node { return node.tag.rawValue == Tag.Name.str.rawValue }
    return false
  }

  /// What a node is, for messages: `a list`, `a mapping`, `the text 'x'`, `42`.
  private func kind(_ node: Node) -> String {
    switch node {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    case .scalar(let scalar):
      isNull(node)
        ? "nothing (null)" : isText(node) ? "the text '\(scalar.string)'" : scalar.string
    }
  }

  /// The place of a node: a scalar's text, or the first character of anything else.
  private func span(of node: Node) -> Span {
    guard let mark = node.mark else { return Span(start: 0, end: 0) }
    var length = 1
    if case .scalar(let scalar) = node, !scalar.string.isEmpty,
      !scalar.string.utf8.contains(UInt8(ascii: "\n"))
    {
      length = scalar.string.utf8.count
      if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { length += 2 }
    }
    return source.span(line: mark.line, column: mark.column, length: length)
  }
}
