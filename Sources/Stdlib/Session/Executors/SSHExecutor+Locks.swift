import Interpreter
import Remote

import struct Interpreter.Host

extension SSHExecutor: LockScriptRunner {
  /// Runs the run lock's script over `host`'s session (reconnecting if it died), within 30 s.
  public func runLockScript(_ command: String, on host: Host) throws -> (
    status: Int, stdout: String, stderr: String
  ) {
    let session = try self.session(for: host)
    let result = try TransportBridge.translating {
      try session.runHelper(command, timeout: .seconds(30))
    }
    return (result.status, result.stdout, result.stderr)
  }
}
