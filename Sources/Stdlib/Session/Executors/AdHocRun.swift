import Foundation
import Interpreter
import Lexer
import Synchronization

import struct Interpreter.Host

/// One command on many hosts at once — the engine of `haflow exec` (Ansible's ad-hoc `-a`,
/// pssh): hosts chosen by a pattern, at most `forks` at a time, every result collected.
public enum AdHocRun {
  /// What happened on one host.
  public struct Outcome: Sendable {
    /// The host.
    public var host: Host
    /// The command's result; nil when it could not run (unreachable, bad key, …).
    public var result: CommandResult?
    /// Why it could not run.
    public var error: RuntimeError?

    /// Whether the command ran and exited 0.
    public var ok: Bool { result?.exitStatus == 0 }
  }

  /// The hosts a pattern names: `all` (or `*`), a group, a host, or several joined with `,`
  /// or `:`; a part starting with `!` removes hosts. Inventory order, each host once.
  public static func select(_ pattern: String, in inventory: Inventory) throws -> [Host] {
    var chosen: Set<String> = []
    var excluded: Set<String> = []
    let parts = pattern.split(whereSeparator: { $0 == "," || $0 == ":" }).map(String.init)
    guard !parts.isEmpty else { throw RuntimeError("the host pattern is empty") }
    for part in parts {
      let negated = part.hasPrefix("!")
      let name = negated ? String(part.dropFirst()) : part
      let names = try hostNames(name, in: inventory)
      if negated { excluded.formUnion(names) } else { chosen.formUnion(names) }
    }
    if parts.allSatisfy({ $0.hasPrefix("!") }) {
      chosen = Set(inventory.hosts.map(\.name))
    }
    return inventory.hosts.filter { chosen.contains($0.name) && !excluded.contains($0.name) }
  }

  private static func hostNames(_ name: String, in inventory: Inventory) throws -> [String] {
    if name == "all" || name == "*" { return inventory.hosts.map(\.name) }
    let group = inventory.group(named: name)
    if !group.isEmpty { return group.map(\.name) }
    if let host = inventory.host(named: name) { return [host.name] }
    var known = inventory.hosts.map(\.name)
    for group in inventory.hosts.flatMap(\.groups) where !known.contains(group) {
      known.append(group)
    }
    throw RuntimeError(
      "no host or group '\(name)' in the inventory",
      hint: Suggest.hint(for: name, among: known + ["all"])
        ?? "hosts and groups: " + known.prefix(12).joined(separator: ", "))
  }

  /// Runs `request` (its host replaced) on every host, at most `forks` at once, each on a
  /// thread of its own; `finished` is called as each host ends (from its thread). Returns the
  /// outcomes in host order.
  public static func run(
    _ request: CommandRequest, on hosts: [Host], executor: any CommandExecutor, forks: Int,
    sink: any OutputSink, finished: @escaping @Sendable (Outcome) -> Void = { _ in }
  ) -> [Outcome] {
    let outcomes = Mutex<[Int: Outcome]>([:])
    Workers.forEach(hosts.count, limit: forks) { index in
      var hostRequest = request
      hostRequest.host = hosts[index]
      var outcome = Outcome(host: hosts[index], result: nil, error: nil)
      let name = hosts[index].name
      sink.emit(.commandStarted(host: name, command: request.command.displayText))
      do {
        let result = try executor.run(hostRequest, sink: sink)
        outcome.result = result
        sink.emit(
          .commandFinished(
            host: name, exitStatus: result.exitStatus, duration: result.duration))
      } catch let error as RuntimeError {
        outcome.error = error
        sink.emit(.commandFinished(host: name, exitStatus: -1, duration: 0))
      } catch {
        sink.emit(.commandFinished(host: name, exitStatus: -1, duration: 0))
        outcome.error = RuntimeError("\(error)", host: hosts[index].name)
      }
      outcomes.withLock { $0[index] = outcome }
      finished(outcome)
    }
    return outcomes.withLock { all in hosts.indices.compactMap { all[$0] } }
  }
}
