/// The text sent in the `exec` request for a command, and how to read its output.
///
/// Every command runs as `exec /bin/sh -c '…'` whatever the login shell, and the script first
/// prints its process ID (the login shell's, which sshd made a session and process-group
/// leader; `exec` keeps it) on a line of its own: haflow strips that line and uses the number
/// to signal the whole process group on a timeout or an interrupt. Then:
///
/// - `directory`: `cd -- DIR || exit` (a missing directory fails the command like
///   `cd DIR && …` would);
/// - `environment`: `env NAME=VALUE …` words (servers usually refuse `setenv` requests);
/// - `sudo` (unless the login user is root): `sudo -n -- [env …] /bin/sh -c '…'`, non-interactive,
///   with the directory change inside, since the directory may be readable by root only; with a
///   sudo password, `sudo -S -p ''` and the password as the first line of standard input.
struct RemoteCommand: Sendable {
  /// The exec text.
  let text: String
  /// How sudo is used.
  let sudo: RemoteSudo
  /// Whether sudo is used.
  var usesSudo: Bool { sudo != .none }
  /// What goes to standard input before the request's own stdin: the sudo password line.
  let inputPrefix: [UInt8]

  /// Builds the exec text for `request` run as `user`.
  init(_ request: ShellCommand, user: String) {
    let usesSudo = request.sudo && user != "root"
    var inner = ""
    if let directory = request.directory {
      inner += "cd -- \(ShellQuote.quote(directory)) || exit\n"
    }
    inner += request.script
    let envWords = request.environment.sorted { $0.key < $1.key }
      .map { ShellQuote.quote("\($0.key)=\($0.value)") }
    let envPrefix = envWords.isEmpty ? "" : "env " + envWords.joined(separator: " ") + " "
    let password = usesSudo ? request.sudoPassword : nil
    sudo = !usesSudo ? .none : password.map { .password($0) } ?? .nonInteractive
    inputPrefix = sudo.input
    if usesSudo {
      let flags = sudo.flags
      let script =
        "echo $$\nexec sudo \(flags) -- \(envPrefix)/bin/sh -c \(ShellQuote.quote(inner))"
      text = "exec /bin/sh -c \(ShellQuote.quote(script))"
    } else {
      text = "exec \(envPrefix)/bin/sh -c \(ShellQuote.quote("echo $$\n" + inner))"
    }
  }

  /// The command that sends `signal` (`TERM`, `KILL`) to process group `group`, and its
  /// standard input (the sudo password line, when the command was started with one: the
  /// process group belongs to root, and sudo may have no cached credential).
  static func kill(signal: String, group: Int, sudo: RemoteSudo) -> (
    text: String, stdin: [UInt8]
  ) {
    let kill = "kill -s \(signal) -- -\(group)"
    let text = sudo == .none ? "\(kill) 2>/dev/null" : "sudo \(sudo.flags) \(kill) 2>/dev/null"
    return (text, sudo.input)
  }
}

/// How a remote command uses sudo: not at all, non-interactively (`sudo -n`), or with a
/// password fed on standard input (`sudo -S`).
enum RemoteSudo: Sendable, Equatable {
  case none
  case nonInteractive
  case password(String)

  /// sudo's flags.
  var flags: String {
    if case .password = self { return "-S -p ''" }
    return "-n"
  }

  /// What goes first on standard input: the password line, or nothing.
  var input: [UInt8] {
    if case .password(let password) = self { return Array((password + "\n").utf8) }
    return []
  }
}

/// Reads the process-ID line off the front of a command's standard output.
struct ProcessIDLine {
  /// The process group, once the line has been read.
  private(set) var group: Int?
  private var buffer: [UInt8] = []
  private var done = false

  /// Takes the next stdout chunk; returns what belongs to the command's own output.
  mutating func strip(_ chunk: [UInt8]) -> [UInt8] {
    if done { return chunk }
    buffer += chunk
    guard let newline = buffer.firstIndex(of: 0x0A) else { return [] }
    done = true
    group = Int(String(decoding: buffer[..<newline], as: UTF8.self))
    return Array(buffer[(newline + 1)...])
  }
}
