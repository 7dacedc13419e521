/// What `Lab.up` starts.
public struct LabOptions: Sendable, Equatable {
  /// How many hosts (1–50).
  public var hosts: Int
  /// The login user; nil: root when running as root, else the current user. Another user
  /// needs root (it is created with `useradd -M -s /bin/sh` when missing).
  public var user: String?
  /// The first host's address; the others follow (127.0.0.2, .3, …).
  public var firstAddress: String
  /// Use free high ports even as root (otherwise root's hosts listen on port 22).
  public var freePorts: Bool

  /// The most hosts a lab may have.
  public static let maxHosts = 50

  /// Makes options; the defaults are those of `haflow lab up`.
  public init(
    hosts: Int = 3, user: String? = nil, firstAddress: String = "127.0.0.2",
    freePorts: Bool = false
  ) {
    self.hosts = hosts
    self.user = user
    self.firstAddress = firstAddress
    self.freePorts = freePorts
  }
}

/// A lab operation that could not be done; the message says what and why.
public struct LabError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public var message: String
  /// What to do about it, when there is something.
  public var hint: String?

  /// Makes an error.
  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  /// The message.
  public var description: String { message }
}
