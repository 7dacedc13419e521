#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Ansible host patterns: a name or address with an optional `:port` (`[v6]:port` for IPv6),
/// and `[begin:end]` / `[begin:end:step]` ranges, numeric (`web[01:20]`, zero-padded when
/// `begin` starts with 0) or alphabetic (`node-[a:f]`). Mirrors `_expand_hostpattern`,
/// `parse_address` and `expand_hostname_range` of ansible-core.
enum HostPattern {
  /// Why a pattern cannot be expanded.
  struct Failure: Error {
    /// The message.
    var message: String
    /// A hint, if any.
    var hint: String?
  }

  /// The most hosts one pattern may expand to.
  static let limit = 100_000
  /// The most bytes of names one pattern may make (100000 names of 100 bytes).
  static let byteLimit = 10_000_000

  /// The host names of a pattern and the port it gives them, if any.
  static func expand(_ pattern: String) throws(Failure) -> (names: [String], port: Int?) {
    let (host, port) = splitPort(pattern)
    var budget = Budget()
    let names = try expandRanges(host, pattern: pattern, budget: &budget)
    return (names, port)
  }

  /// Splits a trailing `:port` off a valid host, IPv4 or IPv6 pattern (IPv6 only in
  /// brackets: `[::1]:22`). Anything else is returned whole, without a port, as Ansible does.
  static func splitPort(_ pattern: String) -> (host: String, port: Int?) {
    var address = Substring(pattern)
    var port: Int?
    if address.first == "[", let (inner, number) = trailingPort(address),
      inner.count >= 3, inner.last == "]"
    {
      address = inner.dropFirst().dropLast()
      port = number
    }
    if let (host, number) = trailingPort(address), isRangedHostPart(host) {
      address = host
      port = number
    }
    guard isHostname(address) || isIPv6(address) else { return (pattern, nil) }
    return (String(address), port)
  }

  /// `text` without a final `:DIGITS`, and the number (a huge one becomes `Int.max`).
  private static func trailingPort(_ text: Substring) -> (Substring, Int)? {
    let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
    guard !digits.isEmpty else { return nil }
    let head = text.dropLast(digits.count)
    guard head.last == ":" else { return nil }
    return (head.dropLast(), Int(String(digits.reversed())) ?? Int.max)
  }

  /// `(?:[^:\[\]]|\[[^\]]*\])*`: no `:`, `[` or `]` outside complete bracket groups.
  private static func isRangedHostPart(_ text: Substring) -> Bool {
    var index = text.startIndex
    while index < text.endIndex {
      let c = text[index]
      if c == "[" {
        guard let close = text[index...].firstIndex(of: "]") else { return false }
        index = text.index(after: close)
        continue
      }
      if c == ":" || c == "]" { return false }
      index = text.index(after: index)
    }
    return true
  }

  /// A host name, possibly with alphanumeric ranges: dot-separated labels of word characters
  /// and `-`, each starting with a word character and not ending with `-` or `_`.
  static func isHostname(_ text: Substring) -> Bool {
    guard !text.isEmpty else { return false }
    return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel)
  }

  private static func isLabel(_ label: Substring) -> Bool {
    var index = label.startIndex
    var first = true
    var last: Character?
    while index < label.endIndex {
      let c = label[index]
      if c == "[" {
        guard let close = label[index...].firstIndex(of: "]"),
          isRange(label[label.index(after: index)..<close], hex: false)
        else { return false }
        index = label.index(after: close)
        last = "]"
      } else {
        guard isWordCharacter(c) || (c == "-" && !first) else { return false }
        index = label.index(after: index)
        last = c
      }
      first = false
    }
    return last != nil && last != "-" && last != "_"
  }

  /// Python's `\w`: letters, digits and `_`.
  private static func isWordCharacter(_ c: Character) -> Bool {
    c == "_" || c.isLetter || c.isNumber
  }

  /// The inside of a range in an address: `a:z` or `1:20` (`hex`: `0a:ff`), then `:step`.
  private static func isRange(_ text: Substring, hex: Bool) -> Bool {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3 else { return false }
    if parts.count == 3, !isDigits(parts[2]) { return false }
    let bounds = parts.prefix(2)
    if hex { return bounds.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isHexDigit) } }
    if bounds.allSatisfy(isDigits) { return true }
    return bounds.allSatisfy {
      $0.count == 1 && ($0.first?.isASCII ?? false) && $0.first?.isLetter ?? false
    }
  }

  private static func isDigits(_ text: Substring) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// An IPv6 address, where hexadecimal ranges may stand for groups.
  static func isIPv6(_ text: Substring) -> Bool {
    var plain = ""
    var index = text.startIndex
    while index < text.endIndex {
      let c = text[index]
      if c == "[" {
        guard let close = text[index...].firstIndex(of: "]"),
          isRange(text[text.index(after: index)..<close], hex: true)
        else { return false }
        plain += "0"
        index = text.index(after: close)
      } else {
        plain.append(c)
        index = text.index(after: index)
      }
    }
    guard plain.contains(":") else { return false }
    var buffer = in6_addr()
    return inet_pton(AF_INET6, plain, &buffer) == 1
  }
}
