import Interpreter
import Synchronization

/// Renders a run's output events on the terminal: `print` to standard output; step progress,
/// logs, warnings and command output to standard error.
///
/// ```
/// ==> step "init first control plane" on cp1
/// [cp1] $ kubeadm init --upload-certs
/// [cp1] [init] Using Kubernetes version: v1.31.0
/// ok  step "init first control plane" (41.2s)
/// FAILED step "join workers" (0.3s): command failed with exit status 1: …
/// ```
///
/// Quiet mode hides command output and logs but keeps step lines, warnings and errors.
/// Thread-safe: parallel branches emit from several threads, and each event is written whole.
final class TerminalSink: OutputSink {
  /// Whether command output and logs are hidden.
  let quiet: Bool
  /// Colours for standard error.
  let style: TerminalStyle
  private let lock = Mutex(())

  /// Makes a sink.
  init(quiet: Bool, style: TerminalStyle) {
    self.quiet = quiet
    self.style = style
  }

  /// Writes one event.
  func emit(_ event: OutputEvent) {
    switch event {
    case .print(let text):
      write(text + "\n", toStandardError: false)
    case .log(let text, let host):
      guard !quiet else { return }
      write(lines(text, host: host, tag: ""), toStandardError: true)
    case .warning(let text, let host):
      write(lines(text, host: host, tag: style.yellow("warning:") + " "), toStandardError: true)
    case .stepStarted(let name, let hosts):
      let on = hosts.isEmpty ? "" : " on " + Self.hostList(hosts)
      write(style.cyan("==>") + " step \(Self.quoted(name))\(on)\n", toStandardError: true)
    case .stepFinished(let name, let ok, let duration, let message, _):
      let elapsed = ElapsedText.format(duration)
      if ok {
        write(
          style.green("ok") + "  step \(Self.quoted(name)) (\(elapsed))\n", toStandardError: true)
      } else {
        let reason = message.map { ": " + ($0.split(separator: "\n").first.map(String.init) ?? "") }
        write(
          style.red("FAILED") + " step \(Self.quoted(name)) (\(elapsed))\(reason ?? "")\n",
          toStandardError: true)
      }
    case .commandStarted(let host, let command):
      guard !quiet else { return }
      write(lines("$ " + command, host: host, tag: "", dimmed: true), toStandardError: true)
    case .commandOutput(let host, let line, _):
      guard !quiet else { return }
      write(style.dim("[\(host)]") + " " + line + "\n", toStandardError: true)
    case .commandFinished(let host, let exitStatus, let duration):
      guard !quiet, exitStatus != 0 else { return }
      let text = "exit status \(exitStatus) after \(ElapsedText.format(duration))"
      write(style.dim("[\(host)]") + " " + style.red(text) + "\n", toStandardError: true)
    case .stepSkipped(let name, _, let reason):
      write(style.dim("skip") + " step \(Self.quoted(name)) (\(reason))\n", toStandardError: true)
    case .hostFinished:
      break
    }
  }

  /// Each line of `text`, prefixed with `[host] ` (when there is one) and the tag.
  private func lines(_ text: String, host: String?, tag: String, dimmed: Bool = false) -> String {
    let prefix = (host.map { style.dim("[\($0)]") + " " } ?? "") + tag
    return text.split(separator: "\n", omittingEmptySubsequences: false)
      .map { prefix + (dimmed ? style.dim(String($0)) : String($0)) + "\n" }
      .joined()
  }

  private func write(_ text: String, toStandardError: Bool) {
    lock.withLock { _ in
      if toStandardError { Console.err(text) } else { Console.out(text) }
    }
  }

  /// `cp1, cp2, cp3` or, past four hosts, `cp1, cp2, cp3 and 5 more`.
  static func hostList(_ hosts: [String]) -> String {
    guard hosts.count > 4 else { return hosts.joined(separator: ", ") }
    return hosts.prefix(3).joined(separator: ", ") + " and \(hosts.count - 3) more"
  }

  /// A step name in double quotes.
  static func quoted(_ name: String) -> String { "\"\(name)\"" }
}
