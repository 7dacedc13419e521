/// A shell command to run on a host, with its options, as the transport receives it: the text
/// is final (the language has quoted every interpolated word), and `display` is what may be
/// shown (secrets already redacted).
public struct ShellCommand: Sendable {
  /// The shell text, run by `/bin/sh -c`.
  public var script: String
  /// The text for messages, secrets redacted.
  public var display: String
  /// Run it as root through sudo (unless the login user is root already).
  public var sudo: Bool
  /// sudo's password, fed on standard input (`sudo -S`); nil: `sudo -n`, which fails with a
  /// clear note when sudo wants a password. Never shown.
  public var sudoPassword: String?
  /// Extra environment variables.
  public var environment: [String: String]
  /// Working directory.
  public var directory: String?
  /// Text fed to standard input.
  public var stdin: String?
  /// Longest run before the command's process group is terminated; nil: no limit.
  public var timeout: Duration?

  /// Makes a command.
  public init(
    script: String, display: String? = nil, sudo: Bool = false, sudoPassword: String? = nil,
    environment: [String: String] = [:], directory: String? = nil, stdin: String? = nil,
    timeout: Duration? = nil
  ) {
    self.script = script
    self.display = display ?? script
    self.sudo = sudo
    self.sudoPassword = sudoPassword
    self.environment = environment
    self.directory = directory
    self.stdin = stdin
    self.timeout = timeout
  }
}

/// What a command that ran returned.
public struct ShellResult: Sendable, Hashable {
  /// The inventory name of the host it ran on.
  public var host: String
  /// Standard output, whole.
  public var stdout: String
  /// Standard error, whole, with the transport's notes (sudo wanting a password) at the end.
  public var stderr: String
  /// The exit status; 128+N after signal N; 124 after a timeout.
  public var exitStatus: Int
  /// Whether the timeout stopped it.
  public var timedOut: Bool
  /// Wall time.
  public var duration: Duration

  /// Makes a result.
  public init(
    host: String, stdout: String, stderr: String, exitStatus: Int, timedOut: Bool = false,
    duration: Duration
  ) {
    self.host = host
    self.stdout = stdout
    self.stderr = stderr
    self.exitStatus = exitStatus
    self.timedOut = timedOut
    self.duration = duration
  }
}

/// Receives a running command's output line by line, as it arrives, and the transport's notes
/// (the SCP fallback) and warnings (a newly recorded host key). Called from the threads that
/// run commands.
public protocol TransportOutput: Sendable {
  /// One line of output, without its newline.
  func line(_ text: String, isError: Bool, host: String)
  /// A note about the connection, for the log.
  func note(_ text: String, host: String)
  /// Something the operator should see, such as a host key recorded on first contact.
  func warning(_ text: String, host: String)
}

/// Drops everything: for helper commands whose output is read from the result.
public struct SilentOutput: TransportOutput {
  /// Makes one.
  public init() {}
  /// Ignores the line.
  public func line(_ text: String, isError: Bool, host: String) {}
  /// Ignores the note.
  public func note(_ text: String, host: String) {}
  /// Ignores the warning.
  public func warning(_ text: String, host: String) {}
}
