/// What a helper script of haflow's own (`SSHSession.runHelper`) ended with.
public struct HelperResult: Sendable, Hashable {
  /// Its exit status (-1 when the server sent none).
  public var status: Int
  /// Its standard output.
  public var stdout: String
  /// Its standard error.
  public var stderr: String

  /// Makes a result.
  public init(status: Int, stdout: String, stderr: String) {
    self.status = status
    self.stdout = stdout
    self.stderr = stderr
  }
}
