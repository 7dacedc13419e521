import Remote
import Session

/// `haflow run -vv`: the session-level events as lines on standard error — hosts that cannot
/// be reached, run locks, transfers with their size and rate, probes.
enum DetailLines {
  /// The line for `event`, or nil for kinds shown otherwise.
  static func line(_ event: RunEvent, style: TerminalStyle) -> String? {
    let host = event.host.map { style.dim("[\($0)]") + " " } ?? ""
    switch event.kind {
    case .hostConnect:
      guard case .number(let ms) = event["duration_ms"] else { return nil }
      let method = event["auth"]?.text.map { " by " + $0 } ?? ""
      return host + style.dim("connected and authenticated\(method) (\(ms) ms)") + "\n"
    case .hostUnreachable:
      return host + style.red("unreachable:") + " " + (event["message"]?.text ?? "") + "\n"
    case .transfer:
      guard case .int(let bytes) = event["bytes"], case .number(let ms) = event["duration_ms"]
      else { return nil }
      let direction = event["direction"]?.text ?? "transfer"
      let rate = ms > 0 ? ", " + size(Int64(Double(bytes) / (ms / 1000))) + "/s" : ""
      return host
        + style.dim(
          "\(direction) \(event["path"]?.text ?? "") (\(size(bytes)) in \(ms) ms\(rate))") + "\n"
    case .lock:
      let action = (event["action"]?.text ?? "").replacingOccurrences(of: "_", with: " ")
      let path = event["path"]?.text.map { " " + $0 } ?? ""
      return host + style.dim("run lock\(path): \(action)") + "\n"
    case .probe:
      return style.dim(
        "probe \(event["target"]?.text ?? ""): \(event["status"]?.text ?? "")") + "\n"
    default:
      return nil
    }
  }

  /// `-vv`'s line for a command's channel: `[cp1] channel opened (0.4 ms)`,
  /// `[cp1] channel closed: exit 0 (12.3 ms open)`.
  static func channel(_ trace: ChannelTrace, style: TerminalStyle) -> String {
    let ms = Double(trace.duration.nanosecondCount / 1_000) / 1_000
    let host = style.dim("[\(trace.host)]") + " "
    switch trace.phase {
    case .opened:
      return host + style.dim("channel opened (\(ms) ms)") + "\n"
    case .closed:
      let status = trace.exitStatus.map { ": exit \($0)" } ?? ""
      return host + style.dim("channel closed\(status) (\(ms) ms open)") + "\n"
    }
  }

  /// `512 B`, `1.5 KiB`, `12.0 MiB`.
  static func size(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    return unit == 0 ? "\(bytes) B" : "\((value * 10).rounded() / 10) \(units[unit])"
  }
}
