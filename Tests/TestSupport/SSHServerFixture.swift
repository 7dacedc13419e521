import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A real OpenSSH server for tests: `sshd -D -e` on a loopback address (127.0.0.x, x ≥ 2) and a
/// free high port, with its own generated host key, client key, `authorized_keys` (for every
/// user), and a known_hosts file that records its key. Everything lives in a temporary
/// directory; `stop()` ends the listener and every per-connection process it forked.
public final class SSHServerFixture: @unchecked Sendable {
  /// What to start.
  public struct Options: Sendable {
    /// The loopback address.
    public var address = "127.0.0.2"
    /// Offer the SFTP subsystem.
    public var sftp = true
    /// Extra sshd_config lines, placed before the defaults so that they override them (sshd
    /// keeps the first value of an option); no `Match` blocks.
    public var extraConfig: [String] = []
    /// Host key types (`ssh-keygen -t`); the first is recorded in `knownHosts`.
    public var hostKeyTypes = ["ed25519"]
    /// The defaults.
    public init() {}
  }

  /// The fixture of the running suite (set by the `.sshServer()` trait).
  @TaskLocal public static var current: SSHServerFixture?

  public let options: Options
  /// The listening address and port.
  public let address: String
  public let port: Int
  /// The temporary directory.
  public let directory: String
  /// The client's private key, authorized for every user.
  public var clientKey: String { directory + "/client_ed25519" }
  /// A known_hosts file with this server's key (plain `[address]:port` entry).
  public var knownHosts: String { directory + "/known_hosts" }
  /// The public key line of the first host key (`ssh-ed25519 AAAA…`).
  public let hostPublicKey: String
  /// The host key's SHA256 fingerprint, as ssh-keygen prints it.
  public let hostFingerprint: String
  /// The sshd listener's process ID.
  public let listenerPID: pid_t
  private var stopped = false

