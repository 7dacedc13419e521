import Session

/// The recap printed at the end of every run, on standard error:
///
/// ```text
/// RECAP failed in 3.1s
///   node1  ok=1 changed=2 failed=0 skipped=0 unreachable=0  0.4s
///   node2  ok=1 changed=1 failed=1 skipped=0 unreachable=0  0.6s
/// steps
///   ok      probe the SSH ports       0.1s
///   FAILED  who is there              0.5s  node1, node2
///   skipped clean up                  --skip
/// failed commands
///   node2 in "who is there": exit status 3: test -f /nope
///     | test: /nope: no such file
/// ```
enum RecapText {
  /// The recap as text (with colours when `style` has them).
  static func render(_ recap: RunRecap, style: TerminalStyle) -> String {
    let status = recap.status ?? "stopped"
    let painted =
      status == "ok" ? style.green(status) : style.red(status == "failed" ? "FAILED" : status)
    var out = style.bold("RECAP") + " \(painted) in \(ElapsedText.format(recap.total))\n"
    let nameWidth = recap.hosts.map(\.name.count).max() ?? 0
    for host in recap.hosts {
      var counts = "ok=\(host.ok) changed=\(host.changed) "
      let failed = "failed=\(host.failed)"
      counts += (host.failed > 0 ? style.red(failed) : failed) + " skipped=\(host.skipped) "
      let unreachable = "unreachable=\(host.unreachable)"
      counts += host.unreachable > 0 ? style.red(unreachable) : unreachable
      out +=
        "  " + pad(host.name, nameWidth) + "  " + counts + "  "
        + ElapsedText.format(host.time) + "\n"
    }
    if !recap.steps.isEmpty {
      out += "steps\n"
      let stepWidth = recap.steps.map(\.name.count).max() ?? 0
      for step in recap.steps {
        let word: String
        switch step.status {
        case "ok": word = style.green(pad("ok", 7))
        case "failed": word = style.red(pad("FAILED", 7))
        case "skipped": word = style.dim(pad("skipped", 7))
        default: word = style.yellow(pad(step.status, 7))
        }
        var line = "  " + word + " " + pad(step.name, stepWidth) + "  "
        if step.status == "skipped" {
          line += step.reason ?? ""
        } else {
          line += ElapsedText.format(step.duration)
          if !step.hosts.isEmpty { line += "  " + TerminalSink.hostList(step.hosts) }
        }
        out += line + "\n"
      }
    }
    if !recap.failedCommands.isEmpty {
      out += "failed commands\n"
      for failure in recap.failedCommands {
        let step = failure.step.map { " in " + TerminalSink.quoted($0) } ?? ""
        out += "  \(failure.host)\(step): exit status \(failure.exitStatus): \(failure.command)\n"
        for line in failure.stderr { out += "    | " + line + "\n" }
      }
    }
    if !recap.problems.isEmpty {
      out += "failed and unreachable hosts\n"
      for problem in recap.problems {
        let step = problem.step.map { " in " + TerminalSink.quoted($0) } ?? ""
        let word = problem.status == "unreachable" ? "unreachable" : "failed"
        out += "  \(problem.host)\(step): " + style.red(word) + ": \(problem.message)\n"
      }
    }
    return out
  }

  private static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }
}
