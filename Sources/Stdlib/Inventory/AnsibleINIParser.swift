import Lexer

/// Reads an Ansible INI inventory as ansible-core's `ini` plugin does: hosts before any
/// section are `ungrouped`; `[group]` lists hosts (patterns, `host:port`, inline `key=value`
/// vars typed by Python's `literal_eval`), `[group:vars]` sets group variables and
/// `[group:children]` nests groups, which may be declared later in the file.
struct AnsibleINIParser {
  private enum SectionKind: String { case hosts, vars, children }

  /// A group named before it is declared: by `[g:vars]` or under some `[p:children]`.
  private struct Pending {
    var kind: SectionKind
    var span: Span
    /// The order it was first named in, to report the first one left.
    var order: Int
    /// The `[p:children]` sections naming it, with the place of each mention.
    var parents: [(name: String, span: Span)] = []
  }

  private var builder: InventoryBuilder
  private let source: InventorySource
  private var group = "ungrouped"
  private var kind = SectionKind.hosts
  private var pending: [String: Pending] = [:]
  private var pendingCount = 0

  /// Reads `source` into a builder (not yet reconciled).
  static func parse(_ source: InventorySource) throws -> InventoryBuilder {
    var parser = AnsibleINIParser(source: source)
    try parser.run()
    return parser.builder
  }

  private init(source: InventorySource) {
    self.source = source
    builder = InventoryBuilder(source: source, priorityKey: "ansible_group_priority")
  }

  private mutating func run() throws {
    for (text, offset) in source.lines {
      let leading = text.prefix { $0.isWhitespace }
      let line = InventoryValues.trimmed(text.dropFirst(leading.count))
      guard let first = line.first, first != "#", first != ";" else { continue }
      let start = offset + leading.utf8.count
      let span = Span(start: start, end: start + line.utf8.count)
      if let (name, tag, tagOffset) = Self.sectionHeader(line) {
        try enterSection(name, tag: tag, span: span, tagOffset: start + tagOffset)
        continue
      }
      if line.hasPrefix("[") && line.hasSuffix("]") {
        throw source.error(
          "invalid section header '\(line)'", at: span,
          hint: "a section is [group], [group:vars] or [group:children], with no spaces")
      }
      switch kind {
      case .hosts: try hostLine(line, at: start)
      case .vars: try varLine(line, span: span)
      case .children: try childLine(line, span: span)
      }
    }
    if let (name, entry) = pending.min(by: { $0.value.order < $1.value.order }) {
      if entry.kind == .vars {
        throw source.error(
          "section [\(name):vars] is for an undefined group '\(name)'", at: entry.span,
          hint: "declare the group with a [\(name)] or [\(name):children] section")
      }
      let parent = entry.parents.last
      throw source.error(
        "section [\(parent?.name ?? name):children] includes undefined group '\(name)'",
        at: parent?.span ?? entry.span,
        hint: "declare the group with a [\(name)] section (it may be empty)")
    }
  }

  /// `[name]`, `[name:tag]`, with optional trailing whitespace and comment: the name, the tag
  /// and the tag's offset in the line; nil when the line is no section header.
  private static func sectionHeader(_ line: String) -> (String, String?, Int)? {
    guard line.first == "[" else { return nil }
    let body = line.dropFirst()
    let name = body.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
    guard !name.isEmpty else { return nil }
    var rest = body.dropFirst(name.count)
    var tag: Substring?
    let tagOffset = 1 + name.utf8.count + 1
    if rest.first == ":" {
      let word = rest.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
      guard !word.isEmpty else { return nil }
      tag = word
      rest = rest.dropFirst(1 + word.count)
    }
    guard rest.first == "]" else { return nil }
    let after = rest.dropFirst().drop { $0.isWhitespace }
    guard after.isEmpty || after.first == "#" else { return nil }
    return (String(name), tag.map(String.init), tagOffset)
  }

