/// What `Lab.up` starts.
public struct LabOptions: Sendable, Equatable {
  /// How many hosts (1–1000) of a plain lab (`node1…`); a cluster shape sets its own count.
  public var hosts: Int
  /// A cluster lab (`lb`, `cp1…`, `w1…`, `etcd1…`, haproxy on lb); nil: a plain lab.
  public var shape: LabShape?
  /// A plain lab whose hosts share this machine's filesystem and hostname, as before hosts
  /// were isolated (without root they always do). A cluster lab is always isolated.
  public var shared: Bool
  /// The login user; nil: root when running as root, else the current user. Another user
  /// needs root (it is created with `useradd -M -s /bin/sh` when missing).
  public var user: String?
  /// The first host's address; the others follow (127.0.0.2, .3, …).
  public var firstAddress: String
  /// Use free high ports even as root (otherwise root's hosts listen on port 22).
  public var freePorts: Bool

  /// The most hosts a lab may have: a benchmark of hundreds of hosts fits (an sshd listener
  /// costs about 3 MB; its addresses run on past a /24).
  public static let maxHosts = 1000
  /// The most hosts a cluster lab may have: each runs a kubelet and the cluster's components
  /// besides its sshd.
  public static let maxClusterHosts = 50

  /// Makes options; the defaults are those of `haflow lab up`.
  public init(
    hosts: Int = 3, shape: LabShape? = nil, user: String? = nil,
    firstAddress: String = "127.0.0.2", freePorts: Bool = false, shared: Bool = false
  ) {
    self.hosts = shape?.hostCount ?? hosts
    self.shape = shape
    self.shared = shared
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
