import Lexer

/// Reads haflow's inventory syntax (see docs/inventory.md):
///
/// ```
/// host cp[1:3] user=root groups=control_plane,etcd
/// host w1 address=10.0.0.21 port=2222 node_ip=10.0.1.21
/// group workers user=ubuntu: w1
/// group k8s cni=calico: control_plane workers
/// ```
///
/// A `host` line declares hosts (a name or range pattern) with settings (`address`, `port`,
/// `user`, `connection`, `groups`) and vars; a `group` line sets a group's vars and, after
/// `:`, adds members: hosts, or groups that become its children. Members must be declared
/// somewhere in the file; a group is declared by a `group` line or by a host's `groups=`.
struct HaflowInventoryParser {
  private var builder: InventoryBuilder
  private let source: InventorySource
  /// Where each host was declared, for duplicate errors.
  private var declared: [String: Span] = [:]
  /// Members to link once every host and group is known: group, pattern, place.
  private var members: [(group: String, pattern: String, span: Span)] = []

  /// Reads `source` into a builder (not yet reconciled).
  static func parse(_ source: InventorySource) throws -> InventoryBuilder {
    var parser = HaflowInventoryParser(source: source)
    for (text, offset) in source.lines {
      try parser.statement(HaflowInventoryLine(text, offset: offset, source: source).words)
    }
    try parser.linkMembers()
    return parser.builder
  }

  private init(source: InventorySource) {
    self.source = source
    builder = InventoryBuilder(source: source)
  }

  private typealias Words = [(word: HaflowInventoryLine.Word, span: Span)]

  private mutating func statement(_ words: Words) throws {
    guard let (first, span) = words.first else { return }
    guard case .name(let keyword) = first, keyword == "host" || keyword == "group" else {
      throw source.error(
        "expected 'host' or 'group' at the start of the line", at: span,
        hint: "e.g. `host cp1 address=10.0.0.11 groups=control_plane` or `group workers: w1 w2`")
    }
    guard words.count > 1, case .name(let name) = words[1].word else {
      throw source.error(
        "expected a \(keyword) name after '\(keyword)'",
        at: words.count > 1 ? words[1].span : span)
    }
    if keyword == "host" {
      try host(name, at: words[1].span, settings: words.dropFirst(2))
    } else {
      try group(name, at: words[1].span, rest: words.dropFirst(2))
    }
  }

  private mutating func host(_ pattern: String, at span: Span, settings: Words.SubSequence)
    throws
  {
    let names = try expand(pattern, at: span, what: "host")
    var groups: [String] = []
    var vars: [(String, Located<InventoryValue>)] = []
    for (word, place) in settings {
      switch word {
      case .setting(let key, _, let text) where key == "groups":
        for group in text.split(separator: ",", omittingEmptySubsequences: false) {
          let group = String(group)
          try checkGroupName(group, at: place)
          groups.append(group)
        }
      case .setting(let key, let value, _):
        vars.append((key, Located(value: value, span: place)))
      case .colon:
        throw source.error(
          "unexpected ':' in a host line", at: place,
          hint: "put a host in groups with groups=a,b, or list it in `group NAME: HOST…`")
      case .name(let text):
        throw source.error(
          "expected key=value after the host name, found '\(text)'", at: place,
          hint: "settings and vars are key=value, e.g. address=10.0.0.11 groups=workers")
      }
    }
    for name in names {
      if let first = declared[name] {
        let line = source.file.lineColumn(of: first.start).line
        throw source.error(
          "host '\(name)' is declared twice", at: span,
          hint: "it was first declared on line \(line)")
      }
      declared[name] = span
      builder.addHost(name, group: nil, at: span)
      for group in groups {
        builder.addGroup(group)
        builder.addMember(host: name, group: group)
      }
      for (key, value) in vars { builder.setHostVar(name, key, value) }
      try builder.checkSize(at: span)
    }
  }

  private mutating func group(_ name: String, at span: Span, rest: Words.SubSequence) throws {
    try checkGroupName(name, at: span)
    builder.addGroup(name)
    var afterColon = false
    for (word, place) in rest {
      switch word {
      case .colon where !afterColon:
        afterColon = true
      case .colon:
        throw source.error("unexpected second ':'", at: place)
      case .name(let member) where afterColon:
        members.append((name, member, place))
      case .name(let text):
        throw source.error(
          "expected key=value or ':' after the group name, found '\(text)'", at: place,
          hint: "members follow a ':', e.g. `group \(name): \(text)`")
      case .setting(let key, _, _) where afterColon:
        throw source.error(
          "group vars go before the ':', found \(key)= among the members", at: place)
      case .setting(let key, _, _) where key == "groups" || key == "address":
        throw source.error(
          "\(key)= is a host setting, not a group's", at: place,
          hint: key == "groups"
            ? "to nest groups, list the child after the parent's ':': `group parent: \(name)`"
            : "give each host its own address")
      case .setting(let key, let value, _):
        try builder.setGroupVar(name, key, Located(value: value, span: place))
      }
    }
  }

  /// Adds each group's members, now that every host and group is declared.
  private mutating func linkMembers() throws {
    for (group, pattern, span) in members {
      for name in try expand(pattern, at: span, what: "member") {
        let isGroup = builder.hasGroup(name)
        let isHost = declared[name] != nil
        if isGroup && isHost {
          throw source.error("'\(name)' is both a host and a group", at: span)
        } else if isGroup {
          try builder.addChild(parent: group, child: name, at: span)
        } else if isHost {
          builder.addMember(host: name, group: group)
        } else {
          let known = Array(declared.keys) + Array(builder.groups.keys)
          throw source.error(
            "unknown host or group '\(name)' in group '\(group)'", at: span,
            hint: Suggest.hint(for: name, among: known.sorted())
              ?? "declare it with a `host \(name)` or `group \(name)` line")
        }
      }
    }
  }

  /// The names of a host pattern: letters, digits, `_`, `.`, `-` and `[a:b]` ranges.
  private func expand(_ pattern: String, at span: Span, what: String) throws -> [String] {
    let allowed = pattern.allSatisfy { c in
      c.isLetter || c.isNumber || "_.-[]:".contains(c)
    }
    var outside = pattern
    while let open = outside.firstIndex(of: "["), let close = outside[open...].firstIndex(of: "]") {
      outside.removeSubrange(open...close)
    }
    guard allowed, !outside.contains(":"), pattern.first != "-" else {
      throw source.error(
        "invalid \(what) name '\(pattern)'", at: span,
        hint: "names are letters, digits, '_', '.' and '-', with ranges like web[01:20]")
    }
    var budget = HostPattern.Budget()
    do {
      return try HostPattern.expandRanges(pattern, pattern: pattern, budget: &budget)
    } catch {
      throw source.error(error.message, at: span, hint: error.hint)
    }
  }

  private func checkGroupName(_ name: String, at span: Span) throws {
    let valid =
      !name.isEmpty && name.first != "-"
      && name.allSatisfy { $0.isLetter || $0.isNumber || "_.-".contains($0) }
    guard valid else {
      throw source.error(
        name.isEmpty ? "empty group name" : "invalid group name '\(name)'", at: span,
        hint: "group names are letters, digits, '_', '.' and '-'")
    }
  }
}
