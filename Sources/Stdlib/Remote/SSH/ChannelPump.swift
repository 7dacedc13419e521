/// Output that arrived on a channel in one step.
struct ChannelOutput {
  /// Standard output bytes.
  var stdout: [UInt8] = []
  /// Standard error bytes.
  var stderr: [UInt8] = []
}

/// Moves bytes between a channel and its remote command: standard input out (then EOF),
/// standard output and error in, until the output ends.
struct ChannelPump {
  /// What to feed on standard input.
  let input: [UInt8]
  private var written = 0
  private var inputClosed = false
  private var emptyRounds = 0
  /// Whether the output has ended.
  private(set) var ended = false

  /// A pump feeding `input`, then EOF (none when `sendEOF` is false: it was sent already).
  init(input: [UInt8] = [], sendEOF: Bool = true) {
    self.input = input
    inputClosed = !sendEOF
  }

  /// At most this much output is read per step, so lines reach the sink while a large output
  /// is still arriving and other channels get their turn at the lock.
  static let stepLimit = 1 << 20

  /// One non-blocking step, under the session lock: output read, or nil when nothing moved.
  /// A command that stops reading its input does not fail: the rest of the input is dropped.
  mutating func step(_ channel: SSHChannel, _ session: LockedSession) throws -> ChannelOutput? {
    var progressed = false
    if !inputClosed {
      do {
        if written < input.count, let count = try channel.write(session, input, from: written) {
          written += count
          progressed = count > 0
        }
        if written >= input.count, try channel.sendEOF(session) != nil {
          inputClosed = true
          progressed = true
        }
      } catch is LibSSH2Error {
        inputClosed = true
        progressed = true
      }
    }
    var output = ChannelOutput()
    let out = try channel.read(session, stream: 0, into: &output.stdout, limit: Self.stepLimit)
    let err = try channel.read(session, stream: 1, into: &output.stderr, limit: Self.stepLimit)
    if channel.atEOF(session) {
      ended = true
    } else if out == 0 && err == 0 {
      // Both streams report their end without an EOF (the server closed the channel):
      // accept that on the second look, after a wait.
      emptyRounds += 1
      ended = emptyRounds >= 2
    } else if (out ?? 0) > 0 || (err ?? 0) > 0 {
      emptyRounds = 0
    }
    if ended || progressed || !output.stdout.isEmpty || !output.stderr.isEmpty { return output }
    return nil
  }

  /// Runs steps until the output ends or `deadline` passes, handing each chunk to `consume`
  /// with the session unlocked.
  mutating func drain(
    _ channel: SSHChannel, until deadline: ContinuousClock.Instant?,
    consume: (ChannelOutput) -> Void
  ) throws {
    while !ended {
      let output = try channel.io.run(until: deadline) { session in
        try step(channel, session)
      }
      consume(output)
    }
  }
}
