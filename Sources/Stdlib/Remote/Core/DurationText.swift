extension Duration {
  /// `2s`, `1m30s`, `250ms`: the form haflow's messages use, largest units first.
  var shortText: String {
    let (seconds, attoseconds) = components
    var nanoseconds =
      seconds.magnitude * 1_000_000_000 + UInt64(attoseconds.magnitude / 1_000_000_000)
    if nanoseconds == 0 { return "0s" }
    var text = seconds < 0 || attoseconds < 0 ? "-" : ""
    for (unit, size) in Self.textUnits where nanoseconds >= size {
      text += "\(nanoseconds / size)\(unit)"
      nanoseconds %= size
    }
    return text
  }

  private static let textUnits: [(String, UInt64)] = [
    ("h", 3_600_000_000_000), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
    ("us", 1_000), ("ns", 1),
  ]

  /// Whole nanoseconds.
  public var nanosecondCount: Int64 {
    let (seconds, attoseconds) = components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
  }
}
