/// Go's `time.Duration` text: parsed as `time.ParseDuration` reads flags such as `--ttl 2h`,
/// printed as Go prints durations (`4m0s`, `1.001214919s`, `24h0m0s`).
public enum GoDuration {
  /// Seconds for `text`, or the error `time.ParseDuration` gives.
  public static func parse(_ text: String) -> Result<Double, KubeadmError> {
    let invalid = KubeadmError("time: invalid duration \(GoQuote.quote(text))")
    var rest = Substring(text)
    var negative = false
    if let sign = rest.first, sign == "-" || sign == "+" {
      negative = sign == "-"
      rest = rest.dropFirst()
    }
    if rest == "0" { return .success(0) }
    if rest.isEmpty { return .failure(invalid) }
    let units: [(String, Double)] = [
      ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60),
      ("h", 3600),
    ]
    var total = 0.0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
        let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
      else { return .failure(invalid) }
      rest = rest.dropFirst(number.count)
      let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
      if unit.isEmpty {
        return .failure(KubeadmError("time: missing unit in duration \(GoQuote.quote(text))"))
      }
      guard let scale = units.first(where: { $0.0 == unit })?.1 else {
        return .failure(
          KubeadmError(
            "time: unknown unit \(GoQuote.quote(String(unit))) in duration \(GoQuote.quote(text))"))
      }
      total += value * scale
      rest = rest.dropFirst(unit.count)
    }
    return .success(negative ? -total : total)
  }

  /// Go's `Duration.String()` of `seconds`, to the nanosecond.
  public static func format(_ seconds: Double) -> String {
    var nanos = Int64((seconds * 1e9).rounded())
    if nanos == 0 { return "0s" }
    let negative = nanos < 0
    if negative { nanos = -nanos }
    var out: String
    if nanos < 1_000_000_000 {
      // Below one second: the largest unit that keeps a non-zero integer part.
      let (unit, scale): (String, Int64) =
        nanos < 1_000 ? ("ns", 1) : nanos < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
      out = fraction(nanos, scale) + unit
    } else {
      let hours = nanos / 3_600_000_000_000
      let minutes = nanos / 60_000_000_000 % 60
      let rest = nanos % 60_000_000_000
      out = fraction(rest, 1_000_000_000) + "s"
      if hours > 0 || minutes > 0 { out = String(minutes) + "m" + out }
      if hours > 0 { out = String(hours) + "h" + out }
    }
    return negative ? "-" + out : out
  }

  /// `value / scale` with the fraction's trailing zeros dropped.
  private static func fraction(_ value: Int64, _ scale: Int64) -> String {
    let whole = value / scale
    var part = value % scale
    if part == 0 { return String(whole) }
    var digits = String(part)
    var width = String(scale).count - 1
    while digits.count < width { digits = "0" + digits }
    while part % 10 == 0 {
      part /= 10
      width -= 1
      digits.removeLast()
    }
    return String(whole) + "." + digits
  }
}
