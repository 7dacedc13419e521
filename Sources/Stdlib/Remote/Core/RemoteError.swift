/// Why the transport could not do what it was asked: a host unreachable, a key refused, a
/// transfer that failed. The session layer turns it into the language's runtime error, so the
/// transport needs no knowledge of the language.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
  /// One sentence, naming the host and what failed.
  public var message: String
  /// What to do about it, when something can be said.
  public var hint: String?
  /// The inventory name of the host it happened on.
  public var host: String?
  /// The host could not be reached, or its connection dropped (as opposed to a command or a
  /// transfer the host refused): the session layer reports the host as unreachable.
  public var isConnectionFailure: Bool

  /// Makes an error.
  public init(
    _ message: String, hint: String? = nil, host: String? = nil,
    isConnectionFailure: Bool = false
  ) {
    self.message = message
    self.hint = hint
    self.host = host
    self.isConnectionFailure = isConnectionFailure
  }

  /// The message and the hint.
  public var description: String { message + (hint.map { "\nhint: " + $0 } ?? "") }
}
