import Foundation
import Interpreter
import Lexer

extension RunEventLog {
  /// Records `run_start`: the playbook, a new run id, and the inventory's hosts.
  public func recordStart(playbook: String, inventory: Inventory) {
    let id = Self.newRunID()
    started(id: id, playbook: playbook, at: Date())
    record(
      .runStart,
      fields: [
        .init("run_id", .string(id)), .init("playbook", .string(playbook)),
        .init("hosts", .strings(inventory.hosts.filter { !$0.isImplicit }.map(\.name))),
        .init("pid", .int(Int64(getpid()))),
      ])
  }

  /// Records the `error` that stopped the run (if one did), then `run_end` with its status.
  public func recordEnd(
    _ outcome: RunOutcome, sources: SourceMap, elapsed: Int64,
    interruptedStatus: @Sendable () -> Int32
  ) {
    endSteps()
    var status = outcome.exitCode == 0 ? "ok" : "failed"
    var exitStatus = outcome.exitCode
    if let error = outcome.runtimeError {
      var fields: [RunEvent.Field] = [
        .init("kind", .string(error.kind.rawValue)), .init("message", .string(error.message)),
      ]
      if error.span != .unknown {
        fields.append(.init("location", .string(sources.location(of: error.span))))
      }
      if let hint = error.hint { fields.append(.init("hint", .string(hint))) }
      record(.error, step: nil, host: error.host, fields: fields)
      if error.kind == .interrupted {
        status = "interrupted"
        exitStatus = interruptedStatus()
      } else if error.kind == .locked {
        status = "locked"
      }
    } else if !outcome.paramErrors.isEmpty || !outcome.usageErrors.isEmpty {
      status = "usage"
    }
    record(
      .runEnd,
      fields: [
        .init("status", .string(status)), .init("exit_status", .int(Int64(exitStatus))),
        .init("duration_ms", .milliseconds(elapsed)),
      ])
  }

  /// The kinds of `error` a run refused before it began has: the playbook failed its check
  /// (`check`), a param was missing or ill-typed (`param`), a file could not be read or a step
  /// name is unknown (`usage`). A run that began never has them; the journal keeps no run that
  /// ended with them.
  public static let refusalKinds: Set<String> = ["check", "param", "usage"]

  /// Records a run that stopped before it began — the playbook could not be read or failed its
  /// check, its params or step names were refused: `run_start`, an `error` per problem (errors
  /// only, warnings are left out), then `run_end` with status `invalid` (exit 65) or `usage`
  /// (exit 2).
  public func recordRefused(
    _ outcome: RunOutcome, playbook: String, inventory: Inventory, elapsed: Int64
  ) {
    recordStart(playbook: playbook, inventory: inventory)
    func error(_ kind: String, _ diagnostic: Diagnostic) {
      var fields: [RunEvent.Field] = [
        .init("kind", .string(kind)), .init("message", .string(diagnostic.message)),
      ]
      if diagnostic.span != .unknown {
        fields.append(.init("location", .string(outcome.sources.location(of: diagnostic.span))))
      }
      if let hint = diagnostic.hint { fields.append(.init("hint", .string(hint))) }
      record(.error, step: nil, fields: fields)
    }
    for diagnostic in outcome.diagnostics where diagnostic.severity == .error {
      error("check", diagnostic)
    }
    for diagnostic in outcome.paramErrors where diagnostic.severity == .error {
      error("param", diagnostic)
    }
    for message in outcome.usageErrors {
      record(
        .error, step: nil,
        fields: [.init("kind", .string("usage")), .init("message", .string(message))])
    }
    let code = outcome.exitCode
    record(
      .runEnd,
      fields: [
        .init("status", .string(code == 65 ? "invalid" : "usage")),
        .init("exit_status", .int(Int64(code))), .init("duration_ms", .milliseconds(elapsed)),
      ])
  }

  /// `20261207T034512Z-1a2b3c`: sortable by start, unique enough for one controller.
  static func newRunID() -> String {
    let stamp = RunEvent.timestamp(Date())
    let compact = stamp.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    let suffix = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
    return compact + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
  }
}
