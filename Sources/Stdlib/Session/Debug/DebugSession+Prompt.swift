import Foundation
import Interpreter
import Lexer

extension DebugSession {
  /// More inputs than an operator types at one pause; bounds the prompt loop.
  static let inputLimit = 1_000_000

  /// Talks to the operator at a paused step until a command resumes the run.
  func prompt(at step: PausedStep, failure: RuntimeError?) -> StepAction {
    interacting {
      announce(step, failure: failure)
      let scope = PromptScope()
      for _ in 0..<Self.inputLimit {
        let completer = self.completer(at: step, prompt: scope)
        switch console.read(prompt: "debug> ", completer: completer) {
        case .end:
          console.output("\n")
          return .stop
        case .interrupted:
          continue
        case .text(let text):
          let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
          if trimmed.isEmpty { continue }
          if trimmed.hasPrefix(":") {
            if let action = command(trimmed, at: step, failure: failure, prompt: scope) {
              return action
            }
          } else {
            evaluate(text, at: step, prompt: scope)
          }
        }
      }
      return .stop
    }
  }

  /// `paused before step "x" at site.hf:12` or the failure with what can be done about it.
  func announce(_ step: PausedStep, failure: RuntimeError?) {
    let place = withState { sources.location(of: step.span) }
    guard let failure else {
      console.output("paused before step \"\(step.name)\" at \(place)\n")
      return
    }
    let on = failure.host.map { " on \($0)" } ?? ""
    let secrets = step.run.secrets
    console.error(
      console.highlight(secrets.redact(withState { failure.rendered(in: sources) })) + "\n")
    var hint = "step \"\(step.name)\" failed\(on): :retry runs it again, :skip goes on without it,"
    hint += " :continue lets the run fail"
    if let host = failure.host { hint += "; :on \(host) runs commands you type there" }
    console.output(hint + "\n")
  }

  /// Runs a `:` command; returns how the run goes on, or nil to stay paused.
  func command(
    _ text: String, at step: PausedStep, failure: RuntimeError?, prompt: PromptScope
  ) -> StepAction? {
    let name = String(text.prefix { $0 != " " })
    let argument = String(text.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
    switch name {
    case ":next", ":n":
      guard failure == nil else { return refuse("the step failed: :retry, :skip or :continue") }
      withState { mode = .stepping }
      return .run
    case ":continue", ":c":
      withState { mode = .running }
      return failure == nil ? .run : .fail
    case ":retry":
      guard failure != nil else { return refuse(":retry is for a failed step; :next runs it") }
      return .run
    case ":skip":
      console.output("skipped step \"\(step.name)\"\n")
      return .skip
    case ":quit", ":q":
      return .stop
    case ":break", ":b": setBreakpoint(argument)
    case ":clear":
      withState { breakpoints = [] }
      console.output("no breakpoints\n")
    case ":steps": console.output(stepsView(current: step.name))
    case ":vars": console.output(step.run.secrets.redact(varsView(step, prompt: prompt)))
    case ":out": console.output(step.run.secrets.redact(outView(argument, failure: failure)))
    case ":on": setTarget(argument)
    case ":where": console.output(whereView(step, failure: failure))
    case ":help", ":h": console.output(help(argument))
    default:
      return refuse("unknown command \(name); :help lists them")
    }
    return nil
  }

  func refuse(_ message: String) -> StepAction? {
    console.error(message + "\n")
    return nil
  }

  func setBreakpoint(_ argument: String) {
    if argument.isEmpty {
      let list = withState { breakpoints }
      console.output(
        list.isEmpty
          ? "no breakpoints\n" : list.map { "break \($0)\n" }.joined())
      return
    }
    guard let breakpoint = DebugBreakpoint.parse(argument) else {
      console.error("usage: :break \"step name\" or :break FILE:LINE\n")
      return
    }
    let (problem, known) = withState {
      (self.problem(with: breakpoint), records.map(\.name))
    }
    if let problem {
      console.error(problem.message + (problem.hint.map { "; \($0)" } ?? "") + "\n")
      return
    }
    withState { breakpoints.append(breakpoint) }
    var note = ""
    if case .step(let name) = breakpoint, !known.contains(name) {
      note = " (no step with this name yet)"
    }
    console.output("breakpoint at \(breakpoint)\(note)\n")
  }

  func setTarget(_ argument: String) {
    let hosts = withState { inventory }
    if argument.isEmpty {
      console.output("commands run on \(withState { target?.name } ?? "the paused step's host")\n")
      return
    }
    let name = argument.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    guard let host = hosts.host(named: name) else {
      let names = hosts.hosts.map(\.name).joined(separator: ", ")
      console.error("unknown host '\(name)'; hosts: \(names)\n")
      return
    }
    withState { target = host }
    console.output("commands run on \(host.name)\n")
  }

  func help(_ argument: String) -> String {
    if argument.isEmpty { return SessionHelp.overview(SessionHelp.debugCommands, table: table) }
    return SessionHelp.topic(argument, commands: SessionHelp.debugCommands, table: table)
      ?? "no built-in, module or command named '\(argument)'\n"
  }

  /// Evaluates haflow input in the paused scope and shows its value or error.
  func evaluate(_ text: String, at step: PausedStep, prompt: PromptScope) {
    let (program, parseDiagnostics) = withState {
      let index = sources.add(SourceFile(name: "<debug>", text: text))
      return Parser.parse(SourceFile(name: "<debug>", text: text), fileIndex: index)
    }
    var result = SessionResult(diagnostics: parseDiagnostics, result: nil)
    if !parseDiagnostics.contains(where: { $0.severity == .error }) {
      let host = withState { target }
      let evaluation = step.evaluate(program, on: host, prompt: prompt)
      result = SessionResult(
        diagnostics: parseDiagnostics + evaluation.diagnostics, result: evaluation.result)
    }
    show(result.redacted(by: step.run.secrets))
  }

  /// Prints a value line, or diagnostics and the runtime error.
  func show(_ result: SessionResult) {
    let map = withState { sources }
    let redaction = result.redaction
    for diagnostic in result.diagnostics {
      console.error(console.highlight(redaction.redact(diagnostic.rendered(in: map))) + "\n")
    }
    switch result.result {
    case .failure(let error):
      console.error(console.highlight(redaction.redact(error.rendered(in: map))) + "\n")
    case .success: if let line = result.valueLine { console.output(line + "\n") }
    case nil: break
    }
  }

  func completer(at step: PausedStep, prompt: PromptScope) -> Completer {
    withState {
      Completer(
        table: table, variables: step.names + prompt.names,
        hosts: inventory.hosts.map(\.name),
        groups: Array(Set(inventory.hosts.flatMap(\.groups))).sorted(),
        commands: SessionHelp.names(SessionHelp.debugCommands),
        stepNames: records.map(\.name))
    }
  }
}