  /// Generates keys and configuration, starts sshd and waits until it accepts connections.
  public init(_ options: Options = Options()) throws {
    self.options = options
    address = options.address
    directory = try SSHServerFixture.makeDirectory()
    // Readable by the test users: sshd reads authorized_keys as the user logging in.
    chmod(directory, 0o755)
    try FileManager.default.createDirectory(
      atPath: directory + "/locks", withIntermediateDirectories: true)
    chmod(directory + "/locks", 0o1777)
    try FileManager.default.createDirectory(
      atPath: "/run/sshd", withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o755])
    for type in options.hostKeyTypes {
      try Shell.run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", directory + "/host_" + type)
    }
    let primary = directory + "/host_" + (options.hostKeyTypes.first ?? "ed25519")
    try Shell.run(
      "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/client_ed25519")
    let clientPublic = try String(
      contentsOfFile: directory + "/client_ed25519.pub", encoding: .utf8)
    try clientPublic.write(
      toFile: directory + "/authorized_keys", atomically: true, encoding: .utf8)
    chmod(directory + "/authorized_keys", 0o644)
    hostPublicKey = try String(contentsOfFile: primary + ".pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    hostFingerprint = String(
      try Shell.run("ssh-keygen", "-l", "-f", primary + ".pub")
        .split(separator: " ")[1])
    (port, listenerPID) = try SSHServerFixture.start(
      options, directory: directory, hostPublicKey: hostPublicKey)
  }

  /// Picks a free port and starts sshd on it. The port is free when picked but may be taken
  /// by another test before sshd binds it: then sshd exits with "Address already in use",
  /// and another port is tried (at most five).
  private static func start(
    _ options: Options, directory: String, hostPublicKey: String
  ) throws -> (Int, pid_t) {
    var attempt = 0
    while true {
      attempt += 1
      let port = try SSHServerFixture.freePort(on: options.address)
      try "[\(options.address)]:\(port) \(hostPublicKey)\n".write(
        toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
      let config = directory + "/sshd_config"
      try SSHServerFixture.configText(options, port: port, directory: directory).write(
        toFile: config, atomically: true, encoding: .utf8)
      let pid = try SSHServerFixture.spawn(
        ["/usr/sbin/sshd", "-D", "-e", "-f", config], log: directory + "/sshd.log")
      do {
        try waitUntilListening(pid: pid, address: options.address, port: port, directory: directory)
        return (port, pid)
      } catch let error as FixtureError
        where error.description.contains("Address already in use") && attempt < 5
      {
        continue
      }
    }
  }

  private static func configText(_ options: Options, port: Int, directory: String) -> String {
    let address = options.address
    var lines = [
      "ListenAddress \(address):\(port)",
      "PidFile \(directory)/sshd.pid",
      "AuthorizedKeysFile \(directory)/authorized_keys",
      "StrictModes no",
      "UsePAM no",
      "PermitRootLogin yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PubkeyAuthentication yes",
      "UseDNS no",
      "PrintMotd no",
      "LogLevel ERROR",
      "MaxStartups 100",
      // Commands must not read the test user's ~/.bashrc (root's here): see SSHDConfig. Every
      // fixture shares this machine's home directories: `haflow run`'s lock goes in the
      // fixture's own directory (made in `init`), or runs against two fixtures would collide.
      "SetEnv SHLVL=1 HAFLOW_LOCK_DIR=\(directory)/locks",
    ]
    lines += options.hostKeyTypes.map { "HostKey \(directory)/host_\($0)" }
    if options.sftp { lines.append("Subsystem sftp internal-sftp") }
    return (options.extraConfig + lines).joined(separator: "\n") + "\n"
  }

  /// Processes forked by the listener (one privileged process per connection and theirs).
  public func connectionProcesses() -> [Int32] {
    ProcessTree.descendants(of: listenerPID)
  }

  /// Kills every connection's processes (the listener keeps running): cuts the connections.
  public func killConnections() {
    for pid in ProcessTree.children(of: listenerPID) { kill(pid, SIGKILL) }
  }

  /// Stops the listener and every process it forked; returns the IDs still alive afterwards
  /// (none, normally).
  @discardableResult
  public func stop() -> [Int32] {
    guard !stopped else { return [] }
    stopped = true
    let everything = connectionProcesses() + [listenerPID]
    for pid in everything { kill(pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(listenerPID, &status, 0) < 0 && errno == EINTR {}
    let deadline = Date().addingTimeInterval(5)
    var alive = everything.filter(ProcessTree.isAlive)
    while !alive.isEmpty && Date() < deadline {
      usleep(20_000)
      alive = alive.filter(ProcessTree.isAlive)
    }
    try? FileManager.default.removeItem(atPath: directory)
    return alive
  }

  deinit { stop() }

  private static func waitUntilListening(
    pid: pid_t, address: String, port: Int, directory: String
  ) throws {
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      var status: Int32 = 0
      if waitpid(pid, &status, WNOHANG) == pid {
        let text = (try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? ""
        throw FixtureError("sshd exited: \(text)")
      }
      if SSHServerFixture.canConnect(address, port) { return }
      usleep(20_000)
    }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    throw FixtureError("sshd did not start listening on \(address):\(port)")
  }

  /// Starts a program in the background, its output appended to `log` (also for other
  /// fixtures' daemons: etcd, the API server).
  public static func spawn(_ arguments: [String], log: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    var attributes = Shell.cleanSignals()
    defer { posix_spawnattr_destroy(&attributes) }
    let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard status == 0 else { throw FixtureError("cannot start \(arguments[0]): \(status)") }
    return pid
  }

  private static func makeDirectory() throws -> String {
    var template = Array((NSTemporaryDirectory() + "haflow-sshd-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed") }
    return String(cString: made)
  }

  /// A free TCP port on `address` (bound and released).
  public static func freePort(on address: String) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    inet_pton(AF_INET, address, &addr.sin_addr)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw FixtureError("cannot bind \(address)") }
    return Int(UInt16(bigEndian: addr.sin_port))
  }

  /// Whether a TCP connection to `address:port` succeeds.
  public static func canConnect(_ address: String, _ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    inet_pton(AF_INET, address, &addr.sin_addr)
    return withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}

/// A fixture set-up failure.
public struct FixtureError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// Running helper programs synchronously.
public enum Shell {
  /// Runs a program (found on PATH) and returns its stdout; throws on a non-zero exit.
  @discardableResult
  public static func run(_ arguments: String..., input: String? = nil) throws -> String {
    try run(arguments, input: input)
  }

  /// Runs a program and returns its stdout; throws on a non-zero exit.
  @discardableResult
  public static func run(_ arguments: [String], input: String? = nil) throws -> String {
    let result = try status(arguments, input: input)
    guard result.status == 0 else {
      throw FixtureError("\(arguments.joined(separator: " ")) failed: \(result.stderr)")
    }
    return result.stdout
  }

  /// Runs a program and returns its exit status and output. Uses `posix_spawn` with output
  /// in temporary files (not Foundation's `Process` and pipes): a program that leaves a daemon
  /// behind (ssh-agent) must not keep the call waiting for the end of a pipe.
  public static func status(_ arguments: [String], input: String? = nil) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let base = NSTemporaryDirectory() + "haflow-shell-\(UInt64.random(in: 0...UInt64.max))"
    let paths = [base + ".in", base + ".out", base + ".err"]
    defer { for path in paths { unlink(path) } }
    try (input ?? "").write(toFile: paths[0], atomically: false, encoding: .utf8)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, paths[0], O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, paths[1], O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, paths[2], O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    var attributes = cleanSignals()
    defer { posix_spawnattr_destroy(&attributes) }
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, environ)
    guard spawned == 0 else { throw FixtureError("cannot run \(arguments): \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let stdout = (try? String(contentsOfFile: paths[1], encoding: .utf8)) ?? ""
    let stderr = (try? String(contentsOfFile: paths[2], encoding: .utf8)) ?? ""
    return (exit, stdout, stderr)
  }
}

extension Shell {
  /// Spawn attributes that give the child default signal handling and an empty signal mask
  /// (the test runner may ignore or block signals, and children would inherit that).
  public static func cleanSignals() -> posix_spawnattr_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var all = sigset_t()
    sigfillset(&all)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    return attributes
  }
}

/// The process table, from /proc.
public enum ProcessTree {
  /// `(pid, parent pid)` of every process.
  public static func all() -> [(pid: Int32, parent: Int32)] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name in
      guard let pid = Int32(name),
        let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { return nil }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
      return (pid, parent)
    }
  }

  /// Direct children of `pid`.
  public static func children(of pid: Int32) -> [Int32] {
    all().filter { $0.parent == pid }.map(\.pid)
  }

  /// Every descendant of `pid`.
  public static func descendants(of pid: Int32) -> [Int32] {
    let table = all()
    var result: [Int32] = []
    var frontier = [pid]
    while let next = frontier.popLast() {
      let kids = table.filter { $0.parent == next }.map(\.pid)
      result += kids
      frontier += kids
    }
    return result
  }

  /// Whether `pid` exists and is not a zombie.
  public static func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return false }
    let state = stat[stat.index(after: close)...].split(separator: " ").first
    return state != "Z" && state != "X"
  }

  /// Processes whose command line contains `text`.
  public static func matching(_ text: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { name in
      guard let pid = Int32(name),
        let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
      else { return nil }
      let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
      return line.contains(text) && isAlive(pid) ? pid : nil
    }
  }
}
