import Dispatch
import Foundation
import Interpreter
import Remote
import Synchronization

/// Progress on a terminal: one live line for the running step — its name, hosts and elapsed
/// time, redrawn as the time goes — with command output folded under it: kept, not shown,
/// and printed (its last lines) only when the step fails. Step results, logs, warnings and
/// `print` output are written above the live line. `-v` shows the output live instead
/// (`TerminalSink`).
///
/// Transfers running show on the live line too, with their bytes and rate
/// (`copying FILE 12.3 MiB/40.0 MiB 8.1 MiB/s`), from the transport's throttled reports
/// (`transfer`), until the transfer's event, its host's end or its step's end (`transferEnded`).
///
/// Thread-safe: parallel branches emit from several threads; a ticker redraws the line.
final class LiveProgress: OutputSink {
  /// How many folded lines a failed step shows.
  static let shownOnFailure = 20

  private struct Running {
    var name: String
    var hosts: [String]
    var start: UInt64
    var folded: [String] = []
    /// Hosts whose `on` body has ended.
    var done = 0
  }

  private struct State {
    var steps: [Running] = []
    /// Transfers running, in the order they first reported.
    var transfers: [TransferProgress] = []
    var lineShown = false
    var frame = 0
  }

  private let style: TerminalStyle
  private let state = Mutex(State())
  private let stopped = Atomic(false)

  /// Makes the renderer and starts its ticker (5 redraws a second, until `finish`).
  init(style: TerminalStyle) {
    self.style = style
    let ticker = Thread { [weak self] in
      while let progress = self, !progress.stopped.load(ordering: .acquiring) {
        progress.tick()
        Thread.sleep(forTimeInterval: 0.2)
      }
    }
    ticker.start()
  }

  /// Stops the ticker and clears the live line.
  func finish() {
    stopped.store(true, ordering: .releasing)
    state.withLock { state in
      clearLine(&state)
    }
  }

  /// Renders one event.
  func emit(_ event: OutputEvent) {
    state.withLock { state in
      switch event {
      case .print(let text):
        above(&state) { Console.out(text + "\n") }
      case .log(let text, let host):
        above(&state) { Console.err(Self.prefixed(text, host: host, style: style)) }
      case .warning(let text, let host):
        above(&state) {
          Console.err(
            Self.prefixed(style.yellow("warning:") + " " + text, host: host, style: style))
        }
      case .stepStarted(let name, let hosts):
        state.steps.append(
          Running(name: name, hosts: hosts, start: DispatchTime.now().uptimeNanoseconds))
        draw(&state)
      case .stepFinished(let name, let ok, let duration, let message, _):
        let index = state.steps.lastIndex { $0.name == name }
        let folded = index.map { state.steps[$0].folded } ?? []
        if let index { state.steps.remove(at: index) }
        if state.steps.isEmpty { state.transfers.removeAll() }
        above(&state) {
          let elapsed = ElapsedText.format(duration)
          if ok {
            Console.err(style.green("ok") + "  step \(TerminalSink.quoted(name)) (\(elapsed))\n")
          } else {
            let reason = message.flatMap { $0.split(separator: "\n").first }.map { ": \($0)" }
            Console.err(
              style.red("FAILED") + " step \(TerminalSink.quoted(name)) (\(elapsed))"
                + (reason ?? "") + "\n")
            for line in folded.suffix(Self.shownOnFailure) { Console.err("  " + line + "\n") }
          }
        }
      case .stepSkipped(let name, _, let reason):
        above(&state) {
          Console.err(style.dim("skip") + " step \(TerminalSink.quoted(name)) (\(reason))\n")
        }
      case .commandStarted(let host, let command):
        fold(&state, style.dim("[\(host)] $ " + command))
      case .commandOutput(let host, let line, _):
        fold(&state, style.dim("[\(host)]") + " " + line)
      case .commandFinished(let host, let exitStatus, let duration):
        guard exitStatus != 0 else { break }
        fold(
          &state,
          style.dim("[\(host)]") + " "
            + style.red("exit status \(exitStatus) after \(ElapsedText.format(duration))"))
      case .hostFinished(let host, _, _, _):
        state.transfers.removeAll { $0.host == host }
        if !state.steps.isEmpty { state.steps[state.steps.count - 1].done += 1 }
      }
    }
  }

