import Foundation

/// Writes an executable script without this process ever holding it open for writing.
///
/// A file this process writes can be inherited, still open, by a child that another test
/// forks in that instant; until that child execs, the kernel refuses to run the file ("Text
/// file busy", exit 126 from the shell). So the text goes to a plain file first, and
/// `install` — a process of its own, finished before this returns — makes the executable.
public func writeExecutable(_ text: String, to path: String) throws {
  let source = path + ".source"
  try text.write(toFile: source, atomically: false, encoding: .utf8)
  defer { try? FileManager.default.removeItem(atPath: source) }
  let install = Process()
  install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
  install.arguments = ["-m", "0755", source, path]
  try install.run()
  install.waitUntilExit()
  guard install.terminationStatus == 0 else {
    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
  }
}
