import Interpreter

import struct Interpreter.Host

/// What can run the run lock's script on a host: the SSH executor, over the host's session.
/// Executors without it (local, dry runs, tests' recorders) take no locks.
public protocol LockScriptRunner: Sendable {
  /// Runs `command` on `host` (already connected) as its login user, outside the run's
  /// commands: not shown, not recorded, not stopped by Ctrl-C.
  func runLockScript(_ command: String, on host: Host) throws -> (
    status: Int, stdout: String, stderr: String
  )
}