  /// Shows how far a transfer has got (called from the transfer's thread).
  func transfer(_ progress: TransferProgress) {
    state.withLock { state in
      if let index = state.transfers.firstIndex(where: {
        $0.host == progress.host && $0.path == progress.path
      }) {
        state.transfers[index] = progress
      } else {
        state.transfers.append(progress)
      }
      draw(&state)
    }
  }

  /// Forgets the transfers of `host` (of `path` only, when given): they ended.
  func transferEnded(host: String, path: String? = nil) {
    state.withLock { state in
      state.transfers.removeAll { $0.host == host && (path == nil || $0.path == path) }
    }
  }

  private func tick() {
    state.withLock { state in
      guard !state.steps.isEmpty || !state.transfers.isEmpty else { return }
      state.frame += 1
      draw(&state)
    }
  }

  /// Keeps a line of output under the running step (the last few hundred), or shows it when
  /// no step runs.
  private func fold(_ state: inout State, _ line: String) {
    guard !state.steps.isEmpty else {
      return above(&state) { Console.err(line + "\n") }
    }
    state.steps[state.steps.count - 1].folded.append(line)
    if state.steps[state.steps.count - 1].folded.count > 500 {
      state.steps[state.steps.count - 1].folded.removeFirst(100)
    }
  }

  /// Writes above the live line, then draws it again.
  private func above(_ state: inout State, _ write: () -> Void) {
    clearLine(&state)
    write()
    draw(&state)
  }

  private func clearLine(_ state: inout State) {
    guard state.lineShown else { return }
    Console.err("\r\u{1B}[K")
    state.lineShown = false
  }

  private func draw(_ state: inout State) {
    let step = state.steps.last
    guard step != nil || !state.transfers.isEmpty else { return clearLine(&state) }
    let spinner = ["|", "/", "-", "\\"][state.frame % 4]
    var time = ""
    var text = ""
    if let step {
      let elapsed = Int64(DispatchTime.now().uptimeNanoseconds - step.start)
      time = " (\(ElapsedText.format(elapsed)))"
      text = "step \(TerminalSink.quoted(step.name))"
      if !step.hosts.isEmpty { text += " on " + TerminalSink.hostList(step.hosts) }
      if step.hosts.count > 1 {
        text += ", \(min(step.done, step.hosts.count))/\(step.hosts.count) done"
      }
    }
    // One row: a line that wraps could not be redrawn in place. A transfer's bytes and rate
    // are kept; the step's text gives way first.
    let room = max(10, Console.stderrColumns - 3 - time.count)
    var copying = ""
    if let transfer = state.transfers.first {
      copying = Self.copying(transfer)
      if state.transfers.count > 1 { copying += " (+\(state.transfers.count - 1) more)" }
      if !text.isEmpty { copying = ": " + copying }
    }
    let stepRoom = max(room - copying.count, min(room, 12))
    if text.count > stepRoom { text = String(text.prefix(max(stepRoom - 1, 0))) + "…" }
    text += copying
    if text.count > room { text = String(text.prefix(room - 1)) + "…" }
    Console.err("\r\u{1B}[K" + style.cyan(spinner) + " " + text + style.dim(time))
    state.lineShown = true
  }

  /// `copying node.img 12.3 MiB/40.0 MiB 8.1 MiB/s`: the file's name, bytes so far, the size
  /// when known, the rate so far.
  static func copying(_ transfer: TransferProgress) -> String {
    let name = transfer.path.split(separator: "/").last.map(String.init) ?? transfer.path
    var text = "copying \(name) \(DetailLines.size(transfer.bytes))"
    if let total = transfer.total { text += "/" + DetailLines.size(total) }
    if let rate = transfer.rate { text += " " + DetailLines.size(Int64(rate)) + "/s" }
    return text
  }

  private static func prefixed(_ text: String, host: String?, style: TerminalStyle) -> String {
    let prefix = host.map { style.dim("[\($0)]") + " " } ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { prefix + $0 + "\n" }.joined()
  }
}
