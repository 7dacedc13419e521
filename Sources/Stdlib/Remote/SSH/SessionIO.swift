import CLibSSH2
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why an operation on a session stopped without a result.
enum TransportError: Error {
  /// The connection is gone (reset, closed by the server, protocol error); the reason.
  case connectionLost(String)
  /// The operation's deadline passed.
  case timedOut
}

/// Every libssh2 call on one session goes through here.
///
/// libssh2 sessions are not thread-safe, yet several threads (parallel `on` branches, a timeout's
/// kill command, transfers) use channels of the same session. The session runs in non-blocking
/// mode and:
///
/// - every libssh2 call is made with `condition`'s lock held;
/// - a call that would block (`EAGAIN`) is retried after the socket becomes readable. One waiting
///   thread polls the socket (the lock released), the others sleep on the condition; whenever a
///   call receives bytes (other channels' packets may have been queued) or the poller wakes,
///   everybody looks again. A pipe wakes the poller when another thread drained the socket;
/// - libssh2 1.10 requires a half-sent packet to be finished by repeating the same call before
///   any other packet is sent, so such a call keeps the lock and waits for the socket to become
///   writable (`LockedSession.call`);
/// - libssh2 functions whose state lives in the session rather than in a channel (opening a
///   channel, starting SFTP or SCP) run one at a time, under `sessionStateGate`; so do `exec`
///   requests, whose reply libssh2 1.10 cannot tell from another channel's.
final class SessionIO: @unchecked Sendable {
  /// The libssh2 session (use only inside `run`).
  let raw: OpaquePointer
  /// The TCP socket.
  let socket: Int32
  /// What the socket callbacks observed (read under the lock).
  let counters: TransportCounters
  /// Serializes the libssh2 functions that keep their state in the session.
  let sessionStateGate = NSLock()
  /// How long a half-sent packet may wait for the socket before the connection is declared dead.
  let stallLimit: Duration

  private let condition = NSCondition()
  private var polling = false
  private var pollerWoken = false
  private var generation: UInt64 = 0
  private var failure: String?
  private var closed = false
  private let wakeRead: Int32
  private let wakeWrite: Int32

