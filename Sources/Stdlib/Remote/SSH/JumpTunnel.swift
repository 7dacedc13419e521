import CLibSSH2
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A TCP connection made by a jump host (a libssh2 `direct-tcpip` channel of its session),
/// presented to the inner session as one end of a local socket pair. Two threads copy bytes:
/// from the channel to the socket, and from the socket to the channel; the jump session's
/// `SessionIO` serializes their libssh2 calls with everything else on that session. Both end
/// when either side closes; the channel is then freed.
enum JumpTunnel {
  /// Opens a channel from `jump` to `address:port` and returns the local socket the inner
  /// session uses as its connection. Throws a `RemoteError` naming the hop.
  static func open(
    through jump: SSHSession, to address: String, port: Int, for hostName: String,
    timeout: Duration
  ) throws -> Int32 {
    let io = jump.io
    let raw: OpaquePointer
    do {
      io.sessionStateGate.lock()
      defer { io.sessionStateGate.unlock() }
      raw = try io.run(until: .now + timeout) { session in
        try session.callPointer {
          libssh2_channel_direct_tcpip_ex(session.raw, address, Int32(port), "127.0.0.1", 22)
        }
      }
    } catch let error as LibSSH2Error {
      throw RemoteError(
        "\(jump.label) could not connect to \(address):\(port) for \(hostName): \(error.message)",
        hint:
          "is sshd running on \(address):\(port), reachable from the jump host, and does the jump host allow TCP forwarding (AllowTcpForwarding)?",
        host: hostName)
    } catch TransportError.timedOut {
      throw RemoteError(
        "\(jump.label) did not connect to \(address):\(port) for \(hostName) within \(timeout.shortText)",
        host: hostName)
    } catch TransportError.connectionLost(let reason) {
      throw RemoteError(
        "lost the connection to \(jump.label): \(reason)", host: hostName)
    }
    let channel = SSHChannel.adopt(raw, io: io)
    var pair: [Int32] = [-1, -1]
    guard
      socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0
    else {
      channel.free()
      throw RemoteError("cannot make a local socket pair: \(TCPConnector.describe(errno))")
    }
    let pump = Pump(channel: channel, io: io, socket: pair[1])
    pump.start()
    return pair[0]
  }

  /// The two copying threads of one tunnel.
  private final class Pump: @unchecked Sendable {
    let channel: SSHChannel
    let io: SessionIO
    let socket: Int32
    private let lock = NSLock()
    private var running = 2

    init(channel: SSHChannel, io: SessionIO, socket: Int32) {
      self.channel = channel
      self.io = io
      self.socket = socket
    }

    func start() {
      Thread.detachNewThread { self.down() }
      Thread.detachNewThread { self.up() }
    }

    /// Channel → socket, until the channel ends or the session goes.
    private func down() {
      defer { finished() }
      var buffer: [UInt8] = []
      while true {
        buffer.removeAll(keepingCapacity: true)
        let count: Int
        do {
          count = try io.run(until: nil) { session in
            if channel.atEOF(session) { return 0 }
            return try channel.read(session, stream: 0, into: &buffer, limit: 32_768)
          }
        } catch {
          break
        }
        if count == 0 && buffer.isEmpty { break }
        guard writeAll(buffer) else { break }
      }
      _ = shutdown(socket, Int32(SHUT_RDWR))
    }

    /// Socket → channel, until the inner session closes its end.
    private func up() {
      defer { finished() }
      var buffer = [UInt8](repeating: 0, count: 32_768)
      while true {
        let count = Glibc.read(socket, &buffer, buffer.count)
        if count <= 0 { break }
        let bytes = Array(buffer[0..<count])
        var offset = 0
        do {
          while offset < bytes.count {
            offset += try io.run(until: nil) { session in
              try channel.write(session, bytes, from: offset)
            }
          }
        } catch {
          break
        }
      }
      _ = try? io.run(until: .now + .seconds(2)) { session in try channel.sendEOF(session) }
      _ = shutdown(socket, Int32(SHUT_RDWR))
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
      var offset = 0
      while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { raw in
          Glibc.write(socket, raw.baseAddress, raw.count)
        }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return false }
        offset += written
      }
      return true
    }

    /// The last thread out frees the channel and closes the socket.
    private func finished() {
      let last = lock.withLock {
        running -= 1
        return running == 0
      }
      guard last else { return }
      channel.free()
      Platform.closeDescriptor(socket)
    }
  }
}
