/// OpenSSH host patterns (`match_pattern`): `*` matches any run of characters, `?` exactly
/// one; everything else matches itself, case-sensitively.
enum SSHPattern {
  /// Whether `text` matches `pattern` as a whole.
  static func matches(_ text: String, _ pattern: String) -> Bool {
    let t = Array(text.unicodeScalars)
    let p = Array(pattern.unicodeScalars)
    var ti = 0
    var pi = 0
    var star: Int?
    var resume = 0
    while ti < t.count {
      if pi < p.count, p[pi] == "*" {
        star = pi
        resume = ti
        pi += 1
      } else if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
        ti += 1
        pi += 1
      } else if let star {
        pi = star + 1
        resume += 1
        ti = resume
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }

  /// A `Host` line: true when some pattern matches and no `!pattern` does.
  static func matchesHostLine(_ host: String, _ patterns: [String]) -> Bool {
    var matched = false
    for pattern in patterns {
      if pattern.hasPrefix("!") {
        if matches(host, String(pattern.dropFirst())) { return false }
      } else if matches(host, pattern) {
        matched = true
      }
    }
    return matched
  }

  /// A comma-separated list (`Match host a,b,!c`): true when some entry matches and no
  /// negated one does.
  static func matchesList(_ host: String, _ list: String) -> Bool {
    matchesHostLine(host, list.split(separator: ",").map(String.init))
  }
}
