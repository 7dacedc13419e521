import Foundation
import Interpreter
import Stdlib
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

  /// The hosts a pattern names, in the language `on` uses too (`HostSelector`: `all`,
  /// groups, hosts, `a,b`, `!x`, `&g`, `node*`, `~regex`, `group[0]`, `group[1:3]`).
  public static func select(_ pattern: String, in inventory: Inventory) throws -> [Host] {
    try HostSelector.select(pattern, in: inventory)
  }

  /// Runs `request` (its host replaced) on every host, at most `forks` at once, each on a
  /// thread of its own; `finished` is called as each host ends (from its thread). Returns the
  /// outcomes in host order.
  ///
  /// Secrets of the formats `scanners` know (kubeadm's bootstrap tokens and certificate keys)
  /// in a command they apply to are redacted as the lines stream to `sink` and from the
  /// results, as in a playbook's commands; `reveal` keeps the results in clear (what the
  /// operator asked to see), the streamed lines stay redacted.
  public static func run(
    _ request: CommandRequest, on hosts: [Host], executor: any CommandExecutor, forks: Int,
    sink: any OutputSink, scanners: [any OutputSecretScanner] = Stdlib.outputScanners,
    reveal: Bool = false, finished: @escaping @Sendable (Outcome) -> Void = { _ in }
  ) -> [Outcome] {
    let outcomes = Mutex<[Int: Outcome]>([:])
    let applying = scanners.filter { $0.applies(to: request.command) }
    let secrets = SecretRegistry()
    for secret in request.command.secrets { secrets.register(secret) }
    let scanning =
      applying.isEmpty
      ? nil
      : ScanningSink(
        base: RedactingSink(base: sink, registry: secrets), registry: secrets, scanners: applying)
    let sink: any OutputSink = scanning ?? sink
    Workers.forEach(hosts.count, limit: forks) { index in
      var hostRequest = request
      hostRequest.host = hosts[index]
      var outcome = Outcome(host: hosts[index], result: nil, error: nil)
      let name = hosts[index].name
      sink.emit(.commandStarted(host: name, command: request.command.displayText))
      do {
        var result = try executor.run(hostRequest, sink: sink)
        if let scanning {
          // Every line, whether or not the executor streamed it, before the result is shown.
          for line in (result.stdout + "\n" + result.stderr).split(separator: "\n") {
            scanning.scan(String(line))
          }
          if !reveal {
            let matcher = secrets.matcher
            result.stdout = matcher.redact(result.stdout)
            result.stderr = matcher.redact(result.stderr)
          }
        }
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
