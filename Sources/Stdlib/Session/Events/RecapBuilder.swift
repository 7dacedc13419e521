import Foundation
import Synchronization

/// Builds a `RunRecap` from a run's events: add `observe` as a listener of the run's
/// `RunEventLog`, read `recap` at the end (or at any time).
///
/// A playbook's recap counts steps. `exec` has no steps: made with `countsCommands`, every
/// command outside a step counts once for its host (`changed` when it exited 0, as Ansible's
/// ad-hoc commands say CHANGED; `failed` otherwise, listed with its last stderr lines), and a
/// host that could not be reached outside a step is listed with why.
public final class RecapBuilder: Sendable {
  /// How many of a failed command's last standard-error lines the recap keeps.
  public static let stderrLines = 5

  private struct Step {
    var line: RunRecap.StepLine
    /// Host outcomes reported by `host_end` (true: ok).
    var ended: [String: Bool] = [:]
    /// Hosts a command ran on or a file changed on.
    var touched: [String] = []
    /// Hosts only read from (downloads, reads): part of the step, nothing changed.
    var seen: [String] = []
    var unreachable: Set<String> = []
    /// Why hosts failed (`host_end`) or could not be reached, first message per host.
    var reasons: [String: String] = [:]
    /// The last failed command of each host.
    var failures: [String: RunRecap.FailedCommand] = [:]
    /// Time on each host from `host_end`, else from commands and transfers.
    var hostTime: [String: Int64] = [:]
    var commandTime: [String: Int64] = [:]
  }

  private struct Running {
    var command: String
    var step: String?
    var stderr: [String] = []
    /// Its host could not be reached (or dropped) while it was to run.
    var unreachable = false
  }

  private struct State {
    var steps: [Step] = []
    var hostOrder: [String] = []
    var running: [String: Running] = [:]
    var loose: [String: Int64] = [:]
    var looseUnreachable: Set<String> = []
    /// With `countsCommands`: commands outside steps that exited 0, by host.
    var looseChanged: [String: Int] = [:]
    /// With `countsCommands`: failed commands outside steps, in the order they ended.
    var looseFailures: [RunRecap.FailedCommand] = []
    /// With `countsCommands`: why hosts could not be reached outside steps, first per host.
    var looseReasons: [String: String] = [:]
    var status: String?
    var total: Int64 = 0
    var known: Set<String> = []

    /// Adds a host to the recap's lines, in the order hosts are first seen.
    mutating func see(_ host: String) {
      if known.insert(host).inserted { hostOrder.append(host) }
    }
  }

  private let state = Mutex(State())
  private let countsCommands: Bool

  /// Makes a builder; `countsCommands`: count commands outside steps (`exec`); `hosts`: the
  /// hosts' order in the recap (others follow as they are first seen).
  public init(countsCommands: Bool = false, hosts: [String] = []) {
    self.countsCommands = countsCommands
    state.withLock { state in
      for host in hosts { state.see(host) }
    }
  }

  /// Takes in one event.
  public func observe(_ event: RunEvent) {
    state.withLock { state in
      if let host = event.host, event.kind != .log, event.kind != .warning, host != "local" {
        state.see(host)
      }
      let index = event.step.flatMap { name in state.steps.lastIndex { $0.line.name == name } }
      switch event.kind {
      case .stepStart:
        let hosts = Self.strings(event["hosts"])
        for host in hosts { state.see(host) }
        state.steps.append(
          Step(
            line: .init(
              name: event.step ?? "", status: "running", duration: 0, hosts: hosts)))
      case .stepSkip:
        let hosts = Self.strings(event["hosts"])
        for host in hosts { state.see(host) }
        state.steps.append(
          Step(
            line: .init(
              name: event.step ?? "", status: "skipped", reason: event["reason"]?.text,
              duration: 0, hosts: hosts)))
      case .stepEnd:
        guard let index else { break }
        state.steps[index].line.status = event["status"]?.text ?? "ok"
        state.steps[index].line.duration = Self.nanoseconds(event["duration_ms"])
      case .hostEnd:
        guard let host = event.host else { break }
        if let index {
          state.steps[index].ended[host] = event["status"]?.text == "ok"
          if let message = event["message"]?.text, state.steps[index].reasons[host] == nil {
            state.steps[index].reasons[host] = message
          }
          state.steps[index].hostTime[host, default: 0] += Self.nanoseconds(event["duration_ms"])
        } else {
          state.loose[host, default: 0] += Self.nanoseconds(event["duration_ms"])
        }
      case .hostUnreachable:
        guard let host = event.host else { break }
        if let index {
          state.steps[index].unreachable.insert(host)
          if let message = event["message"]?.text { state.steps[index].reasons[host] = message }
        } else {
          state.looseUnreachable.insert(host)
          if let message = event["message"]?.text, state.looseReasons[host] == nil {
            state.looseReasons[host] = message
          }
        }
        state.running[host]?.unreachable = true
      case .commandStart:
        guard let host = event.host else { break }
        state.running[host] = Running(command: event["command"]?.text ?? "", step: event.step)
        if let index, !state.steps[index].touched.contains(host) {
          state.steps[index].touched.append(host)
        }
      case .output:
        guard let host = event.host, event["stream"]?.text == "stderr",
          let line = event["line"]?.text
        else { break }
        state.running[host]?.stderr.append(line)
        if let count = state.running[host]?.stderr.count, count > Self.stderrLines {
          state.running[host]?.stderr.removeFirst(count - Self.stderrLines)
        }
      case .commandEnd:
        guard let host = event.host else { break }
        let running = state.running.removeValue(forKey: host)
        let duration = Self.nanoseconds(event["duration_ms"])
        guard let index else {
          state.loose[host, default: 0] += duration
          guard countsCommands, let running, !running.unreachable,
            case .int(let status) = event["exit_status"]
          else { break }
          if status == 0 {
            state.looseChanged[host, default: 0] += 1
          } else {
            state.looseFailures.append(
              .init(
                step: nil, host: host, command: running.command, exitStatus: status,
                stderr: running.stderr))
          }
          break
        }
        state.steps[index].commandTime[host, default: 0] += duration
        if case .int(let status) = event["exit_status"], status != 0, let running {
          state.steps[index].failures[host] = .init(
            step: event.step, host: host, command: running.command, exitStatus: status,
            stderr: running.stderr)
        }
      case .transfer:
        guard let host = event.host else { break }
        let duration = Self.nanoseconds(event["duration_ms"])
        guard let index else {
          state.loose[host, default: 0] += duration
          break
        }
        state.steps[index].commandTime[host, default: 0] += duration
        // Only uploads and writes change the host; a download changes this machine.
        let writes = ["upload", "write"].contains(event["direction"]?.text ?? "")
        if writes && event["changed"] == .bool(true) {
          if !state.steps[index].touched.contains(host) { state.steps[index].touched.append(host) }
        } else if !state.steps[index].seen.contains(host) {
          state.steps[index].seen.append(host)
        }
      case .runEnd:
        state.status = event["status"]?.text
        state.total = Self.nanoseconds(event["duration_ms"])
      case .runStart, .probe, .log, .print, .warning, .error, .hostConnect, .lock:
        break
      }
    }
  }

