import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `haflow` running on a Linux pseudo-terminal that is its controlling terminal (spawned in a
/// session of its own), so line editing, arrow keys, Tab and Ctrl-C behave as they do for an
/// operator.
///
/// Nothing here can block: output is read through poll(2) with a deadline, input is written
/// without blocking and with a deadline, haflow is reaped with `waitpid(WNOHANG)`, and the
/// whole session has a time budget below the tests' time limit. When the object goes away
/// (test passed, failed or threw) haflow's whole session is killed with SIGKILL, the master
/// side is closed and haflow is reaped. No Foundation `Process`: on Linux it learns that a
/// child ended only when every holder of a socket the child inherits has closed it, which a
/// leftover grandchild can put off forever.
final class ReplPTY: @unchecked Sendable {
  /// Control keys and escape sequences.
  enum Key {
    static let up = "\u{1B}[A"
    static let left = "\u{1B}[D"
    static let ctrlA = "\u{01}"
    static let ctrlC = "\u{03}"
    static let ctrlD = "\u{04}"
    static let ctrlE = "\u{05}"
    static let backspace = "\u{7F}"
    static let tab = "\t"
    static let enter = "\r"
  }

  /// The most output kept: a runaway program cannot make the transcript grow without end.
  private static let outputLimit = 1 << 20

  private var master: Int32
  /// haflow's process ID; it leads its own session and process group.
  let pid: pid_t
  /// haflow's exit status once reaped (128 + signal when killed by one).
  private var status: Int32?
  /// When every wait of this session ends at the latest (the tests' time limit is 2 minutes).
  private let deadline: ContinuousClock.Instant
  /// Everything the terminal showed, escape sequences and carriage returns removed.
  private(set) var screen = ""
  /// How far `expect` has matched, in characters of `screen`.
  private var matched = 0
  private var raw: [UInt8] = []

  /// Starts `haflow ARGUMENTS` in `directory` with `environment` added (TERM=xterm,
  /// NO_COLOR=1, HOME=`directory` unless given). Every wait ends within `budget` seconds.
  init(
    _ arguments: [String], in directory: URL, environment: [String: String] = [:],
    budget: Double = 90
  ) throws {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    deadline = .now + .milliseconds(Int(budget * 1000))
    // posix_openpt and friends are not visible to Swift on Linux: the same through ioctl
    // (TIOCSPTLCK unlocks the slave, TIOCGPTN says its number). O_CLOEXEC: a program another
    // test starts meanwhile must not keep the terminal open after this session closes it.
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
    guard master >= 0 else { throw PTYError("cannot open a pseudo-terminal") }
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0
    else {
      close(master)
      throw PTYError("cannot set up a pseudo-terminal")
    }
    var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    env["HOME"] = directory.path
    env["HAFLOW_HISTORY"] = directory.appendingPathComponent("history").path
    for (key, value) in environment { env[key] = value }
    do {
      // A new session; the slave, opened without O_NOCTTY by the session leader, becomes its
      // controlling terminal (what `setsid --ctty` did), and haflow's process group is then
      // the terminal's foreground group.
      pid = try ChildProcess.spawn(
        [binary.path] + arguments, environment: env, directory: directory.path,
        terminal: "/dev/pts/\(number)")
    } catch {
      close(master)
      throw error
    }
    self.master = master
  }

  /// Kills haflow's whole session, closes the terminal and reaps haflow (bounded).
  deinit { shutdown() }

  /// Kills haflow and everything it started (SIGKILL), closes the master side and reaps
  /// haflow; waits at most 5 seconds. Safe to call more than once.
  func shutdown() {
    ChildProcess.killTree(pid, reaped: status != nil)
    if master >= 0 {
      close(master)
      master = -1
    }
    if status == nil { status = ChildProcess.reap(pid, within: 5) }
  }

  /// Types text (keys included) as an operator would. Control keys are sent only while
  /// libedit edits a line (terminal in raw mode): typed earlier, the terminal would take
  /// Ctrl-C as a signal, Ctrl-D as its end of file and Backspace as its own erase key.
  func send(_ text: String) throws {
    if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\r") || $0.value == 0x7F })
    {
      try waitForEditing(timeout: 10)
    }
    try write(text)
  }

  /// Types a line and Return.
  func line(_ text: String) throws { try send(text + Key.enter) }

  /// Ctrl-C while a command runs: waits until the terminal is out of raw mode (the line was
  /// read, the command runs), so the terminal turns the key into SIGINT for haflow.
  func interrupt() throws {
    let started = ContinuousClock.now
    while isEditing {
      guard ContinuousClock.now - started < .seconds(10) else {
        throw failure("the terminal stayed in raw mode: no command seems to run")
      }
      pump(wait: 0.02)
    }
    try write(Key.ctrlC)
  }

  /// Waits until `text` shows up after what was matched before; returns the seconds waited.
  /// After a prompt (text ending in "> ") it also waits, untimed, until libedit has the
  /// terminal in raw mode, so that keys sent next reach the line editor.
  @discardableResult
  func expect(_ text: String, timeout: Double = 10) throws -> Double {
    let started = ContinuousClock.now
    let end = min(started + .milliseconds(Int(timeout * 1000)), deadline)
    while true {
      let start = screen.index(screen.startIndex, offsetBy: min(matched, screen.count))
      if let range = screen.range(of: text, range: start..<screen.endIndex) {
        matched = screen.distance(from: screen.startIndex, to: range.upperBound)
        let waited = ContinuousClock.now - started
        if text.hasSuffix("> ") { try waitForEditing(timeout: 10) }
        return Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18
      }
      if ContinuousClock.now >= end { break }
      if raw.count >= Self.outputLimit { throw failure("more than 1 MiB of output") }
      if status == nil, let exited = ChildProcess.reap(pid, within: 0) {
        status = exited
        pump(wait: 0.05)
        continue
      }
      pump(wait: 0.05)
    }
    throw failure("timed out after \(timeout)s waiting for \(text.debugDescription)")
  }

  /// Waits for haflow to exit; returns its status (128 + signal when killed by one), or nil
  /// if it still runs after `timeout` seconds.
  func waitForExit(timeout: Double = 10) -> Int32? {
    let end = min(ContinuousClock.now + .milliseconds(Int(timeout * 1000)), deadline)
    while status == nil {
      status = ChildProcess.reap(pid, within: 0)
      if status != nil || ContinuousClock.now >= end { break }
      pump(wait: 0.05)
    }
    pump(wait: 0)
    return status
  }

  /// Whether libedit has the terminal now: canonical mode and echo off (read on the master
  /// side, which reports the slave's settings).
  var isEditing: Bool {
    var settings = termios()
    guard master >= 0, tcgetattr(master, &settings) == 0 else { return false }
    return settings.c_lflag & tcflag_t(ICANON | ECHO) == 0
  }

  /// Waits until libedit edits a line (see `isEditing`).
  private func waitForEditing(timeout: Double) throws {
    let end = min(ContinuousClock.now + .milliseconds(Int(timeout * 1000)), deadline)
    while !isEditing {
      guard ContinuousClock.now < end else {
        throw failure("the terminal did not go into raw mode (no line editor waiting)")
      }
      if status == nil, let exited = ChildProcess.reap(pid, within: 0) { status = exited }
      if status != nil { throw failure("haflow exited (status \(status!))") }
      pump(wait: 0.02)
    }
  }

  /// Writes all of `text`, reading output meanwhile (haflow may wait for its output to be
  /// read before it reads more input); gives up after 10 seconds.
  private func write(_ text: String) throws {
    let bytes = Array(text.utf8)
    var offset = 0
    let end = min(ContinuousClock.now + .seconds(10), deadline)
    while offset < bytes.count {
      guard master >= 0 else { throw failure("the terminal is closed") }
      let written = bytes[offset...].withUnsafeBytes {
        Glibc.write(master, $0.baseAddress, $0.count)
      }
      if written > 0 {
        offset += written
        continue
      }
      if written < 0 && errno != EAGAIN && errno != EINTR {
        throw failure("writing to the terminal failed (errno \(errno))")
      }
      guard ContinuousClock.now < end else { throw failure("the terminal took no input") }
      pump(wait: 0.01)
    }
    // Lets the line editor take the keys in before the next ones (or a check) come.
    pump(wait: 0.03)
  }

  /// Reads what is available, waiting up to `wait` seconds for the first bytes.
  private func pump(wait: Double) {
    guard master >= 0 else { return }
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    let ready = poll(&descriptor, 1, Int32(wait * 1000))
    guard ready > 0, descriptor.revents & Int16(POLLIN) != 0 else {
      // POLLHUP alone (nothing left to read, the slave side is closed): no busy loop.
      if ready > 0 { usleep(UInt32(wait * 1_000_000)) }
      return
    }
    var buffer = [UInt8](repeating: 0, count: 4096)
    var grew = false
    for _ in 0..<64 where raw.count < Self.outputLimit {
      let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      raw += buffer[0..<count]
      grew = true
    }
    // Decoded whole each time: a sequence split between two reads is then stripped too.
    if grew { screen = ReplPTY.plain(String(decoding: raw, as: UTF8.self)) }
  }

  /// A failure with the end of what the terminal showed.
  private func failure(_ message: String) -> PTYError {
    PTYError("\(message); the terminal showed (last 2000 characters):\n\(screen.suffix(2000))")
  }

  /// Text without ANSI escape sequences and carriage returns.
  static func plain(_ text: String) -> String {
    text.replacing(#/\u{1B}\[[0-9;?]*[A-Za-z]|\u{1B}[()][A-Z0-9]|\u{1B}[=>]|\r|\u{07}/#, with: "")
  }
}

/// Child processes started with posix_spawn, waited for with `waitpid(WNOHANG)` and a
/// deadline, and killed with everything they started.
enum ChildProcess {
  /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension Swift does not import).
  private static let setSessionFlag: Int32 = 0x80

  private typealias FileAction =
    @convention(c) (
      UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32
    ) -> Int32
  private typealias PathAction =
    @convention(c) (
      UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32

  /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34), looked up at run time.
  private static let closeFrom: FileAction? = symbol("posix_spawn_file_actions_addclosefrom_np")
  /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29), looked up at run time.
  private static let changeDirectory: PathAction? = symbol(
    "posix_spawn_file_actions_addchdir_np")

  private static func symbol<T>(_ name: String) -> T? {
    guard let address = dlsym(nil, name) else { return nil }
    return unsafeBitCast(address, to: T.self)
  }

  /// Starts `arguments[0]` (a path) in `directory`, in a new session (and so a new process
  /// group) with default signal handling. With `terminal`, that terminal is its standard
  /// input, output and error, and its controlling terminal; else input is /dev/null, output
  /// goes to the file `output` and errors to the file `errors` (created; with `output` when
  /// nil). Other descriptors are not inherited.
  static func spawn(
    _ arguments: [String], environment: [String: String], directory: String,
    terminal: String? = nil, output: String? = nil, errors: String? = nil
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let terminal {
      posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
      posix_spawn_file_actions_adddup2(&actions, 0, 1)
      posix_spawn_file_actions_adddup2(&actions, 0, 2)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(
        &actions, 1, output ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      if let errors {
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
      }
    }
    // glibc's closefrom and chdir file actions, which Swift does not import.
    guard let closeFrom = closeFrom, let changeDirectory = changeDirectory else {
      throw PTYError("this C library has no posix_spawn_file_actions_addclosefrom_np")
    }
    _ = closeFrom(&actions, 3)
    _ = changeDirectory(&actions, directory)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var all = sigset_t()
    var none = sigset_t()
    sigfillset(&all)
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(
      &attributes, Int16(setSessionFlag | Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)))
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] =
      environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let code = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
    guard code == 0 else {
      throw PTYError("cannot start \(arguments[0]): \(String(cString: strerror(code)))")
    }
    return pid
  }

  /// Reaps `pid` if it has ended, waiting up to `within` seconds; returns its exit status
  /// (128 + signal when a signal ended it), or nil if it still runs.
  static func reap(_ pid: pid_t, within: Double) -> Int32? {
    let end = ContinuousClock.now + .milliseconds(Int(within * 1000))
    var status: Int32 = 0
    while true {
      let done = waitpid(pid, &status, WNOHANG)
      if done == pid {
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      }
      // Not our child (any more): nothing to wait for.
      if done < 0 && errno == ECHILD { return -1 }
      if ContinuousClock.now >= end { return nil }
      usleep(10_000)
    }
  }

  /// SIGKILLs every process of `pid`'s session and process group and, while `pid` is not
  /// reaped yet, `pid` and its descendants (found before any is killed: a killed parent's
  /// children move to another parent).
  static func killTree(_ pid: pid_t, reaped: Bool = false) {
    guard pid > 1 else { return }
    var children: [pid_t: [pid_t]] = [:]
    var doomed = Set<pid_t>()
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    for name in names {
      guard let process = pid_t(name), let stat = statFields(process) else { continue }
      children[stat.parent, default: []].append(process)
      if stat.session == pid || stat.group == pid { doomed.insert(process) }
    }
    if !reaped {
      var queue = [pid] + Array(doomed)
      var seen = Set<pid_t>()
      while let next = queue.popLast() {
        guard seen.insert(next).inserted else { continue }
        doomed.insert(next)
        queue += children[next] ?? []
      }
      kill(pid, SIGKILL)
    }
    kill(-pid, SIGKILL)
    for process in doomed where process > 1 && process != getpid() { kill(process, SIGKILL) }
  }

  /// The parent, process group and session of `pid`, from /proc/PID/stat.
  private static func statFields(_ pid: pid_t) -> (parent: pid_t, group: pid_t, session: pid_t)? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // After "pid (comm)": state, ppid, pgrp, session, ...
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 3, let parent = pid_t(fields[1]), let group = pid_t(fields[2]),
      let session = pid_t(fields[3])
    else { return nil }
    return (parent, group, session)
  }
}

/// A pseudo-terminal that could not be set up, or output that did not come.
struct PTYError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// A temporary directory for one test; remove it with `ReplFiles.remove`.
enum ReplFiles {
  /// Makes an empty directory.
  static func makeDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("haflow-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Writes a file in `directory`.
  static func write(_ text: String, to name: String, in directory: URL) throws {
    try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  /// Removes the directory.
  static func remove(_ directory: URL) { try? FileManager.default.removeItem(at: directory) }
}

/// Runs blocking work on its own thread and waits for it without blocking a pool thread.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
  try await withCheckedThrowingContinuation { continuation in
    let thread = Thread { continuation.resume(with: Result { try work() }) }
    thread.start()
  }
}
