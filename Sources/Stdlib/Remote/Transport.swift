import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Everything that reaches hosts, in one place: commands and file transfers on SSH hosts (one
/// persistent session each, through `SSHConnections`) and on `local` ones (processes and
/// files on this machine). The session layer adapts it to the interpreter's effects.
///
/// Every write is atomic (a temporary file beside the destination, renamed over it), sets the
/// mode exactly and checks the SHA-256 of what arrived; files stream in chunks. With
/// `options.sudo` the host's side is read or written as root (`SudoFiles`) unless the login
/// user is root already.
public final class Transport: Sendable {
  /// The SSH sessions; nil when the run has no inventory of SSH hosts.
  public let ssh: SSHConnections?
  /// Commands on this machine.
  public let local: LocalProcesses
  /// Asked between the chunks of a local copy (SSH transfers ask their configuration's).
  public let stop: StopCheck

  /// Makes a transport; without `ssh`, only `local` hosts can be reached.
  public init(
    ssh: SSHConnections? = nil, local: LocalProcesses = LocalProcesses(), stop: StopCheck = .never
  ) {
    self.ssh = ssh
    self.local = local
    self.stop = stop
  }

  // MARK: - Commands

  /// Runs a command on `host` to completion, streaming its lines to `output`.
  public func run(_ command: ShellCommand, on host: RemoteHost, output: any TransportOutput)
    throws -> ShellResult
  {
    if host.isLocal { return try local.run(command, host: host.name, output: output) }
    return try connections(for: host).run(command, on: host, output: output)
  }

  /// Opens `host`'s session now (a `local` host needs none); returns how it authenticated
  /// (`SSHSession.authMethod`), nil for a `local` host.
  @discardableResult
  public func connect(_ host: RemoteHost) throws -> String? {
    guard !host.isLocal else { return nil }
    return try connections(for: host).session(for: host).authMethod
  }

  /// The login user commands on `host` run as.
  public func user(on host: RemoteHost) throws -> String {
    if host.isLocal { return LocalUser.name }
    return try connections(for: host).session(for: host).user
  }

  /// Sends SIGTERM to every running command, remote and local (Ctrl-C); returns how many
  /// there were.
  @discardableResult
  public func terminateRunningCommands() -> Int {
    local.terminateRunningCommands() + (ssh?.terminateRunningCommands() ?? 0)
  }

  /// Disconnects every session.
  public func close() { ssh?.close() }

  // MARK: - Files

  /// Copies a local file to `remote` on `host`.
  public func upload(
    _ local: String, to remote: String, on host: RemoteHost, options: FileTransferOptions
  ) throws -> FileTransferResult {
    if let sudo = try sudoFiles(host, options) {
      return try sudo.upload(local, to: remote, options: options)
    }
    if host.isLocal {
      return try LocalFiles.copy(local, to: remote, options: options, stop: stop)
    }
    return try connections(for: host).transfers(on: host).upload(
      local, to: remote, options: options)
  }

  /// Copies `remote` on `host` to a local file.
  public func download(
    _ remote: String, from host: RemoteHost, to local: String, options: FileTransferOptions
  ) throws -> FileTransferResult {
    if let sudo = try sudoFiles(host, options) {
      return try sudo.download(remote, to: local, options: options)
    }
    if host.isLocal {
      return try LocalFiles.copy(remote, to: local, options: options, stop: stop)
    }
    return try connections(for: host).transfers(on: host).download(
      remote, to: local, options: options)
  }

  /// Writes bytes to `path` on `host`.
  public func writeFile(
    _ path: String, contents: [UInt8], on host: RemoteHost, options: FileTransferOptions
  ) throws -> FileTransferResult {
    if let sudo = try sudoFiles(host, options) {
      return try sudo.writeFile(path, contents: contents, options: options)
    }
    if host.isLocal { return try LocalFiles.write(contents, to: path, options: options) }
    return try connections(for: host).transfers(on: host).writeFile(
      path, contents: contents, options: options)
  }

  /// The contents of `path` on `host` (only `sudo` and `sudoPassword` of the options apply).
  public func readFile(_ path: String, on host: RemoteHost, options: FileTransferOptions)
    throws -> Data
  {
    if let sudo = try sudoFiles(host, options) { return try sudo.readFile(path) }
    if host.isLocal { return try LocalFiles.read(path) }
    return try connections(for: host).transfers(on: host).readFile(path)
  }

  // MARK: - Helpers

  private func connections(for host: RemoteHost) throws -> SSHConnections {
    guard let ssh else {
      throw RemoteError(
        "cannot reach \(host.name): this run has no SSH connections",
        hint: "run with -i INVENTORY", host: host.name)
    }
    return ssh
  }

  /// The sudo path when the options ask for it and the login user is not root.
  private func sudoFiles(_ host: RemoteHost, _ options: FileTransferOptions) throws -> SudoFiles? {
    guard options.sudo else { return nil }
    let user = try self.user(on: host)
    guard user != "root" else { return nil }
    return SudoFiles(host: host, user: user, password: options.sudoPassword, transport: self)
  }
}

/// The user this process runs as.
public enum LocalUser {
  /// Its name (`root` for uid 0).
  public static var name: String {
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return ProcessInfo.processInfo.environment["USER"] ?? "root"
  }
}
