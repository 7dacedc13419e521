import Interpreter
import Lexer

import struct Interpreter.Host

/// One operand of `scp(source, destination)`: `HOST:PATH` (an inventory host by name or
/// address, `user@` allowed when it is the host's login user) or a local path. As with
/// OpenSSH's scp, `HOST:` alone is the login user's home directory, and a relative path is
/// relative to it; a path containing `/` before any `:` is local (`./a:b`).
struct ScpOperand: Sendable {
  /// The host; nil for a local path.
  var host: Host?
  /// The path on that host (`""` for the home directory).
  var path: String

  /// Parses an operand against the inventory.
  static func parse(_ text: String, inventory: Inventory) throws -> ScpOperand {
    guard let colon = text.firstIndex(of: ":"), !text[..<colon].contains("/") else {
      return ScpOperand(host: nil, path: text)
    }
    var name = String(text[..<colon])
    var path = String(text[text.index(after: colon)...])
    if path.hasPrefix("~/") { path.removeFirst(2) }
    var user: String?
    if let at = name.lastIndex(of: "@") {
      user = String(name[..<at])
      name = String(name[name.index(after: at)...])
    }
    let found =
      inventory.host(named: name) ?? inventory.hosts.first { $0.address == name }
    guard let host = found else {
      let names = inventory.hosts.map(\.name)
      throw RuntimeError(
        "scp: '\(name)' is not a host of the inventory",
        hint: Suggest.hint(for: name, among: names)
          ?? "name an inventory host, e.g. \(names.first ?? "cp1"):/path")
    }
    if let user, let login = host.user, user != login {
      throw RuntimeError(
        "scp: \(host.name) logs in as \(login), not \(user)",
        hint: "set the user in the inventory (ansible_user), or leave 'user@' out")
    }
    return ScpOperand(host: host, path: path)
  }

  /// The destination path when copying a file named `sourcePath`: a directory destination
  /// (empty, `.`, or ending in `/`) gets the source's file name.
  func destination(for sourcePath: String) -> String {
    let name = Self.fileName(of: sourcePath)
    if path.isEmpty { return name }
    if path == "." || path == "~" { return name }
    if path.hasSuffix("/") { return path + name }
    return path
  }

  /// The last component of a path: `x` for `/etc/x`.
  static func fileName(of path: String) -> String {
    path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
  }

  /// `cp1:/etc/x` or `/tmp/x`, for log lines.
  var display: String { host.map { "\($0.name):\(path)" } ?? path }
}
