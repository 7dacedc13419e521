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

  /// `20261207T034512Z-1a2b3c`: sortable by start, unique enough for one controller.
  static func newRunID() -> String {
    let stamp = RunEvent.timestamp(Date())
    let compact = stamp.prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
    let suffix = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
    return compact + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
  }
}
