import Foundation

/// kubectl's table layout (cli-runtime's tabwriter: minwidth 6, tabwidth 4, padding 3,
/// spaces) and its AGE column (`duration.HumanDuration`).
enum KubectlTable {
  /// Rows of cells, each column but the last padded to its widest cell plus 3 (at least 6).
  static func render(_ rows: [[String]]) -> String {
    guard let columns = rows.map(\.count).max() else { return "" }
    var widths = [Int](repeating: 6, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() where index < row.count - 1 {
        widths[index] = max(widths[index], cell.count + 3)
      }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index < row.count - 1
          ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
      }.joined()
    }.joined(separator: "\n") + "\n"
  }

  /// `duration.HumanDuration` of Kubernetes' apimachinery.
  static func humanDuration(seconds total: Int) -> String {
    if total < -1 { return "<invalid>" }
    if total < 0 { return "0s" }
    if total < 120 { return "\(total)s" }
    let minutes = total / 60
    if minutes < 10 {
      let seconds = total % 60
      return seconds == 0 ? "\(minutes)m" : "\(minutes)m\(seconds)s"
    }
    if minutes < 180 { return "\(minutes)m" }
    let hours = total / 3600
    if hours < 8 {
      let rest = minutes % 60
      return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
    }
    if hours < 48 { return "\(hours)h" }
    if hours < 24 * 8 {
      let rest = hours % 24
      return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
    }
    if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
    if hours < 24 * 365 * 8 {
      let days = (hours / 24) % 365
      return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
    }
    return "\(hours / 24 / 365)y"
  }

  /// The AGE of an object at `now`: `<unknown>` without a creation time.
  static func age(_ object: JSONValue, now: Date) -> String {
    guard let text = object[path: ["metadata", "creationTimestamp"]]?.string,
      let created = ClusterClock.parse(text)
    else { return "<unknown>" }
    return humanDuration(seconds: Int(now.timeIntervalSince(created).rounded(.down)))
  }
}