  /// Takes over a connected, authenticated session (switched to non-blocking here).
  init(raw: OpaquePointer, socket: Int32, counters: TransportCounters, stallLimit: Duration) {
    self.raw = raw
    self.socket = socket
    self.counters = counters
    self.stallLimit = stallLimit
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
    }
    wakeRead = fds[0]
    wakeWrite = fds[1]
    libssh2_session_set_blocking(raw, 0)
  }

  /// Why the connection is unusable, or nil while it works.
  var brokenReason: String? {
    condition.lock()
    defer { condition.unlock() }
    return failure
  }

  /// Marks the connection dead (later operations fail at once with `reason`).
  func markBroken(_ reason: String) {
    condition.lock()
    defer { condition.unlock() }
    if failure == nil { failure = reason }
    condition.broadcast()
    if polling { wakePoller() }
  }

  /// Calls `attempt` with the lock held until it returns a value; nil means "would block", and
  /// the thread then waits for the socket (or another thread's progress) before trying again.
  /// Throws `TransportError.timedOut` once `deadline` passes, `.connectionLost` when the
  /// connection died, or what `attempt` throws.
  func run<T>(until deadline: ContinuousClock.Instant?, _ attempt: (LockedSession) throws -> T?)
    throws -> T
  {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let failure { throw TransportError.connectionLost(failure) }
      if closed { throw TransportError.connectionLost("the session was closed") }
      let received = counters.bytesReceived
      let outcome: T?
      do {
        outcome = try attempt(LockedSession(io: self))
      } catch {
        noteProgress(since: received)
        throw error
      }
      noteProgress(since: received)
      if let outcome { return outcome }
      try waitForInput(until: deadline)
    }
  }

  /// Runs `body` with the lock held, once, unless the session is closed (then returns nil).
  func withLock<T>(_ body: (LockedSession) throws -> T) rethrows -> T? {
    condition.lock()
    defer { condition.unlock() }
    guard !closed else { return nil }
    let received = counters.bytesReceived
    defer { noteProgress(since: received) }
    return try body(LockedSession(io: self))
  }

  /// Disconnects politely (bounded by `timeout`) and frees the session; afterwards every
  /// operation fails. Safe to call twice.
  func close(reason: String, timeout: Duration) {
    condition.lock()
    defer { condition.unlock() }
    guard !closed else { return }
    closed = true
    if failure == nil { failure = "the session was closed" }
    libssh2_session_set_timeout(raw, Int(TCPConnector.milliseconds(timeout)))
    libssh2_session_set_blocking(raw, 1)
    _ = libssh2_session_disconnect_ex(raw, SSH_DISCONNECT_BY_APPLICATION, reason, "")
    _ = libssh2_session_free(raw)
    Platform.closeDescriptor(socket)
    condition.broadcast()
  }

  // The wake pipe outlives `close`: a poller may still be polling it.
  deinit {
    if wakeRead >= 0 { Platform.closeDescriptor(wakeRead) }
    if wakeWrite >= 0 { Platform.closeDescriptor(wakeWrite) }
  }

  // MARK: - Waiting (lock held on entry and exit)

  private func noteProgress(since received: UInt64) {
    guard counters.bytesReceived != received else { return }
    generation &+= 1
    condition.broadcast()
    if polling && !pollerWoken {
      pollerWoken = true
      var byte: UInt8 = 1
      _ = write(wakeWrite, &byte, 1)
    }
  }

  private func wakePoller() {
    var byte: UInt8 = 1
    _ = write(wakeWrite, &byte, 1)
  }

  /// The longest single wait: a safety net, so that a missed wake-up costs at most this much.
  private static let recheckInterval: Int64 = 250

  private func waitForInput(until deadline: ContinuousClock.Instant?) throws {
    var waitMs = SessionIO.recheckInterval
    if let deadline {
      let remaining = deadline - ContinuousClock.now
      guard remaining > .zero else { throw TransportError.timedOut }
      waitMs = min(waitMs, TCPConnector.milliseconds(remaining) + 1)
    }
    if polling {
      let seen = generation
      let limit = Date(timeIntervalSinceNow: Double(waitMs) / 1000)
      while generation == seen && polling && failure == nil {
        if !condition.wait(until: limit) { break }
      }
      return
    }
    polling = true
    pollerWoken = false
    condition.unlock()
    var entries = [
      pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
    ]
    let ready = poll(&entries, 2, Int32(waitMs))
    if entries[1].revents != 0 {
      var sink = [UInt8](repeating: 0, count: 64)
      while read(wakeRead, &sink, sink.count) > 0 {}
    }
    condition.lock()
    polling = false
    generation &+= 1
    condition.broadcast()
    if ready == 0 { sendKeepalive() }
  }

  /// Sends a keepalive when one is due, and only when the socket has room: libssh2 1.10 cannot
  /// resume a half-sent keepalive, so it must never be left half sent.
  private func sendKeepalive() {
    var entry = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
    guard poll(&entry, 1, 0) == 1, entry.revents & Int16(POLLOUT) != 0 else { return }
    var next: Int32 = 0
    _ = libssh2_keepalive_send(raw, &next)
  }

  /// Waits (lock held) until the socket accepts more bytes; the stall limit ends the connection.
  fileprivate func waitWritable(since start: ContinuousClock.Instant) throws {
    while true {
      let remaining = start + stallLimit - ContinuousClock.now
      guard remaining > .zero else {
        let reason = "nothing could be sent for \(stallLimit): the connection stalled"
        if failure == nil { failure = reason }
        throw TransportError.connectionLost(reason)
      }
      var entry = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
      let ready = poll(
        &entry, 1, Int32(clamping: min(TCPConnector.milliseconds(remaining) + 1, 1000)))
      if ready > 0 { return }
      if ready < 0 && errno != EINTR { return }
    }
  }

  /// Turns a libssh2 error code into a thrown error, marking the connection dead when the code
  /// says so.
  fileprivate func failure(code: Int) -> any Error {
    let (lastCode, text) = LibSSH2.lastError(raw)
    let message = lastCode == code ? text : "libssh2 error \(code)"
    if LibSSH2.isTransportFailure(code) {
      let reason = LibSSH2.describeTransportFailure(code, detail: message)
      if failure == nil { failure = reason }
      return TransportError.connectionLost(reason)
    }
    return LibSSH2Error(code: code, message: message)
  }
}

/// A libssh2 call that failed without breaking the connection (a channel or request failure).
struct LibSSH2Error: Error {
  /// The libssh2 error code.
  var code: Int
  /// libssh2's message.
  var message: String
}

/// Access to the session while `SessionIO`'s lock is held.
struct LockedSession {
  let io: SessionIO

  /// The libssh2 session.
  var raw: OpaquePointer { io.raw }

  /// Calls a libssh2 function returning a count or status: the value, nil when it would block,
  /// or a thrown error. A packet left half sent is finished here, under the lock.
  func call(_ body: () -> Int) throws -> Int? {
    var code = body()
    if code == LibSSH2.again && io.counters.outboundPending {
      let start = ContinuousClock.now
      while code == LibSSH2.again && io.counters.outboundPending {
        try io.waitWritable(since: start)
        let sends = io.counters.sendCalls
        code = body()
        if io.counters.sendCalls == sends { break }
      }
    }
    if code == LibSSH2.again { return nil }
    if code < 0 { throw io.failure(code: code) }
    return code
  }

  /// Calls a libssh2 function returning a pointer: the pointer, nil when it would block, or a
  /// thrown error.
  func callPointer(_ body: () -> OpaquePointer?) throws -> OpaquePointer? {
    var result: OpaquePointer?
    let code = try call {
      if let pointer = body() {
        result = pointer
        return 0
      }
      let failed = Int(libssh2_session_last_errno(raw))
      return failed == 0 ? Int(LIBSSH2_ERROR_INVAL) : failed
    }
    return code == nil ? nil : result
  }
}
