import Foundation
import Interpreter
import Remote

import struct Interpreter.Host

/// The transfer built-ins' file operations over a transport, with the language's options and
/// errors: what both executors hand their `HostFiles` methods to.
struct TransportFiles: Sendable {
  /// What reaches the hosts.
  let transport: Transport
  /// The sudo password for transfers with `sudo: true` that bring none (`--ask-become-pass`).
  var becomePassword: Secret? = nil

  /// `options`, with the run's sudo password when sudo is asked for without one.
  private func withBecome(_ options: TransferOptions) -> TransferOptions {
    guard options.sudo, options.sudoPassword == nil, let becomePassword else { return options }
    var options = options
    options.sudoPassword = becomePassword
    return options
  }

  func upload(_ local: String, to remote: String, on host: Host, options: TransferOptions)
    throws -> TransferResult
  {
    try transfer(host, options) { try transport.upload(local, to: remote, on: $0, options: $1) }
  }

  func download(_ remote: String, from host: Host, to local: String, options: TransferOptions)
    throws -> TransferResult
  {
    try transfer(host, options) {
      try transport.download(remote, from: $0, to: local, options: $1)
    }
  }

  func writeFile(_ path: String, contents: [UInt8], on host: Host, options: TransferOptions)
    throws -> TransferResult
  {
    try transfer(host, options) {
      try transport.writeFile(path, contents: contents, on: $0, options: $1)
    }
  }

  func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    try TransportBridge.translating {
      try transport.readFile(
        path, on: TransportBridge.remoteHost(host),
        options: TransportBridge.fileOptions(withBecome(options)))
    }
  }

  private func transfer(
    _ host: Host, _ options: TransferOptions,
    _ body: (RemoteHost, FileTransferOptions) throws -> FileTransferResult
  ) throws -> TransferResult {
    let result = try TransportBridge.translating {
      try body(TransportBridge.remoteHost(host), TransportBridge.fileOptions(withBecome(options)))
    }
    return TransportBridge.transferResult(result)
  }
}
