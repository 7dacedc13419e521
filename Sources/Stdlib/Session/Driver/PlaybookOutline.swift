import Foundation
import Interpreter
import Lexer

/// What a playbook declares and names, read without running it: its `param`s (with their
/// defaults when constant) and the host and group names it writes as literals that a given
/// set of hosts does not have. `haflow rehearse` uses it to shape a lab that fits and to give
/// lab values only to the params the playbook declares.
public struct PlaybookOutline: Sendable {
  /// A `param` of the playbook (or of a file it imports).
  public struct Param: Sendable, Equatable {
    /// Its name.
    public var name: String
    /// Whether it has a default.
    public var hasDefault: Bool
    /// The default when it is a constant text (`"https://…"`); nil otherwise.
    public var constantText: String?
  }

  /// The params, in declaration order.
  public var params: [Param]
  /// The check without hosts: syntax and check errors mean nothing can run.
  public var outcome: RunOutcome
  /// Host and group names written as literals (`group("etcd")`, `on "workers"`) that the
  /// hosts given do not have, in order of appearance.
  public var missingNames: [String]
}

extension Driver {
  /// Reads and checks `path` (and what it imports) without running it; `hosts` (name and
  /// groups) are what literal host and group names are checked against.
  public func outline(path: String, hosts: [(name: String, groups: [String])]) -> PlaybookOutline {
    let plain = check(paths: [path])
    let loader = SourceLoader()
    guard case .success(let program) = loader.load(path: path), plain.exitCode == 0 else {
      return PlaybookOutline(params: [], outcome: plain, missingNames: [])
    }
    let params = loader.paramDeclarations().map { decl in
      var text: String?
      if let value = decl.defaultValue.flatMap(ParamDefaults.constant),
        case .string(let string) = value
      {
        text = string
      }
      return PlaybookOutline.Param(
        name: decl.name.text, hasDefault: decl.defaultValue != nil, constantText: text)
    }
    let inventory = Inventory(
      hosts: hosts.map { Host(name: $0.name, address: $0.name, groups: $0.groups) })
    let interpreter = Interpreter(run: makeContext(RunOptions(environment: [:])))
    let checked = interpreter.compile(
      program, importer: loader.importer, hostsToCheck: Self.withLocalhost(inventory))
    var missing: [String] = []
    for diagnostic in checked.diagnostics where diagnostic.severity == .error {
      guard let name = Self.unknownName(in: diagnostic.message), !missing.contains(name)
      else { continue }
      missing.append(name)
    }
    return PlaybookOutline(params: params, outcome: plain, missingNames: missing)
  }

  /// The name in the checker's "unknown group 'x'", "unknown host 'x'" and "unknown host or
  /// group 'x'" messages.
  static func unknownName(in message: String) -> String? {
    for prefix in ["unknown group '", "unknown host or group '", "unknown host '"] {
      guard let start = message.range(of: prefix) else { continue }
      let rest = message[start.upperBound...]
      guard let end = rest.firstIndex(of: "'") else { continue }
      return String(rest[..<end])
    }
    return nil
  }
}
