import Foundation
import Lexer

/// Chooses hosts from an inventory by an Ansible host pattern — the one pattern language of
/// `on "…"`, `haflow exec` and `--limit`, so a pattern means the same wherever it is written.
///
/// A pattern is terms joined by `,` (or `:` when there is no comma); a term is `all` or `*`,
/// a group or host name, a wildcard (`node*`, `web?.example.com`, `[ab]*`), a regular
/// expression after `~` (matched from the start of the name), each with an optional
/// subscript (`workers[0]`, `workers[-1]`, `workers[1:3]` inclusive, `workers[1:]`,
/// `workers[:2]`). `!term` removes hosts and `&term` keeps only hosts it also names; as in
/// Ansible, plain terms are taken first, then `&`, then `!`, and a pattern of only `!`/`&`
/// terms starts from `all`. The hosts come in the order the terms name them (a group's in
/// inventory order), each once. A name matches a group before a host of that name. A host the
/// run adds on its own (the implicit `localhost`) is chosen only by its name or its group,
/// never by `all`, `*` or a wildcard over host names.
///
/// Every term must name something: an unknown name is an error with "did you mean", so a
/// typo in `!cp1` cannot run a command on the host it meant to leave out. A subscript index
/// past the end is an error; a slice past the end is cut short (it may be empty).
public enum HostSelector {
  /// The hosts `pattern` names in `inventory`; throws for an empty or malformed pattern, an
  /// unknown name or an index past the end.
  public static func select(_ pattern: String, in inventory: Inventory) throws -> [Host] {
    let text = pattern.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else {
      throw RuntimeError(
        "the host pattern is empty", hint: "name a host or group, or write 'all'")
    }
    if let host = inventory.host(named: text), inventory.group(named: text).isEmpty {
      return [host]
    }
    var plain: [HostPatternTerm] = []
    var required: [HostPatternTerm] = []
    var excluded: [HostPatternTerm] = []
    for part in split(text) {
      let term = try HostPatternTerm(part, pattern: text)
      switch term.operation {
      case .include: plain.append(term)
      case .intersect: required.append(term)
      case .exclude: excluded.append(term)
      }
    }
    guard !(plain.isEmpty && required.isEmpty && excluded.isEmpty) else {
      throw RuntimeError(
        "the host pattern '\(pattern)' names no host", hint: "name a host or group, or write 'all'")
    }
    var chosen: [Host] = []
    var seen: Set<String> = []
    let starting = plain.isEmpty ? [try HostPatternTerm("all", pattern: text)] : plain
    for term in starting {
      for host in try term.hosts(in: inventory) where seen.insert(host.name).inserted {
        chosen.append(host)
      }
    }
    for term in required {
      let names = Set(try term.hosts(in: inventory).map(\.name))
      chosen.removeAll { !names.contains($0.name) }
    }
    for term in excluded {
      let names = Set(try term.hosts(in: inventory).map(\.name))
      chosen.removeAll { names.contains($0.name) }
    }
    return chosen
  }

  /// Whether `pattern` is one host's name (not also a group's): `on` then gives that host's
  /// value rather than a map by host.
  public static func namesOneHost(_ pattern: String, in inventory: Inventory) -> Bool {
    inventory.host(named: pattern) != nil && inventory.group(named: pattern).isEmpty
  }

  /// The terms of a pattern: split at `,`, or at `:` outside brackets when there is no comma.
  static func split(_ pattern: String) -> [String] {
    if pattern.contains(",") {
      return pattern.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }
    var parts: [String] = []
    var current = ""
    var depth = 0
    for character in pattern {
      switch character {
      case "[": depth += 1
      case "]": depth = max(0, depth - 1)
      case ":" where depth == 0:
        parts.append(current)
        current = ""
        continue
      default: break
      }
      current.append(character)
    }
    parts.append(current)
    return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}

/// One term of a host pattern: what it does to the selection, what it matches, and an
/// optional subscript.
struct HostPatternTerm {
  enum Operation { case include, intersect, exclude }

  /// An index or an inclusive slice of the matched hosts.
  enum Subscript: Equatable {
    case index(Int)
    case slice(Int?, Int?)
  }

  let operation: Operation
  /// The term as written, for messages.
  let text: String
  /// What names are matched against: the term without its operator and subscript.
  let expression: String
  let subscriptPart: Subscript?

  init(_ part: String, pattern: String) throws {
    var rest = Substring(part)
    switch rest.first {
    case "!":
      operation = .exclude
      rest = rest.dropFirst()
    case "&":
      operation = .intersect
      rest = rest.dropFirst()
    default: operation = .include
    }
    text = part
    guard !rest.isEmpty else {
      throw RuntimeError(
        "'\(part)' in the host pattern '\(pattern)' names nothing",
        hint: "write a host or group after \(part): '\(part)workers'")
    }
    if rest.first == "~" {
      expression = String(rest)
      subscriptPart = nil
    } else {
      let (expression, subscriptPart) = try Self.splitSubscript(rest, term: part)
      self.expression = expression
      self.subscriptPart = subscriptPart
    }
  }

