import Foundation
import Interpreter

/// `haflow run --limit`: a host pattern as `exec` and `on "…"` take it, or `@FILE` naming
/// one host (or pattern) per line — Ansible's retry files; blank lines and `#` comments are
/// ignored.
public enum HostLimit {
  /// The names of the hosts `limit` selects; throws (with "did you mean") on an unknown host
  /// or group, or an unreadable file.
  public static func resolve(_ limit: String, in inventory: Inventory) throws -> Set<String> {
    var patterns = [limit]
    if limit.hasPrefix("@") {
      let path = String(limit.dropFirst())
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw RuntimeError("cannot read \(path)")
      }
      patterns = text.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
      guard !patterns.isEmpty else { throw RuntimeError("\(path) names no host") }
    }
    var names = Set<String>()
    for pattern in patterns {
      for host in try HostSelector.select(pattern, in: inventory) { names.insert(host.name) }
    }
    return names
  }
}
