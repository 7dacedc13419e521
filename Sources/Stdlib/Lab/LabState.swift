import Foundation

/// What a lab is made of, saved as `lab.json` in its directory: the hosts, their addresses and
/// ports, the login user, the cluster shape, whether hosts are isolated, the hosts stopped on
/// purpose and the cluster clock's offset. Process IDs live beside it, one `sshd.pid` per host
/// directory.
public struct LabState: Codable, Sendable, Equatable {
  /// One host of the lab.
  public struct HostRecord: Codable, Sendable, Equatable {
    /// `node1`, `cp1`, …
    public var name: String
    /// `127.0.0.2`, …
    public var address: String
    /// The sshd port.
    public var port: Int
  }

  /// The hosts, in order.
  public var hosts: [HostRecord]
  /// The login user.
  public var user: String
  /// The cluster shape; nil for a plain lab of `node1…`.
  public var shape: LabShape?
  /// Whether each host runs in its own mount and UTS namespace.
  public var isolated: Bool
  /// Hosts taken down with `haflow lab stop` (and not started again).
  public var stopped: [String]
  /// How far `haflow lab advance` has moved the cluster clock past this machine's, in
  /// seconds (cumulative; a new lab starts at 0).
  public var clockOffsetSeconds: Int64

  /// A new lab's state.
  init(
    hosts: [HostRecord], user: String, shape: LabShape? = nil, isolated: Bool = false,
    stopped: [String] = [], clockOffsetSeconds: Int64 = 0
  ) {
    self.hosts = hosts
    self.user = user
    self.shape = shape
    self.isolated = isolated
    self.stopped = stopped
    self.clockOffsetSeconds = clockOffsetSeconds
  }

  /// Reads a `lab.json`; fields a lab written before them lacks take their defaults.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    hosts = try container.decode([HostRecord].self, forKey: .hosts)
    user = try container.decode(String.self, forKey: .user)
    shape = try container.decodeIfPresent(LabShape.self, forKey: .shape)
    isolated = try container.decodeIfPresent(Bool.self, forKey: .isolated) ?? false
    stopped = try container.decodeIfPresent([String].self, forKey: .stopped) ?? []
    clockOffsetSeconds =
      try container.decodeIfPresent(Int64.self, forKey: .clockOffsetSeconds) ?? 0
  }

  /// The cluster clock's offset from this machine's clock.
  public var clockOffset: Duration { .seconds(clockOffsetSeconds) }

  /// The host called `name`.
  func host(named name: String) -> HostRecord? { hosts.first { $0.name == name } }

  /// Reads `lab.json`; nil when there is none.
  static func load(from path: String) throws -> LabState? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    do {
      return try JSONDecoder().decode(LabState.self, from: data)
    } catch {
      throw LabError(
        "\(path) is not a lab description: \(error)",
        hint: "remove the lab directory and run lab up")
    }
  }

  /// Writes `lab.json`.
  func save(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try LabFiles.write(String(decoding: try encoder.encode(self), as: UTF8.self) + "\n", to: path)
  }
}
