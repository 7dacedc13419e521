import Foundation
import Interpreter

import struct Interpreter.Host

/// File operations on a host, by whatever reaches it: SFTP (or SCP) for SSH hosts, the local
/// file system for `local` ones. The transfer built-ins (`upload`, `download`, `write_file`,
/// `read_file`, `copy`, `scp`) find it on the run's executor.
///
/// Every write is atomic (a temporary file beside the destination, renamed over it), sets the
/// mode exactly and checks the SHA-256 of what arrived; files stream in chunks. With
/// `options.sudo` the host's side is read or written as root (`SudoFiles`) unless the login
/// user is root already.
public protocol HostFiles: Sendable {
  /// Copies a local file to `remote` on `host`.
  func upload(_ local: String, to remote: String, on host: Host, options: TransferOptions)
    throws -> TransferResult
  /// Copies `remote` on `host` to a local file.
  func download(_ remote: String, from host: Host, to local: String, options: TransferOptions)
    throws -> TransferResult
  /// Writes bytes to `path` on `host`.
  func writeFile(_ path: String, contents: [UInt8], on host: Host, options: TransferOptions)
    throws -> TransferResult
  /// The contents of `path` on `host` (only `sudo` and `sudoPassword` of the options apply).
  func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data
}

extension SSHExecutor: HostFiles {
  /// Uploads over the host's session; a `local` host goes to the local executor.
  public func upload(
    _ local: String, to remote: String, on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    if SSHExecutor.isLocal(host) {
      return try self.local.upload(local, to: remote, on: host, options: options)
    }
    if let sudo = try sudoFiles(host, options) {
      return try sudo.upload(local, to: remote, options: options)
    }
    return try transfers(on: host).upload(local, to: remote, options: options)
  }

  /// Downloads over the host's session; a `local` host goes to the local executor.
  public func download(
    _ remote: String, from host: Host, to local: String, options: TransferOptions
  ) throws -> TransferResult {
    if SSHExecutor.isLocal(host) {
      return try self.local.download(remote, from: host, to: local, options: options)
    }
    if let sudo = try sudoFiles(host, options) {
      return try sudo.download(remote, to: local, options: options)
    }
    return try transfers(on: host).download(remote, to: local, options: options)
  }

  /// Writes over the host's session; a `local` host goes to the local executor.
  public func writeFile(
    _ path: String, contents: [UInt8], on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    if SSHExecutor.isLocal(host) {
      return try local.writeFile(path, contents: contents, on: host, options: options)
    }
    if let sudo = try sudoFiles(host, options) {
      return try sudo.writeFile(path, contents: contents, options: options)
    }
    return try transfers(on: host).writeFile(path, contents: contents, options: options)
  }

  /// Reads over the host's session; a `local` host goes to the local executor.
  public func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    if SSHExecutor.isLocal(host) { return try local.readFile(path, on: host, options: options) }
    if let sudo = try sudoFiles(host, options) { return try sudo.readFile(path) }
    return try transfers(on: host).readFile(path)
  }

  /// The sudo path when the options ask for it and the login user is not root.
  private func sudoFiles(_ host: Host, _ options: TransferOptions) throws -> SudoFiles? {
    guard options.sudo else { return nil }
    let user = try session(for: host).user
    guard user != "root" else { return nil }
    return SudoFiles(
      host: host, user: user, password: options.sudoPassword, files: self, commands: self)
  }
}

extension LocalExecutor: HostFiles {
  /// Only `local` hosts are reachable without SSH.
  private func requireLocal(_ host: Host) throws {
    guard SSHExecutor.isLocal(host) else {
      throw RuntimeError(
        "cannot reach \(host.name) for a file transfer: this run has no SSH connections",
        hint: "run with -i INVENTORY", host: host.name)
    }
  }

  /// The sudo path when the options ask for it and this process is not root.
  private func sudoFiles(_ host: Host, _ options: TransferOptions) -> SudoFiles? {
    guard options.sudo, LocalUser.name != "root" else { return nil }
    return SudoFiles(
      host: host, user: LocalUser.name, password: options.sudoPassword, files: self,
      commands: self)
  }

  /// Copies locally.
  public func upload(
    _ local: String, to remote: String, on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try requireLocal(host)
    if let sudo = sudoFiles(host, options) {
      return try sudo.upload(local, to: remote, options: options)
    }
    return try LocalFiles.copy(local, to: remote, options: options)
  }

  /// Copies locally.
  public func download(
    _ remote: String, from host: Host, to local: String, options: TransferOptions
  ) throws -> TransferResult {
    try requireLocal(host)
    if let sudo = sudoFiles(host, options) {
      return try sudo.download(remote, to: local, options: options)
    }
    return try LocalFiles.copy(remote, to: local, options: options)
  }

  /// Writes locally.
  public func writeFile(
    _ path: String, contents: [UInt8], on host: Host, options: TransferOptions
  ) throws -> TransferResult {
    try requireLocal(host)
    if let sudo = sudoFiles(host, options) {
      return try sudo.writeFile(path, contents: contents, options: options)
    }
    return try LocalFiles.write(contents, to: path, options: options)
  }

  /// Reads locally.
  public func readFile(_ path: String, on host: Host, options: TransferOptions) throws -> Data {
    try requireLocal(host)
    if let sudo = sudoFiles(host, options) { return try sudo.readFile(path) }
    return try LocalFiles.read(path)
  }
}

/// The user this process runs as.
enum LocalUser {
  /// Its name (`root` for uid 0).
  static var name: String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "root"
  }
}
