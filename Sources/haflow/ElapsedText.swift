/// Short elapsed-time text for progress lines: `0.3s`, `12.4s`, `2m05s`, `1h02m`.
enum ElapsedText {
  /// Formats nanoseconds.
  static func format(_ nanoseconds: Int64) -> String {
    let seconds = Double(max(0, nanoseconds)) / 1e9
    let tenths = Int((seconds * 10).rounded())
    if tenths < 600 { return "\(tenths / 10).\(tenths % 10)s" }
    let whole = Int(seconds.rounded())
    if whole < 3600 { return "\(whole / 60)m\(twoDigits(whole % 60))s" }
    return "\(whole / 3600)h\(twoDigits(whole % 3600 / 60))m"
  }

  private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
