import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// klog's header, for the warnings kubeadm logs to stderr (`W0516 10:47:50.241614    4978
/// removeetcdmember.go:106] …`): level, month and day, time to the microsecond (UTC here; a lab
/// host runs in UTC), the process ID right-aligned in 7 columns, the source file and line.
enum Klog {
  /// One warning line, with its newline.
  static func warning(_ message: String, at source: String, now: Date, pid: Int32 = getpid())
    -> String
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let parts = calendar.dateComponents(
      [.month, .day, .hour, .minute, .second, .nanosecond], from: now)
    func two(_ value: Int?) -> String {
      let text = String(value ?? 0)
      return text.count < 2 ? "0" + text : text
    }
    var micro = String((parts.nanosecond ?? 0) / 1000)
    micro = String(repeating: "0", count: max(0, 6 - micro.count)) + micro
    var id = String(pid)
    id = String(repeating: " ", count: max(0, 7 - id.count)) + id
    return "W\(two(parts.month))\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):"
      + "\(two(parts.second)).\(micro) \(id) \(source)] \(message)\n"
  }
}
