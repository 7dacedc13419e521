import Foundation

/// Runs one `ShellCommand` on a session: open a channel, exec the wrapped command, stream its
/// lines, enforce the timeout, collect the exit status.
///
/// On a timeout the command's process group gets SIGTERM (through a second channel: libssh2
/// 1.10 has no channel signal request), then SIGKILL after the grace period if its output has
/// not ended; the channel is closed either way. The result then has exit status 124 and says
/// `timedOut`, as for local commands.
struct RemoteCommandRunner {
  /// The session.
  let session: SSHSession
  /// The command.
  let command: ShellCommand
  /// Where lines go.
  let output: any TransportOutput

  /// Runs the command to completion.
  func run() throws -> ShellResult {
    let started = ContinuousClock.now
    let wrapped = RemoteCommand(command, user: session.user)
    let channel = try session.openChannel()
    let opened = ContinuousClock.now
    let trace = session.configuration.channelTrace
    let host = session.host.name
    trace?(ChannelTrace(host: host, phase: .opened, duration: opened - started))
    var exitStatus: Int?
    defer {
      session.release(channel)
      trace?(
        ChannelTrace(
          host: host, phase: .closed, duration: ContinuousClock.now - opened,
          exitStatus: exitStatus))
    }
    do {
      try channel.exec(wrapped.text, until: .now + session.requestTimeout)
    } catch {
      throw failure(error, while: "starting")
    }
    let ticket = session.track(sudo: wrapped.sudo)
    defer { session.untrack(ticket) }
    var lines = CommandOutput(host: session.host.name, sink: output)
    var pump = ChannelPump(
      input: wrapped.inputPrefix + (command.stdin.map { Array($0.utf8) } ?? []))
    let deadline = command.timeout.map { started + $0 }
    let consume: (ChannelOutput) -> Void = { chunk in
      let hadGroup = lines.group != nil
      lines.take(chunk)
      if !hadGroup, let group = lines.group { session.setGroup(group, for: ticket) }
    }
    var timedOut = false
    do {
      try pump.drain(channel, until: deadline, consume: consume)
      try channel.close(until: deadline)
    } catch TransportError.timedOut {
      timedOut = true
      stop(channel, &pump, group: { lines.group }, sudo: wrapped.sudo, consume: consume)
    } catch {
      lines.finish()
      throw failure(error, while: "running")
    }
    lines.finish()
    var result = ShellResult(
      host: session.host.name, stdout: String(decoding: lines.stdout, as: UTF8.self),
      stderr: String(decoding: lines.stderr, as: UTF8.self),
      exitStatus: timedOut ? 124 : channel.exitStatus() ?? -1, timedOut: timedOut,
      duration: ContinuousClock.now - started)
    if !timedOut && wrapped.usesSudo { addSudoNote(to: &result) }
    exitStatus = result.exitStatus
    return result
  }

  /// SIGTERM, a grace period of reading, SIGKILL if needed, then a bounded close. A command
  /// whose process-ID line has not arrived yet (it is still starting) gets the grace period to
  /// print it.
  private func stop(
    _ channel: SSHChannel, _ pump: inout ChannelPump, group: () -> Int?, sudo: RemoteSudo,
    consume: (ChannelOutput) -> Void
  ) {
    let grace = session.configuration.killGrace
    let waitUntil = ContinuousClock.now + grace
    while group() == nil && !pump.ended {
      guard
        let output = try? channel.io.run(until: waitUntil, { try pump.step(channel, $0) })
      else { break }
      consume(output)
    }
    guard let target = group() else {
      try? channel.close(until: .now + .seconds(1))
      return
    }
    // The output may have ended while the process lives on (it closed its output), so the
    // close, which waits for the exit, is part of what the signal must achieve.
    session.signal(target, "TERM", sudo: sudo)
    let termDeadline = ContinuousClock.now + grace
    do {
      try pump.drain(channel, until: termDeadline, consume: consume)
      try channel.close(until: termDeadline)
    } catch {
      session.signal(target, "KILL", sudo: sudo)
      try? pump.drain(channel, until: .now + .seconds(2), consume: consume)
      try? channel.close(until: .now + .seconds(2))
    }
  }

  /// Explains sudo's failures: a password wanted, sudo missing.
  private func addSudoNote(to result: inout ShellResult) {
    func note(_ line: String) {
      if let last = result.stderr.utf8.last, last != 0x0A { result.stderr += "\n" }
      result.stderr += line + "\n"
      output.line(line, isError: true, host: session.host.name)
    }
    if result.exitStatus != 0 {
      if result.stderr.contains("a password is required")
        || result.stderr.contains("a terminal is required")
      {
        note(
          "haflow: sudo asked for a password; allow passwordless sudo (NOPASSWD) for \(session.user) on \(session.host.name), or log in as root"
        )
      } else if result.exitStatus == 127 && result.stderr.contains("sudo") {
        note("haflow: sudo is not installed on \(session.host.name)")
      }
    }
  }

  private func failure(_ error: any Error, while phase: String) -> any Error {
    let what = command.display
    switch error {
    case TransportError.connectionLost(let reason):
      return RemoteError(
        "lost the connection to \(session.label) while \(phase) `\(what)`: \(reason)",
        hint: "the command may or may not have finished on the host", host: session.host.name,
        isConnectionFailure: true)
    case TransportError.timedOut:
      return RemoteError(
        "\(session.label) did not answer while \(phase) `\(what)`", host: session.host.name)
    case let error as LibSSH2Error:
      return RemoteError(
        "\(session.label) refused to run `\(what)`: \(error.message)", host: session.host.name)
    default:
      return error
    }
  }
}

/// A remote command's output as it arrives: the process-ID line taken off, lines streamed to
/// the sink, every byte kept.
struct CommandOutput {
  /// The host name for events.
  let host: String
  /// Where lines go.
  let sink: any TransportOutput
  private var processID = ProcessIDLine()
  private var out = LineSplitter()
  private var err = LineSplitter()

  /// Starts empty.
  init(host: String, sink: any TransportOutput) {
    self.host = host
    self.sink = sink
  }

  /// The remote process group, once known.
  var group: Int? { processID.group }
  /// Standard output so far.
  var stdout: [UInt8] { out.bytes }
  /// Standard error so far.
  var stderr: [UInt8] { err.bytes }

  /// Takes a chunk.
  mutating func take(_ chunk: ChannelOutput) {
    let host = self.host
    let sink = self.sink
    let own = processID.strip(chunk.stdout)
    if !own.isEmpty {
      own.withUnsafeBytes { bytes in
        out.feed(bytes) { sink.line($0, isError: false, host: host) }
      }
    }
    if !chunk.stderr.isEmpty {
      chunk.stderr.withUnsafeBytes { bytes in
        err.feed(bytes) { sink.line($0, isError: true, host: host) }
      }
    }
  }

  /// Emits the last lines when they had no newline.
  mutating func finish() {
    let host = self.host
    let sink = self.sink
    out.finish { sink.line($0, isError: false, host: host) }
    err.finish { sink.line($0, isError: true, host: host) }
  }
}
