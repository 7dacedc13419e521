import CLibSSH2

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Process-wide libssh2 set-up and the error codes the SSH layer tests for.
enum LibSSH2 {
  /// The result of `libssh2_init`: a global `let` is initialised exactly once, under the
  /// runtime's lock, so this is the lock-protected "init once" and nothing else is global.
  static let initResult: Int32 = libssh2_init(0)

  /// `LIBSSH2_ERROR_EAGAIN`: the call would block; call it again with the same arguments.
  static let again = Int(LIBSSH2_ERROR_EAGAIN)

  /// Whether an error code means the connection itself is unusable (rather than one channel
  /// or one request failing).
  static func isTransportFailure(_ code: Int) -> Bool {
    switch Int32(truncatingIfNeeded: code) {
    case LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND,
      LIBSSH2_ERROR_INVALID_MAC, LIBSSH2_ERROR_KEX_FAILURE, LIBSSH2_ERROR_SOCKET_SEND,
      LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE, LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_DECRYPT,
      LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_PROTO, LIBSSH2_ERROR_SOCKET_TIMEOUT,
      LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_ENCRYPT, LIBSSH2_ERROR_BAD_SOCKET,
      LIBSSH2_ERROR_BAD_USE, LIBSSH2_ERROR_COMPRESS, LIBSSH2_ERROR_ZLIB:
      true
    default:
      false
    }
  }

  /// Words for a transport failure, with libssh2's own text in parentheses.
  static func describeTransportFailure(_ code: Int, detail: String) -> String {
    let what: String
    switch Int32(truncatingIfNeeded: code) {
    case LIBSSH2_ERROR_SOCKET_DISCONNECT: what = "the server closed the connection"
    case LIBSSH2_ERROR_SOCKET_RECV: what = "reading from the connection failed"
    case LIBSSH2_ERROR_SOCKET_SEND: what = "writing to the connection failed"
    case LIBSSH2_ERROR_TIMEOUT, LIBSSH2_ERROR_SOCKET_TIMEOUT: what = "the connection timed out"
    default: what = "the SSH connection failed"
    }
    return "\(what) (\(detail))"
  }

  /// Whether this libssh2 can verify host keys with `algorithm`.
  static func supportsHostKeyAlgorithm(_ algorithm: String, _ session: OpaquePointer) -> Bool {
    var list: UnsafeMutablePointer<UnsafePointer<CChar>?>?
    let count = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY, &list)
    guard count > 0, let list else { return false }
    defer { libssh2_free(session, list) }
    return (0..<Int(count)).contains { index in
      list[index].map { String(cString: $0) } == algorithm
    }
  }

  /// The session's last error as text, e.g. `Unable to send FXP_OPEN*` (code appended).
  static func lastError(_ session: OpaquePointer) -> (code: Int, message: String) {
    var text: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    let code = libssh2_session_last_error(session, &text, &length, 0)
    guard let text, length > 0 else { return (Int(code), "libssh2 error \(code)") }
    let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
    return (Int(code), String(decoding: bytes, as: UTF8.self))
  }
}

/// What the session's socket callbacks observed. libssh2 calls them only from inside calls made
/// while `SessionIO`'s lock is held, so the fields are read and written under that lock.
final class TransportCounters: @unchecked Sendable {
  /// Bytes received from the socket so far: when a call receives bytes, packets for other
  /// channels may have been queued, so waiting threads must look again.
  var bytesReceived: UInt64 = 0
  /// How many times libssh2 tried to send.
  var sendCalls: UInt64 = 0
  /// A packet is half sent: libssh2 1.10 must finish it (same call, same arguments) before any
  /// other packet goes out, so the lock is not released until it is flushed.
  var outboundPending = false
  /// The answer to every keyboard-interactive prompt while the login password is being tried
  /// (the callback finds it through the session's context); nil otherwise.
  var interactiveAnswer: String?
}

/// The context pointer libssh2 hands back to the callbacks (`*abstract`).
private func counters(_ abstract: UnsafeMutablePointer<UnsafeMutableRawPointer?>?)
  -> TransportCounters?
{
  guard let raw = abstract?.pointee else { return nil }
  return Unmanaged<TransportCounters>.fromOpaque(raw).takeUnretainedValue()
}

/// libssh2's receive callback: `recv(2)` that counts what arrived.
let countingReceive:
  @convention(c) (
    Int32, UnsafeMutableRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
  ) -> Int = { socket, buffer, length, flags, abstract in
    let received = recv(socket, buffer, length, flags)
    if received < 0 {
      let code = errno
      return code == EWOULDBLOCK ? -Int(EAGAIN) : -Int(code)
    }
    counters(abstract)?.bytesReceived &+= UInt64(received)
    return received
  }

/// libssh2's send callback: `send(2)` that records whether a packet was left half sent (libssh2
/// always asks to send the whole rest of the current packet).
let countingSend:
  @convention(c) (
    Int32, UnsafeRawPointer?, Int, Int32, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
  ) -> Int = { socket, buffer, length, flags, abstract in
    let sent = send(socket, buffer, length, flags)
    let state = counters(abstract)
    state?.sendCalls &+= 1
    if sent < 0 {
      let code = errno
      state?.outboundPending = code == EWOULDBLOCK || code == EINTR
      return code == EWOULDBLOCK ? -Int(EAGAIN) : -Int(code)
    }
    state?.outboundPending = sent < length
    return sent
  }
