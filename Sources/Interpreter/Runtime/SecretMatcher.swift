/// Finds every secret value in a text in one pass and replaces it with its redacted form.
///
/// An Aho–Corasick automaton compiled to a table-driven DFA over UTF-8 bytes: each byte of
/// the text costs one table load, however many secrets there are. Bytes that occur in no
/// secret share one column of the table, so it stays small (states × distinct bytes).
/// Overlapping or nested occurrences are replaced by one redacted form.
///
/// A value type holding one reference: handing the matcher to each line costs one retain.
public struct SecretMatcher: Sendable {
  /// The compiled automaton; nil when there are no secrets.
  private let automaton: Automaton?

  /// No secrets: `redact` returns its input.
  public static let empty = SecretMatcher([])

  /// Whether there is nothing to find.
  public var isEmpty: Bool { automaton == nil }

  /// Compiles the automaton for `patterns` (empty values are left out).
  public init(_ patterns: [(value: String, replacement: String)]) {
    let kept = patterns.filter { !$0.value.isEmpty }
    automaton = kept.isEmpty ? nil : Automaton(kept)
  }

  /// `text` with every occurrence of a secret replaced by its redacted form; `text` itself
  /// when none occurs.
  public func redact(_ text: String) -> String {
    guard let automaton, !text.isEmpty else { return text }
    return automaton.redact(text)
  }

  /// Whether a secret occurs in `text`.
  public func occurs(in text: String) -> Bool {
    guard let automaton, !text.isEmpty else { return false }
    var copy = text
    return copy.withUTF8 { !automaton.occurrences(in: $0, stopAtFirst: true).isEmpty }
  }
}

/// The tables of a `SecretMatcher`, built once and only read after.
private final class Automaton: Sendable {
  /// The column of each byte; 0 for bytes that occur in no secret.
  private let column: [Int32]
  /// Columns per state.
  private let width: Int
  /// `next[state + column]` is the next state, as an offset (`index * width`). States at or
  /// after `firstMatching` end an occurrence.
  private let next: [Int32]
  private let firstMatching: Int32
  /// Per state (by index): the length in bytes of the longest secret ending there, and which.
  private let matchLength: [Int32]
  private let matchPattern: [Int32]
  /// The redacted form of each pattern.
  private let replacements: [String]

  init(_ kept: [(value: String, replacement: String)]) {
    replacements = kept.map(\.replacement)
    var column = [Int32](repeating: 0, count: 256)
    var columns: Int32 = 1
    for pattern in kept {
      for byte in pattern.value.utf8 where column[Int(byte)] == 0 {
        column[Int(byte)] = columns
        columns += 1
      }
    }
    let width = Int(columns)
    // The trie: -1 where there is no edge yet.
    var edges = [Int32](repeating: -1, count: width)
    var length: [Int32] = [0]
    var which: [Int32] = [-1]
    for (index, pattern) in kept.enumerated() {
      var state = 0
      for byte in pattern.value.utf8 {
        let slot = state * width + Int(column[Int(byte)])
        if edges[slot] < 0 {
          edges[slot] = Int32(length.count)
          edges += repeatElement(-1, count: width)
          length.append(0)
          which.append(-1)
        }
        state = Int(edges[slot])
      }
      if which[state] < 0 {
        length[state] = Int32(pattern.value.utf8.count)
        which[state] = Int32(index)
      }
    }
    // Breadth first: failure links, missing edges filled from them, and each state's longest
    // match (its own, or the one its failure link ends).
    let count = length.count
    var failure = [Int](repeating: 0, count: count)
    var queue: [Int] = []
    queue.reserveCapacity(count)
    for c in 0..<width {
      let child = edges[c]
      if child < 0 {
        edges[c] = 0
      } else {
        queue.append(Int(child))
      }
    }
    var head = 0
    while head < queue.count {
      let state = queue[head]
      head += 1
      if which[state] < 0 {
        length[state] = length[failure[state]]
        which[state] = which[failure[state]]
      }
      for c in 0..<width {
        let slot = state * width + c
        let fallback = edges[failure[state] * width + c]
        if edges[slot] < 0 {
          edges[slot] = fallback
        } else {
          let child = Int(edges[slot])
          failure[child] = Int(fallback)
          queue.append(child)
        }
      }
    }
    // Renumber so that matching states come last: the scan tests one bound per byte.
    var order = (0..<count).filter { which[$0] < 0 }
    let firstMatching = order.count
    order += (0..<count).filter { which[$0] >= 0 }
    var newIndex = [Int32](repeating: 0, count: count)
    for (new, old) in order.enumerated() { newIndex[old] = Int32(new) }
    var next = [Int32](repeating: 0, count: count * width)
    for (new, old) in order.enumerated() {
      for c in 0..<width {
        next[new * width + c] = newIndex[Int(edges[old * width + c])] * Int32(width)
      }
    }
    self.column = column
    self.width = width
    self.next = next
    self.firstMatching = Int32(firstMatching * width)
    self.matchLength = order.map { length[$0] }
    self.matchPattern = order.map { which[$0] }
  }

  func redact(_ text: String) -> String {
    var copy = text
    return copy.withUTF8 { bytes in
      let found = occurrences(in: bytes)
      if found.isEmpty { return text }
      var out: [UInt8] = []
      out.reserveCapacity(bytes.count)
      var position = 0
      for occurrence in found {
        out.append(contentsOf: bytes[position..<occurrence.start])
        out.append(contentsOf: replacements[occurrence.pattern].utf8)
        position = occurrence.end
      }
      out.append(contentsOf: bytes[position...])
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// One stretch of text to replace: occurrences that overlap are merged.
  struct Occurrence {
    var start: Int
    var end: Int
    var pattern: Int
  }

  /// The stretches to replace, in order, not overlapping.
  func occurrences(in bytes: UnsafeBufferPointer<UInt8>, stopAtFirst: Bool = false)
    -> [Occurrence]
  {
    var found: [Occurrence] = []
    column.withUnsafeBufferPointer { column in
      next.withUnsafeBufferPointer { next in
        let bound = firstMatching
        let width = Int32(width)
        var state: Int32 = 0
        for index in 0..<bytes.count {
          state = next[Int(state + column[Int(bytes[index])])]
          guard state >= bound else { continue }
          let match = Int(state / width)
          let end = index + 1
          var start = end - Int(matchLength[match])
          // Ends only grow, so an occurrence overlapping earlier ones absorbs them.
          while let last = found.last, start < last.end {
            start = min(start, last.start)
            found.removeLast()
          }
          found.append(Occurrence(start: start, end: end, pattern: Int(matchPattern[match])))
          if stopAtFirst { return }
        }
      }
    }
    return found
  }
}
