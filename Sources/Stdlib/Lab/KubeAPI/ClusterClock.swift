import Foundation

/// The lab's cluster clock as seen from inside a lab host: this machine's time plus the offset
/// `haflow lab advance` stored in the lab's `lab.json`, named by `HAFLOW_LAB_CLOCK_FILE`
/// (read on every call, so an advance takes effect at once for running servers). Without
/// the variable, or when the file cannot be read, the offset is 0.
public struct ClusterClock: Sendable {
  /// The environment variable naming the lab's `lab.json`.
  public static let environmentVariable = "HAFLOW_LAB_CLOCK_FILE"

  /// The `lab.json` read for the offset, or nil for none.
  public let stateFile: String?

  /// A clock reading `stateFile`'s offset.
  public init(stateFile: String?) { self.stateFile = stateFile }

  /// The clock the environment names.
  public init(environment: [String: String]) {
    stateFile = environment[Self.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The offset in seconds now stored.
  public var offsetSeconds: Int64 {
    guard let stateFile, let data = FileManager.default.contents(atPath: stateFile),
      let json = JSONValue.parse(data), let offset = json["clockOffsetSeconds"]?.int
    else { return 0 }
    return Int64(offset)
  }

  /// The cluster's time now.
  public func now() -> Date { Date().addingTimeInterval(TimeInterval(offsetSeconds)) }

  /// RFC 3339 in UTC with seconds, as Kubernetes writes timestamps: `2026-01-01T00:00:00Z`.
  public static func rfc3339(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func two(_ value: Int?) -> String {
      let v = value ?? 0
      return v < 10 ? "0\(v)" : "\(v)"
    }
    return
      "\(c.year ?? 1970)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
  }

  /// Parses an RFC 3339 timestamp (`Z` or `±hh:mm`, optional fraction); nil when it is not one.
  public static func parse(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }
}
