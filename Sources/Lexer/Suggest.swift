/// "did you mean" suggestions by edit distance.
public enum Suggest {
  /// The closest candidate within a small edit distance, if any.
  public static func closest(to name: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    let limit = max(1, min(3, name.count / 3 + 1))
    for candidate in candidates where candidate != name {
      let distance = editDistance(name, candidate)
      if distance <= limit, distance < (best?.1 ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.0
  }

  /// A hint string `did you mean 'x'?` or nil.
  public static func hint(for name: String, among candidates: [String]) -> String? {
    closest(to: name, among: candidates).map { "did you mean '\($0)'?" }
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8)
    let b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
