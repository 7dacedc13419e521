import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Asks for a private key's passphrase on the terminal (`/dev/tty`), echo off. Without a
/// terminal (CI, pipes) there is no one to ask: the key is skipped.
enum Passphrase {
  /// The passphrase typed for `path`, or nil when there is no terminal or nothing was typed.
  static func ask(forKey path: String) -> String? {
    ask(prompt: "Enter passphrase for key '\(path)': ")
  }

  /// What is typed after `prompt` on the terminal, echo off; nil when there is no terminal or
  /// nothing was typed.
  static func ask(prompt: String) -> String? {
    let tty = open("/dev/tty", O_RDWR | O_NOCTTY)
    guard tty >= 0 else { return nil }
    defer { close(tty) }
    var saved = termios()
    guard tcgetattr(tty, &saved) == 0 else { return nil }
    var quiet = saved
    quiet.c_lflag &= ~tcflag_t(ECHO)
    _ = tcsetattr(tty, TCSAFLUSH, &quiet)
    defer { _ = tcsetattr(tty, TCSAFLUSH, &saved) }
    write(tty, prompt)
    var line: [UInt8] = []
    var byte: UInt8 = 0
    while read(tty, &byte, 1) == 1, byte != 10, byte != 13, line.count < 4096 {
      line.append(byte)
    }
    write(tty, "\n")
    return line.isEmpty ? nil : String(decoding: line, as: UTF8.self)
  }

  private static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)
    _ = Glibc.write(fd, &bytes, bytes.count)
  }
}
