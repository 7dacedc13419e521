extension HostPattern {
  /// Letters in Python's `string.ascii_letters` order: a–z, then A–Z.
  private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

  /// What one pattern may still make: names, and bytes of names (a long name repeated
  /// 100000 times is 100000 times its length).
  struct Budget {
    var names = HostPattern.limit
    var bytes = HostPattern.byteLimit
  }

  /// Expands every `[begin:end(:step)]` range, left to right, as `expand_hostname_range`
  /// does, within `budget`.
  static func expandRanges(_ line: String, pattern: String, budget: inout Budget) throws(Failure)
    -> [String]
  {
    guard let open = line.firstIndex(of: "[") else {
      guard !line.isEmpty else { throw Failure(message: "empty host name") }
      return [line]
    }
    guard let close = line.firstIndex(of: "]"), close > open else {
      throw Failure(
        message: "unclosed '[' in host pattern '\(pattern)'",
        hint: "a range is written [begin:end] or [begin:end:step], e.g. web[01:20]")
    }
    let head = String(line[..<open])
    let inside = line[line.index(after: open)..<close]
    let tail = String(line[line.index(after: close)...])
    let (values, width) = try rangeValues(inside, pattern: pattern)
    guard !values.isEmpty else { return [] }
    guard values.count <= budget.names else { throw tooMany(pattern) }
    budget.names -= values.count
    // The ranges after this one are the same for every value: expand them once, charged once
    // per value as if each name were expanded on its own.
    var suffixes = [tail]
    // A Character, not a String: `contains("[")` would be Foundation's substring search.
    if tail.contains("[" as Character) {
      var share = Budget(
        names: budget.names / values.count, bytes: budget.bytes / values.count)
      let before = share
      suffixes = try expandRanges(tail, pattern: pattern, budget: &share)
      budget.names -= (before.names - share.names) * values.count
      budget.bytes -= (before.bytes - share.bytes) * values.count
    }
    let prefixBytes = head.utf8.count + (width ?? 1)
    let suffixBytes = suffixes.reduce(0) { $0 + $1.utf8.count }
    budget.bytes -= values.count * (suffixes.count * prefixBytes + suffixBytes)
    guard budget.bytes >= 0 else {
      throw Failure(
        message: "host pattern '\(pattern)' expands to more than \(byteLimit) bytes of names",
        hint: "shorten the names, or make fewer of them")
    }
    var names: [String] = []
    names.reserveCapacity(values.count * suffixes.count)
    for value in values {
      let prefix = head + pad(value, width)
      for suffix in suffixes { names.append(prefix + suffix) }
    }
    return names
  }

  private static func tooMany(_ pattern: String) -> Failure {
    Failure(message: "host pattern '\(pattern)' expands to more than \(limit) hosts")
  }

  /// The values of one range (`01:20`, `a:f`, `0:10:2`) and the zero-padded width, if any.
  private static func rangeValues(_ inside: Substring, pattern: String) throws(Failure)
    -> (values: [String], width: Int?)
  {
    let text = "[\(inside)]"
    let bounds = inside.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard bounds.count == 2 || bounds.count == 3 else {
      throw Failure(
        message: "host range '\(text)' must be begin:end or begin:end:step",
        hint: "e.g. web[01:20] or web[0:10:2]")
    }
    let begin = bounds[0].isEmpty ? "0" : bounds[0]
    let end = bounds[1]
    guard !end.isEmpty else {
      throw Failure(message: "host range '\(text)' must specify an end value")
    }
    var width: Int?
    if begin.first == "0" && begin.count > 1 {
      guard begin.count == end.count else {
        throw Failure(
          message: "zero-padded host range '\(text)' needs a begin and end of the same length",
          hint: "write both bounds with the same number of digits, e.g. web[01:20]")
      }
      width = begin.count
    }
    let stepText = bounds.count == 3 ? bounds[2] : "1"
    guard let step = PythonLiteral.int(stepText) else {
      throw Failure(message: "host range '\(text)' has a step '\(stepText)' that is not a number")
    }
    guard step != 0 else { throw Failure(message: "host range '\(text)' has a step of zero") }
    if let first = index(of: begin), let last = index(of: end) {
      guard first <= last else {
        throw Failure(message: "host range '\(text)' must have begin <= end")
      }
      guard step > 0 else { return ([], width) }
      return (stride(from: first, through: last, by: step).map { String(letters[$0]) }, width)
    }
    guard let low = PythonLiteral.int(begin), let high = PythonLiteral.int(end) else {
      throw Failure(
        message: "host range '\(text)' must have numbers or single letters as bounds",
        hint: "e.g. web[1:20] or node-[a:f]")
    }
    let (upper, overflow) = high.addingReportingOverflow(1)
    guard !overflow else { throw Failure(message: "host range '\(text)' is too large") }
    // Counted while made, not beforehand: a stride's `underestimatedCount` walks the whole
    // stride, which for web[0:99999999999] never ends.
    var out: [String] = []
    for value in stride(from: low, to: upper, by: step) {
      out.append(String(value))
      if out.count > limit {
        throw tooMany(pattern)
      }
    }
    return (out, width)
  }

  /// Where `text` first occurs in `letters` (Python's `str.index`), nil if nowhere.
  private static func index(of text: String) -> Int? {
    let needle = Array(text)
    guard !needle.isEmpty, needle.count <= letters.count else { return nil }
    for start in 0...(letters.count - needle.count)
    where letters[start..<(start + needle.count)].elementsEqual(needle) {
      return start
    }
    return nil
  }

  /// Python's `str(x).zfill(width)`: zeros after any sign.
  private static func pad(_ value: String, _ width: Int?) -> String {
    guard let width, value.count < width else { return value }
    let zeros = String(repeating: "0", count: width - value.count)
    if let sign = value.first, sign == "-" || sign == "+" {
      return String(sign) + zeros + value.dropFirst()
    }
    return zeros + value
  }
}