  /// The recap so far.
  public var recap: RunRecap {
    state.withLock { state in
      var recap = RunRecap()
      recap.status = state.status
      recap.total = state.total
      var lines = state.hostOrder.map { RunRecap.HostLine(name: $0) }
      func add(_ host: String, _ change: (inout RunRecap.HostLine) -> Void) {
        if let at = lines.firstIndex(where: { $0.name == host }) { change(&lines[at]) }
      }
      for host in state.looseUnreachable { add(host) { $0.unreachable += 1 } }
      for (host, time) in state.loose { add(host) { $0.time += time } }
      for (host, count) in state.looseChanged { add(host) { $0.changed += count } }
      for failure in state.looseFailures { add(failure.host) { $0.failed += 1 } }
      // In the hosts' order, not the order they ended in (parallel hosts end in any order).
      let order = Dictionary(
        state.hostOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
      recap.failedCommands = state.looseFailures.enumerated().sorted {
        (order[$0.element.host] ?? 0, $0.offset) < (order[$1.element.host] ?? 0, $1.offset)
      }.map(\.element)
      if countsCommands {
        for host in state.hostOrder where state.looseUnreachable.contains(host) {
          recap.problems.append(
            .init(
              step: nil, host: host, status: "unreachable",
              message: Self.firstLine(state.looseReasons[host])))
        }
      }
      for step in state.steps {
        var hosts = step.line.hosts
        for host in step.touched + step.seen + step.ended.keys.sorted() + step.unreachable.sorted()
        where !hosts.contains(host) {
          hosts.append(host)
        }
        var line = step.line
        line.hosts = hosts
        recap.steps.append(line)
        for host in hosts {
          add(host) { $0.time += step.hostTime[host] ?? step.commandTime[host] ?? 0 }
          let failed =
            step.ended[host] == false
            || (step.ended[host] == nil && step.line.status == "failed"
              && step.failures[host] != nil)
          if step.unreachable.contains(host) {
            add(host) { $0.unreachable += 1 }
            recap.problems.append(
              .init(
                step: step.line.name, host: host, status: "unreachable",
                message: Self.firstLine(step.reasons[host])))
          } else if step.line.status == "skipped" {
            add(host) { $0.skipped += 1 }
          } else if failed {
            add(host) { $0.failed += 1 }
            if let command = step.failures[host] {
              recap.failedCommands.append(command)
            } else {
              recap.problems.append(
                .init(
                  step: step.line.name, host: host, status: "failed",
                  message: Self.firstLine(step.reasons[host])))
            }
          } else if step.ended[host] == nil && !step.touched.contains(host)
            && !step.seen.contains(host)
          {
            add(host) { $0.skipped += 1 }
          } else if step.touched.contains(host) {
            add(host) { $0.changed += 1 }
          } else {
            add(host) { $0.ok += 1 }
          }
        }
      }
      recap.hosts = lines
      return recap
    }
  }

  private static func firstLine(_ text: String?) -> String {
    text?.split(separator: "\n").first.map(String.init) ?? "?"
  }

  private static func strings(_ value: EventValue?) -> [String] {
    if case .strings(let list) = value { return list }
    return []
  }

  private static func nanoseconds(_ value: EventValue?) -> Int64 {
    if case .number(let ms) = value { return Int64((ms * 1_000_000).rounded()) }
    return 0
  }
}
