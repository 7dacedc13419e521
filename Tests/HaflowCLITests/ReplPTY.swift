import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `haflow` running on a Linux pseudo-terminal that is its controlling terminal (through
/// `setsid --wait --ctty`), so line editing, arrow keys, Tab and Ctrl-C behave as they do for
/// an operator. Every wait is bounded; the process is killed when the session is dropped.
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

  private let master: Int32
  private let process = Process()
  /// Everything the terminal showed, escape sequences and carriage returns removed.
  private(set) var screen = ""
  /// How far `expect` has matched, in characters of `screen`.
  private var matched = 0
  private var raw: [UInt8] = []

  /// Starts `haflow ARGUMENTS` in `directory` with `environment` added (TERM=xterm,
  /// NO_COLOR=1, HOME=`directory` unless given).
  init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
    let binary = try #require(HaflowCLI.binary, "no haflow binary found; run swift build first")
    // posix_openpt and friends are not visible to Swift on Linux: the same through ioctl
    // (TIOCSPTLCK unlocks the slave, TIOCGPTN says its number).
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0,
      ioctl(master, 0x8004_5430, &number) == 0
    else { throw PTYError("cannot open a pseudo-terminal") }
    let slavePath = "/dev/pts/\(number)"
    var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    let slave = FileHandle(forUpdatingAtPath: slavePath)
    guard let slave else { throw PTYError("cannot open \(slavePath)") }
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
    process.arguments = ["--wait", "--ctty", binary.path] + arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["TERM"] = "xterm"
    env["NO_COLOR"] = "1"
    env["HOME"] = directory.path
    env["HAFLOW_HISTORY"] = directory.appendingPathComponent("history").path
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardInput = slave
    process.standardOutput = slave
    process.standardError = slave
    try process.run()
    try slave.close()
  }

  /// Kills haflow (the terminal's foreground process group: `setsid` forked it) and
  /// `setsid`. No `waitUntilExit`: it can hang on a killed child; the wait is polled instead.
  deinit {
    let group = tcgetpgrp(master)
    if group > 0 { kill(-group, SIGKILL) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    let started = Date()
    while process.isRunning && Date().timeIntervalSince(started) < 5 { usleep(20_000) }
    close(master)
  }

  /// Types text (keys included) as an operator would.
  func send(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    for _ in 0..<1000 where offset < bytes.count {
      let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
      if written > 0 { offset += written } else { usleep(10_000) }
    }
    usleep(30_000)
  }

  /// Types a line and Return.
  func line(_ text: String) { send(text + Key.enter) }

  /// Waits until `text` shows up after what was matched before; returns the seconds waited.
  @discardableResult
  func expect(_ text: String, timeout: Double = 10) throws -> Double {
    let started = Date()
    while Date().timeIntervalSince(started) < timeout {
      let start = screen.index(screen.startIndex, offsetBy: min(matched, screen.count))
      if let range = screen.range(of: text, range: start..<screen.endIndex) {
        matched = screen.distance(from: screen.startIndex, to: range.upperBound)
        let waited = Date().timeIntervalSince(started)
        // libedit shows the prompt just before it takes the terminal out of cooked mode; keys
        // typed in between would go to the terminal (Ctrl-C as a signal, Ctrl-D as its EOF).
        if text.hasSuffix("> ") { usleep(200_000) }
        return waited
      }
      pump(wait: 0.05)
    }
    throw PTYError(
      "timed out after \(timeout)s waiting for \(text.debugDescription); screen:\n\(screen)")
  }

  /// Whether `text` showed up since the last match (after a short wait for output).
  func sawSinceLastMatch(_ text: String, settle: Double = 0.3) -> Bool {
    let started = Date()
    while Date().timeIntervalSince(started) < settle { pump(wait: 0.05) }
    return screen.dropFirst(matched).contains(text)
  }

  /// Waits for haflow to exit; returns its status, or nil if it is still running.
  func waitForExit(timeout: Double = 10) -> Int32? {
    let started = Date()
    while process.isRunning && Date().timeIntervalSince(started) < timeout { pump(wait: 0.05) }
    pump(wait: 0)
    return process.isRunning ? nil : process.terminationStatus
  }

  /// Reads what is available, waiting up to `wait` seconds for the first bytes.
  private func pump(wait: Double) {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, Int32(wait * 1000)) > 0 else { return }
    var buffer = [UInt8](repeating: 0, count: 4096)
    for _ in 0..<64 {
      let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      raw += buffer[0..<count]
    }
    // Decoded whole each time: a sequence split between two reads is then stripped too.
    screen = ReplPTY.plain(String(decoding: raw, as: UTF8.self))
  }

  /// Text without ANSI escape sequences and carriage returns.
  static func plain(_ text: String) -> String {
    text.replacing(#/\u{1B}\[[0-9;?]*[A-Za-z]|\u{1B}[()][A-Z0-9]|\u{1B}[=>]|\r|\u{07}/#, with: "")
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
