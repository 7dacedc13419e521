import Foundation
import Interpreter
import Session

/// The REPL's read–evaluate–print loop and its `:` commands.
struct ReplLoop {
  /// The scope and effects inputs run in.
  let session: ReplSession
  /// Where inputs come from.
  let input: any ReplInput
  /// Renders diagnostics and errors.
  let report: OutcomeReport

  /// More inputs than a session has; bounds the loop.
  static let inputLimit = 10_000_000

  /// Reads and evaluates inputs until the end; returns whether any input failed.
  func run() -> Bool {
    var failed = false
    for _ in 0..<Self.inputLimit {
      ReplInterrupts.resetPresses()
      let completer = session.completer(commands: SessionHelp.names(SessionHelp.replCommands))
      switch input.read(prompt: "haflow> ", completer: completer) {
      case .end: return failed
      case .interrupted: continue
      case .text(let text):
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { continue }
        if trimmed.hasPrefix(":") {
          switch command(trimmed) {
          case .quit: return failed
          case .failed: failed = true
          case .done: break
          }
          continue
        }
        if !show(session.evaluate(text)) { failed = true }
      }
    }
    return failed
  }

  /// Prints the value line or the errors; returns whether the input succeeded.
  /// Diagnostics and errors are redacted as rendered, source line included (an input that
  /// failed may hold a secret literal).
  func show(_ result: SessionResult) -> Bool {
    let redaction = result.redaction
    for diagnostic in result.diagnostics {
      Console.err(
        report.highlight(redaction.redact(diagnostic.rendered(in: session.sources))) + "\n")
    }
    switch result.result {
    case .failure(let error):
      Console.err(report.highlight(redaction.redact(error.rendered(in: session.sources))) + "\n")
    case .success:
      if let line = result.valueLine { Console.out(line + "\n") }
    case nil: break
    }
    return !result.failed
  }

  /// How a `:` command ended.
  enum CommandOutcome { case done, failed, quit }

  func command(_ text: String) -> CommandOutcome {
    let name = String(text.prefix { $0 != " " })
    let argument = String(text.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
    let table = session.run.builtins
    switch name {
    case ":quit", ":q": return .quit
    case ":help", ":h":
      if argument.isEmpty {
        Console.out(SessionHelp.overview(SessionHelp.replCommands, table: table))
      } else if let topic = SessionHelp.topic(
        argument, commands: SessionHelp.replCommands, table: table)
      {
        Console.out(topic)
      } else {
        report.usageError("no built-in, module or command named '\(argument)'")
        return .failed
      }
    case ":vars":
      let values = session.interpreter.globalValues
      if values.isEmpty { Console.out("no variables\n") }
      let secrets = session.run.secrets
      for (name, value) in values {
        Console.out(secrets.redact("\(name) = \(value.repr) : \(value.typeName)") + "\n")
      }
    case ":hosts":
      for host in session.run.inventory.hosts {
        let groups = host.groups.isEmpty ? "" : "  (" + host.groups.joined(separator: ", ") + ")"
        Console.out(
          "\(host.name)  \(host.isLocal ? "local" : host.address)\(groups)\n")
      }
    default:
      report.usageError("unknown command \(name); :help lists them")
      return .failed
    }
    return .done
  }
}
