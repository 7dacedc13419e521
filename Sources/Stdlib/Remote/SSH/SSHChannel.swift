import CLibSSH2
import Foundation

/// One channel of a session, used by one thread at a time; every call goes through the
/// session's `SessionIO`.
final class SSHChannel: @unchecked Sendable {
  /// The session's I/O.
  let io: SessionIO
  /// The libssh2 channel.
  let raw: OpaquePointer
  private var freed = false
  /// Where `read` receives bytes before appending them to the caller's buffer: allocated once
  /// per channel and never zeroed. 64 KB keeps it below glibc's mmap threshold; the 256 KB
  /// zeroed array it replaced cost a fresh mapping, its page faults and a memset per command
  /// (17% of haflow's CPU in a 200-host profile).
  private let scratch = UnsafeMutableRawBufferPointer.allocate(
    byteCount: SSHChannel.scratchSize, alignment: 16)
  /// The size of `scratch`: two of libssh2's default 32 KB packets.
  static let scratchSize = 64 << 10

  /// The receive window: large enough that 10 MB of output streams without stalling on window
  /// adjustments.
  static let windowSize: UInt32 = 8 << 20

  private init(io: SessionIO, raw: OpaquePointer) {
    self.io = io
    self.raw = raw
  }

  deinit { scratch.deallocate() }

  /// Opens a session channel (one at a time per session: libssh2 keeps this state in the
  /// session).
  static func open(on io: SessionIO, until deadline: ContinuousClock.Instant?) throws
    -> SSHChannel
  {
    io.sessionStateGate.lock()
    defer { io.sessionStateGate.unlock() }
    let raw = try io.run(until: deadline) { session in
      try session.callPointer {
        libssh2_channel_open_ex(
          session.raw, "session", 7, windowSize, UInt32(LIBSSH2_CHANNEL_PACKET_DEFAULT), nil, 0)
      }
    }
    return SSHChannel(io: io, raw: raw)
  }

  /// Wraps a channel another libssh2 call opened (SCP).
  static func adopt(_ raw: OpaquePointer, io: SessionIO) -> SSHChannel {
    SSHChannel(io: io, raw: raw)
  }

  /// Sends the `exec` request and waits for the server to accept it. One request at a time per
  /// session: libssh2 1.10 fails a wait for a channel reply (`Failed waiting for channel
  /// success`) when it reads another channel's reply first, so only one may be outstanding.
  func exec(_ command: String, until deadline: ContinuousClock.Instant?) throws {
    let length = UInt32(command.utf8.count)
    io.sessionStateGate.lock()
    defer { io.sessionStateGate.unlock() }
    _ = try io.run(until: deadline) { session in
      try session.call {
        Int(libssh2_channel_process_startup(raw, "exec", 4, command, length))
      }
    }
  }

  /// Reads what is queued on `stream` (0 stdout, 1 stderr) into `into`, at most `limit`
  /// bytes. Returns the count; 0 at the end of the stream; nil when nothing is there yet.
  func read(
    _ session: LockedSession, stream: Int32, into buffer: inout [UInt8], limit: Int
  ) throws -> Int? {
    var total = 0
    while total < limit {
      let want = min(scratch.count, limit - total)
      let count = try session.call {
        libssh2_channel_read_ex(
          self.raw, stream, scratch.baseAddress?.assumingMemoryBound(to: CChar.self), want)
      }
      guard let count else { return total > 0 ? total : nil }
      if count == 0 { return total }
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
      total += count
    }
    return total
  }

  /// Writes part of `bytes` from `offset`; returns how many went out, nil when the window is
  /// full.
  func write(_ session: LockedSession, _ bytes: [UInt8], from offset: Int) throws -> Int? {
    try session.call {
      bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return 0 }
        return libssh2_channel_write_ex(
          self.raw, 0, base.advanced(by: offset).assumingMemoryBound(to: CChar.self),
          raw.count - offset)
      }
    }
  }

  /// Sends EOF on standard input; nil when it would block.
  func sendEOF(_ session: LockedSession) throws -> Bool? {
    try session.call { Int(libssh2_channel_send_eof(raw)) }.map { _ in true }
  }

  /// Whether the server sent EOF and no output is left to read.
  func atEOF(_ session: LockedSession) -> Bool {
    libssh2_channel_eof(raw) == 1
  }

  /// Closes the channel and waits for the server's close (which follows the exit status).
  func close(until deadline: ContinuousClock.Instant?) throws {
    _ = try io.run(until: deadline) { session in
      try session.call { Int(libssh2_channel_close(raw)) }
    }
  }

  /// The exit status: the code, or 128+N after signal N; nil when the server sent neither.
  func exitStatus() -> Int? {
    io.withLock { session -> Int? in
      var name: UnsafeMutablePointer<CChar>?
      var nameLength = 0
      _ = libssh2_channel_get_exit_signal(raw, &name, &nameLength, nil, nil, nil, nil)
      if let name {
        let signal = String(cString: name)
        libssh2_free(session.raw, name)
        if !signal.isEmpty { return 128 + SignalNames.number(signal) }
      }
      return Int(libssh2_channel_get_exit_status(raw))
    } ?? nil
  }

  /// Frees the channel. If that would block (the server never answered the close), the channel
  /// is left for `libssh2_session_free` to reclaim.
  func free() {
    guard !freed else { return }
    freed = true
    _ = io.withLock { _ in libssh2_channel_free(raw) }
  }
}

/// Signal names as SSH `exit-signal` messages carry them (`TERM`), with Linux numbers.
enum SignalNames {
  /// The signal number for a name, 0 when unknown.
  static func number(_ name: String) -> Int {
    let names = [
      "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
      "PIPE", "ALRM", "TERM",
    ]
    let bare = name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name
    return (names.firstIndex(of: bare) ?? -1) + 1
  }
}
