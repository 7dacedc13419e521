import Foundation
import Interpreter
import Lexer

extension DebugSession {
  /// `:steps`: one line per step with its status, duration and attempts.
  func stepsView(current: String) -> String {
    let list = steps
    if list.isEmpty { return "no steps\n" }
    let width = list.map(\.status.rawValue.count).max() ?? 0
    return list.map { record in
      let marker = record.name == current && record.status == .paused ? "> " : "  "
      var line = marker + SessionHelp.pad(record.status.rawValue, width) + "  \"\(record.name)\""
      if let duration = record.duration { line += "  " + Self.seconds(duration) }
      if record.attempts > 1 { line += "  (\(record.attempts) attempts)" }
      return line + "\n"
    }.joined()
  }

  /// `:vars`: the paused scope's variables, then the ones declared at the prompt.
  func varsView(_ step: PausedStep, prompt: PromptScope) -> String {
    let all = step.variables + prompt.variables
    if all.isEmpty { return "no variables\n" }
    return all.map { "\($0.name) = \($0.value.repr) : \($0.value.typeName)\n" }.joined()
  }

  /// `:out`: the last command of the host a failure happened on (of every host when the
  /// pause names none), with its output and the step it ran in; `:out HOST` one host's,
  /// `:out all` every host's.
  func outView(_ argument: String, failure: RuntimeError?) -> String {
    let commands = recorder.commands
    if commands.isEmpty { return "no command has run yet\n" }
    let name = argument.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
    let host = name.isEmpty ? failure?.host : (name == "all" ? nil : name)
    var shown = commands
    if let host {
      shown = commands.filter { $0.host == host }
      if shown.isEmpty { return "no command has run on \(host) yet\n" }
    }
    var out = ""
    for command in shown {
      let status =
        (command.exitStatus.map { "exit \($0), \(Self.seconds(command.duration))" } ?? "running")
        + (command.step.map { ", step \"\($0)\"" } ?? "")
      out += "[\(command.host)] $ \(command.command)  (\(status))\n"
      out += Self.section("stdout", command.stdout) + Self.section("stderr", command.stderr)
    }
    if shown.count < commands.count { out += "(:out all shows every host's last command)\n" }
    return out
  }

  /// `:where`: the step's place with its source line, and the call stack.
  func whereView(_ step: PausedStep, failure: RuntimeError?) -> String {
    let map = withState { sources }
    let what = failure == nil ? "paused before" : "failed in"
    let note = Diagnostic(.note, "\(what) step \"\(step.name)\"", at: step.span)
    var out = note.rendered(in: map) + "\n"
    for entry in step.stack {
      out += "    in \(entry.function) called at \(map.location(of: entry.span))\n"
    }
    if let host = step.host { out += "  on host \(host.name)\n" }
    return out
  }

  static func section(_ title: String, _ text: String) -> String {
    if text.isEmpty { return "  \(title): (empty)\n" }
    return "  \(title):\n"
      + text.split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast(text.hasSuffix("\n") ? 1 : 0).map { "    \($0)\n" }.joined()
  }

  /// `0.2s`, `41.0s`.
  static func seconds(_ nanoseconds: Int64) -> String {
    String(format: "%.1fs", Double(nanoseconds) / 1e9)
  }
}
