import Foundation

/// What a lab is made of, saved as `lab.json` in its directory: the hosts, their addresses and
/// ports, and the login user. Process IDs live beside it, one `sshd.pid` per host directory.
public struct LabState: Codable, Sendable, Equatable {
  /// One host of the lab.
  public struct HostRecord: Codable, Sendable, Equatable {
    /// `node1`, `node2`, …
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
