#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An IPv4 or IPv6 address, parsed and printed as Go's `net.IP` does.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
  /// 4 or 16 bytes.
  let bytes: [UInt8]

  /// Parses dotted IPv4 or IPv6 text; nil for anything else (names, CIDRs).
  init?(_ text: String) {
    if text.contains(":") {
      var address = in6_addr()
      guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
      bytes = withUnsafeBytes(of: &address) { Array($0) }
    } else {
      var address = in_addr()
      guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
      bytes = withUnsafeBytes(of: &address) { Array($0) }
    }
  }

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// Whether this is an IPv6 address.
  var isIPv6: Bool { bytes.count == 16 }

  var description: String {
    var buffer = [CChar](repeating: 0, count: 64)
    var copy = bytes
    let family = isIPv6 ? AF_INET6 : AF_INET
    let printed = copy.withUnsafeMutableBytes { raw in
      inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
    }
    guard printed != nil else { return "?" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// `host:port` text as kubeadm reads and writes it (IPv6 hosts in brackets).
enum HostPort {
  /// `host:port`, bracketing an IPv6 host.
  static func join(_ host: String, _ port: Int) -> String {
    (host.contains(":") ? "[" + host + "]" : host) + ":" + String(port)
  }

  /// Splits `host[:port]` (`[v6]:port` too); nil for text that is not one.
  static func split(_ text: String) -> (host: String, port: Int?)? {
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]") else { return nil }
      let host = String(text[text.index(after: text.startIndex)..<close])
      let rest = text[text.index(after: close)...]
      if rest.isEmpty { return (host, nil) }
      guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port)
      else { return nil }
      return (host, port)
    }
    if IPAddress(text) != nil { return (text, nil) }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard !text.isEmpty, parts.count <= 2, !parts[0].isEmpty else { return nil }
    if parts.count == 1 { return (text, nil) }
    guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
    return (String(parts[0]), port)
  }
}

/// The first usable address of a subnet, which kubeadm gives the `kubernetes` Service.
enum Subnet {
  /// `10.96.0.1` for `10.96.0.0/12`; nil for text that is not a CIDR. With a dual-stack
  /// list, the first subnet counts.
  static func firstAddress(_ cidrs: String) -> IPAddress? {
    guard let first = cidrs.split(separator: ",").first else { return nil }
    let parts = first.split(separator: "/")
    guard parts.count == 2, let base = IPAddress(String(parts[0])), let bits = Int(parts[1]),
      bits >= 0, bits <= base.bytes.count * 8
    else { return nil }
    var bytes = base.bytes
    for index in bytes.indices {
      let kept = max(0, min(8, bits - index * 8))
      bytes[index] &= kept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
    }
    // Add one, carrying.
    var index = bytes.count - 1
    while index >= 0 {
      let (sum, overflow) = bytes[index].addingReportingOverflow(1)
      bytes[index] = sum
      if !overflow { break }
      index -= 1
    }
    return IPAddress(bytes: bytes)
  }
}

/// RFC 1123 names, as Kubernetes checks node names and SANs.
enum DNSName {
  /// Whether `text` is a lowercase RFC 1123 subdomain (labels of `[a-z0-9-]`, at most 253).
  static func isSubdomain(_ text: String) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 253 else { return false }
    return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
      guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
      let allowed = label.allSatisfy { $0 == "-" || isLowerAlnum($0) }
      return allowed && isLowerAlnum(first) && isLowerAlnum(last)
    }
  }

  /// Like `isSubdomain`, also allowing a leading `*.` label.
  static func isWildcardSubdomain(_ text: String) -> Bool {
    text.hasPrefix("*.") && isSubdomain(String(text.dropFirst(2)))
  }

  private static func isLowerAlnum(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return (0x61...0x7A).contains(ascii) || (0x30...0x39).contains(ascii)
  }
}
