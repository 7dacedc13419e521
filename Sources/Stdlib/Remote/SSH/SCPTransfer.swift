import CLibSSH2
import Crypto
import Foundation

/// The SCP protocol (`scp -t` / `scp -f` on the host) for servers without an SFTP subsystem.
struct SCPTransfer {
  /// The session.
  let session: SSHSession

  /// Sends `source` to `path` with `mode`, hashing what it sends into `digest`.
  func send(
    _ source: inout some ByteSource, to path: String, mode: Int, digest: inout SHA256,
    meter: TransferMeter? = nil
  ) throws {
    let io = session.io
    let size = source.size
    try session.withChannelSlot {
      let channel = try open(path) { raw in
        libssh2_scp_send64(raw, path, Int32(mode & 0o777), size, 0, 0)
      }
      defer { channel.free() }
      var buffer = [UInt8](repeating: 0, count: 1 << 20)
      while true {
        try session.checkStop()
        let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        if count == 0 { break }
        let chunk = Array(buffer[0..<count])
        digest.update(chunk)
        try writeAll(channel, chunk)
        meter?.add(count)
      }
      // The sink expects a zero byte after the data, then EOF ends its loop.
      try writeAll(channel, [0])
      _ = try io.run(until: .now + session.requestTimeout) { try channel.sendEOF($0) }
      var pump = ChannelPump(sendEOF: false)
      var stderr: [UInt8] = []
      try pump.drain(channel, until: .now + session.requestTimeout) { stderr += $0.stderr }
      try channel.close(until: .now + session.requestTimeout)
      let status = channel.exitStatus() ?? -1
      guard status == 0 else {
        let detail = String(decoding: stderr, as: UTF8.self)
          .trimmingCharacters(in: .whitespacesAndNewlines)
        throw TransferFailure(
          "scp to \(path) on \(session.host.name) failed: \(detail.isEmpty ? "exit status \(status)" : detail)"
        )
      }
    }
  }

  /// Receives `path`, handing its bytes to `consume`; returns its size and mode.
  func receive(
    _ path: String, meter: TransferMeter? = nil,
    consume: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> (size: Int64, mode: Int) {
    let io = session.io
    return try session.withChannelSlot {
      var info = stat()
      let channel = try open(path) { raw in libssh2_scp_recv2(raw, path, &info) }
      defer { channel.free() }
      let size = Int64(info.st_size)
      meter?.setTotal(size)
      var remaining = size
      while remaining > 0 {
        try session.checkStop()
        var chunk: [UInt8] = []
        _ = try io.run(until: .now + session.requestTimeout) { locked -> Int? in
          let limit = Int(min(remaining, Int64(ChannelPump.stepLimit)))
          guard let count = try channel.read(locked, stream: 0, into: &chunk, limit: limit) else {
            return nil
          }
          if count == 0 {
            throw TransferFailure("scp from \(path) on \(session.host.name) ended early")
          }
          return count
        }
        remaining -= Int64(chunk.count)
        try chunk.withUnsafeBytes { try consume($0) }
        meter?.add(chunk.count)
      }
      return (size, Int(info.st_mode & 0o7777))
    }
  }

  /// Starts an SCP channel (libssh2 keeps that state in the session: one at a time).
  private func open(_ path: String, _ start: (OpaquePointer) -> OpaquePointer?) throws
    -> SSHChannel
  {
    let io = session.io
    io.sessionStateGate.lock()
    defer { io.sessionStateGate.unlock() }
    do {
      let raw = try io.run(until: .now + session.requestTimeout) { locked in
        try locked.callPointer { start(locked.raw) }
      }
      return SSHChannel.adopt(raw, io: io)
    } catch let error as LibSSH2Error {
      throw TransferFailure("scp of \(path) on \(session.host.name) failed: \(error.message)")
    }
  }

  private func writeAll(_ channel: SSHChannel, _ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      offset += try session.io.run(until: .now + session.requestTimeout) { locked in
        try channel.write(locked, bytes, from: offset)
      }
    }
  }
}