  /// `name[1:3]` → (`name`, slice 1…3); text without a final `[…]` of digits is left whole.
  static func splitSubscript(_ text: Substring, term: String) throws -> (String, Subscript?) {
    guard text.last == "]", let open = text.lastIndex(of: "["), open > text.startIndex else {
      return (String(text), nil)
    }
    let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
    let name = String(text[..<open])
    let bounds = inside.split(separator: ":", omittingEmptySubsequences: false)
    func number(_ part: Substring) -> Int?? {
      if part.isEmpty { return .some(nil) }
      let digits = part.first == "-" ? part.dropFirst() : part
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      return Int(part).map { .some($0) }
    }
    switch bounds.count {
    case 1:
      guard case .some(.some(let index)) = number(bounds[0]) else { return (String(text), nil) }
      return (name, .index(index))
    case 2:
      guard let start = number(bounds[0]), let end = number(bounds[1]) else {
        return (String(text), nil)
      }
      guard start != nil || end != nil else {
        throw RuntimeError(
          "'\(term)': a slice needs a start or an end",
          hint: "write \(name)[0:2] for the first three hosts, \(name)[1:] for all but the first")
      }
      return (name, .slice(start, end))
    default:
      return (String(text), nil)
    }
  }

  /// The hosts this term names, before its operation is applied.
  func hosts(in inventory: Inventory) throws -> [Host] {
    let matched = try match(in: inventory)
    guard let subscriptPart else { return matched }
    return try apply(subscriptPart, to: matched)
  }

  private func match(in inventory: Inventory) throws -> [Host] {
    let listed = inventory.hosts.filter { !$0.isImplicit }
    if expression == "all" || expression == "*" { return listed }
    let groups = Self.groupNames(of: inventory)
    let matcher = try HostNameMatcher(expression)
    var hosts: [Host] = []
    var seen: Set<String> = []
    let matchedGroups = groups.filter(matcher.matches)
    for group in matchedGroups {
      for host in inventory.group(named: group) where seen.insert(host.name).inserted {
        hosts.append(host)
      }
    }
    if matchedGroups.isEmpty || !matcher.isLiteral {
      let candidates = matcher.isLiteral ? inventory.hosts : listed
      for host in candidates where matcher.matches(host.name) && seen.insert(host.name).inserted {
        hosts.append(host)
      }
    }
    guard hosts.isEmpty else { return hosts }
    if matcher.isLiteral, subscriptPart != nil {
      // `node[1:2]` picks positions in a group `node`; hosts node1, node2 are chosen by name.
      throw RuntimeError(
        "unknown group '\(expression)'\(inPattern)",
        hint: Suggest.hint(for: expression, among: groups)
          ?? "[…] picks hosts by position in a group; to choose hosts by name, use a wildcard: '\(expression)*'"
      )
    }
    if matcher.isLiteral {
      let known = groups + listed.map(\.name) + ["all"]
      throw RuntimeError(
        "unknown host or group '\(expression)'\(inPattern)",
        hint: Suggest.hint(for: expression, among: known)
          ?? (known.count > 1
            ? "hosts and groups: " + known.dropLast().prefix(12).joined(separator: ", ")
            : "the inventory has no hosts"))
    }
    throw RuntimeError(
      "'\(expression)' matches no host or group\(inPattern)",
      hint: "hosts: " + listed.prefix(12).map(\.name).joined(separator: ", "))
  }

  private var inPattern: String { text == expression ? "" : " (in '\(text)')" }

  private func apply(_ subscriptPart: Subscript, to hosts: [Host]) throws -> [Host] {
    let count = hosts.count
    switch subscriptPart {
    case .index(let index):
      let position = index < 0 ? count + index : index
      guard position >= 0, position < count else {
        throw RuntimeError(
          "'\(text)': index \(index) is out of range: '\(expression)' has \(count) host\(count == 1 ? "" : "s")",
          hint: count == 0 ? nil : "indexes run from 0 to \(count - 1), or -1 for the last")
      }
      return [hosts[position]]
    case .slice(let start, let end):
      func position(_ value: Int) -> Int { min(count, max(0, value < 0 ? count + value : value)) }
      let lower = position(start ?? 0)
      let upper = end.map { position($0) + 1 } ?? count
      guard lower < min(upper, count) else { return [] }
      return Array(hosts[lower..<min(upper, count)])
    }
  }

  /// Every group name of the inventory, in the order hosts first mention them.
  static func groupNames(of inventory: Inventory) -> [String] {
    var names: [String] = []
    var seen: Set<String> = []
    for host in inventory.hosts {
      for group in host.groups where seen.insert(group).inserted { names.append(group) }
    }
    return names
  }
}