  private mutating func enterSection(_ name: String, tag: String?, span: Span, tagOffset: Int)
    throws
  {
    guard let kind = SectionKind(rawValue: tag ?? "hosts") else {
      let tag = tag ?? ""
      throw source.error(
        "section [\(name):\(tag)] has unknown type '\(tag)'",
        at: Span(start: tagOffset, end: tagOffset + tag.utf8.count),
        hint: "a section is [\(name)], [\(name):vars] or [\(name):children]")
    }
    group = name
    self.kind = kind
    if !builder.hasGroup(name) {
      if kind == .vars && pending[name] == nil { addPending(name, .vars, span: span) }
      builder.addGroup(name)
    }
    if kind != .vars, let entry = pending[name] {
      if entry.kind == .children {
        try addPendingChildren(name)
      } else {
        pending[name] = nil
      }
    }
  }

  private mutating func addPending(
    _ name: String, _ kind: SectionKind, span: Span, parents: [(name: String, span: Span)] = []
  ) {
    pendingCount += 1
    pending[name] = Pending(kind: kind, span: span, order: pendingCount, parents: parents)
  }

  /// A group named under `[p:children]` is declared: link it to those parents (and the
  /// parents' own pending parents).
  private mutating func addPendingChildren(_ name: String) throws {
    var work = [name]
    while let group = work.popLast() {
      guard let entry = pending[group] else { continue }
      pending[group] = nil
      for (parent, span) in entry.parents {
        try builder.addChild(parent: parent, child: group, at: span)
        if pending[parent]?.kind == .children { work.append(parent) }
      }
    }
  }

  /// `pattern [key=value]…` in a hosts section.
  private mutating func hostLine(_ line: String, at start: Int) throws {
    let words: [ShellWords.Word]
    do {
      words = try ShellWords.split(line)
    } catch {
      let at = start + error.offset
      throw source.error(error.message, at: Span(start: at, end: at + 1))
    }
    guard let first = words.first else { return }
    let patternSpan = Span(
      start: start + first.offset, end: start + first.offset + first.text.utf8.count)
    let (names, port) = try AnsibleHosts.expand(first.text, at: patternSpan, in: source, ini: true)
    var vars: [(String, Located<InventoryValue>)] = []
    for word in words.dropFirst() {
      let span = Span(start: start + word.offset, end: start + word.offset + word.text.utf8.count)
      guard let equals = word.text.firstIndex(of: "="), equals != word.text.startIndex else {
        throw source.error(
          "expected key=value host variable assignment, got '\(word.text)'", at: span,
          hint: "host variables follow the host name as key=value, e.g. ansible_user=admin")
      }
      let key = String(word.text[..<equals])
      let text = String(word.text[word.text.index(after: equals)...])
      vars.append((key, Located(value: PythonLiteral.evaluate(text) ?? .string(text), span: span)))
    }
    for name in names {
      builder.addHost(
        name, group: group, port: port.map { Located(value: $0, span: patternSpan) },
        at: patternSpan)
      for (key, value) in vars { builder.setHostVar(name, key, value) }
      try builder.checkSize(at: patternSpan)
    }
  }

  /// `key = value` in a vars section; the value is typed by `literal_eval`, else kept as text.
  private mutating func varLine(_ line: String, span: Span) throws {
    guard let equals = line.firstIndex(of: "=") else {
      throw source.error(
        "expected key=value, got '\(line)'", at: span,
        hint: "a [\(group):vars] section holds lines like ntp_server=pool.ntp.org")
    }
    let key = InventoryValues.trimmed(line[..<equals])
    let text = InventoryValues.trimmed(line[line.index(after: equals)...])
    guard !key.isEmpty else { throw source.error("missing variable name before '='", at: span) }
    let value = PythonLiteral.evaluate(text) ?? .string(text)
    try builder.setGroupVar(group, key, Located(value: value, span: span))
  }

  /// A group name in a children section.
  private mutating func childLine(_ line: String, span: Span) throws {
    let name = line.prefix { $0 != ":" && $0 != "]" && !$0.isWhitespace }
    let rest = line.dropFirst(name.count).drop { $0.isWhitespace }
    guard !name.isEmpty, rest.isEmpty || rest.first == "#" else {
      throw source.error(
        "expected a group name, got '\(line)'", at: span,
        hint: "a [\(group):children] section lists one group name per line")
    }
    let child = String(name)
    if builder.hasGroup(child) {
      try builder.addChild(parent: group, child: child, at: span)
    } else if pending[child] != nil {
      pending[child]?.parents.append((group, span))
    } else {
      addPending(child, .children, span: span, parents: [(group, span)])
    }
  }
}
