/// One lab host as `haflow lab status` shows it.
public struct LabHostStatus: Sendable, Equatable {
  /// `node1`, `cp1`, …
  public var name: String
  /// `127.0.0.2`.
  public var address: String
  /// The sshd port.
  public var port: Int
  /// The recorded sshd process ID, if any.
  public var pid: Int32?
  /// Whether that process runs this host's sshd.
  public var running: Bool
  /// Whether the port accepts a TCP connection.
  public var listening: Bool
  /// Whether `haflow lab stop` took it down (and nothing started it since).
  public var stoppedOnPurpose = false
  /// What else runs on the host for the lab: haproxy on a cluster lab's `lb`.
  public var components: [LabComponentStatus] = []

  /// Running, accepting connections, and so is each of its components.
  public var isUp: Bool { running && listening && components.allSatisfy(\.isUp) }

  /// `up`, or why not: `down (not running)`, `down (stopped with haflow lab stop)`, …
  public var summary: String {
    if isUp { return "up" }
    if !running {
      return stoppedOnPurpose ? "down (stopped with haflow lab stop)" : "down (not running)"
    }
    if !listening { return "down (running, but not accepting connections)" }
    let down = components.filter { !$0.isUp }.map(\.name)
    return "degraded (\(down.joined(separator: ", ")) down)"
  }
}

/// A program the lab runs on a host besides sshd (haproxy on `lb`).
public struct LabComponentStatus: Sendable, Equatable {
  /// `haproxy`.
  public var name: String
  /// The address it listens on.
  public var address: String
  /// The port it listens on.
  public var port: Int
  /// The recorded process ID, if any.
  public var pid: Int32?
  /// Whether that process runs this lab's component.
  public var running: Bool
  /// Whether its port accepts a TCP connection.
  public var listening: Bool

  /// Running and accepting connections.
  public var isUp: Bool { running && listening }
}

/// What `Lab.up` did.
public struct LabUpReport: Sendable {
  /// The lab's hosts and login user.
  public var state: LabState
  /// Hosts started by this call (all of them for a new lab, the dead ones on a restart,
  /// none when everything was already up).
  public var started: [String]
  /// Every host, after the start.
  public var hosts: [LabHostStatus]
  /// How long it took.
  public var elapsed: Duration
}

/// What `Lab.down` did.
public struct LabDownReport: Sendable {
  /// Hosts whose sshd was stopped.
  public var stopped: [String]
  /// Process IDs that would not die (none, normally).
  public var leftover: [Int32]
  /// How long it took.
  public var elapsed: Duration = .zero
}
