import Foundation

/// The cluster clock of a lab: this machine's clock plus an offset that `haflow lab advance`
/// moves forward, so that a bootstrap token's TTL or the uploaded certificates' 2-hour expiry
/// can be rehearsed without waiting. The offset is kept in `lab.json`; a new lab starts at 0.
///
/// Each host gets a copy of the offset in its own directory (`clock.json`), named to its
/// processes by `HAFLOW_LAB_CLOCK_FILE` (sshd's sessions and the kubelet's pods): the API
/// server stand-in reads it on every request (`ClusterClock`).
public enum LabClock {
  /// The most one `advance` may move the clock: ten years.
  static let maxStep: Int64 = 10 * 366 * 86_400

  /// A host's `clock.json`: the offset under the key `lab.json` uses, so `ClusterClock`
  /// reads either.
  static func fileText(_ offset: Int64) -> String { "{\"clockOffsetSeconds\": \(offset)}\n" }

  /// Seconds in a duration written as kubeadm's `--ttl` is: `3h`, `90m`, `1h30m`, `45s`,
  /// `2d` (days, for convenience). Nil when it is not one, or not positive.
  public static func seconds(_ text: String) -> Int64? {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    var total: Int64 = 0
    var number: Int64?
    for character in text {
      if let digit = character.wholeNumberValue, character.isASCII {
        let (scaled, over) = (number ?? 0).multipliedReportingOverflow(by: 10)
        guard !over, scaled <= maxStep else { return nil }
        number = scaled + Int64(digit)
      } else if let unit = units[character], let value = number {
        total += value * unit
        guard total <= maxStep else { return nil }
        number = nil
      } else {
        return nil
      }
    }
    guard number == nil, total > 0 else { return nil }
    return total
  }

  /// `3h`, `1h30m`, `2d4h`, `0s`: the largest units first, zero ones left out.
  public static func text(seconds: Int64) -> String {
    guard seconds != 0 else { return "0s" }
    var rest = abs(seconds)
    var text = seconds < 0 ? "-" : ""
    for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)]
    where rest >= size {
      text += "\(rest / size)\(unit)"
      rest %= size
    }
    return text
  }
}

extension Lab {
  /// Writes the clock's offset into every host's directory, where the processes inside the
  /// host (the API server, kubeadm) read it through `HAFLOW_LAB_CLOCK_FILE`.
  func writeClocks(_ state: LabState) throws {
    for host in state.hosts {
      try LabFiles.write(LabClock.fileText(state.clockOffsetSeconds), to: files.clock(host.name))
    }
  }

  /// Moves the running lab's cluster clock `seconds` forward (it adds up); returns the new
  /// offset from this machine's clock.
  public func advance(seconds: Int64) throws -> Int64 {
    guard seconds > 0, seconds <= LabClock.maxStep else {
      throw LabError("the clock moves forward only, by up to ten years at a time")
    }
    try requireLab()
    return try LabLock.holding(files.lock) {
      guard var state = try LabState.load(from: files.state), isActive(state) else {
        throw noRunningLab
      }
      state.clockOffsetSeconds += seconds
      try state.save(to: files.state)
      try writeClocks(state)
      return state.clockOffsetSeconds
    }
  }
}
