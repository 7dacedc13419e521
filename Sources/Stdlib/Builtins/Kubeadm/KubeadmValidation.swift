/// Checks of the values a kubeadm recipe is given, shared by the module's built-ins and the
/// checks that run before anything else.
public enum KubeadmValidation {
  /// Whether `text` is an IPv4 or IPv6 CIDR (`10.244.0.0/16`, `fd00:10:244::/56`), or several
  /// separated by commas (dual stack).
  public static func isCIDR(_ text: String) -> Bool {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    return !parts.isEmpty && parts.count <= 2 && parts.allSatisfy(isOneCIDR)
  }

  private static func isOneCIDR(_ text: Substring) -> Bool {
    let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
    guard pieces.count == 2, !pieces[1].isEmpty, pieces[1].count <= 3,
      pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }), let bits = Int(pieces[1])
    else { return false }
    if isIPv4(pieces[0]) { return bits <= 32 }
    if isIPv6(pieces[0]) { return bits <= 128 }
    return false
  }

  /// Whether `text` is a dotted IPv4 address.
  public static func isIPv4(_ text: Substring) -> Bool {
    let octets = text.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4
      && octets.allSatisfy { octet in
        !octet.isEmpty && octet.count <= 3 && octet.allSatisfy { $0.isASCII && $0.isNumber }
          && Int(octet).map { $0 <= 255 } == true
      }
  }

  /// Whether `text` is an IPv6 address (groups of hex, one `::` at most).
  public static func isIPv6(_ text: Substring) -> Bool {
    guard text.contains(":"), text.count <= 45 else { return false }
    let halves = text.components(separatedByString: "::")
    guard halves.count <= 2 else { return false }
    var groups = 0
    for half in halves where !half.isEmpty {
      for group in half.split(separator: ":", omittingEmptySubsequences: false) {
        guard !group.isEmpty, group.count <= 4, group.allSatisfy(\.isHexDigit) else {
          return false
        }
        groups += 1
      }
    }
    return halves.count == 2 ? groups < 8 : groups == 8
  }

  /// Whether `text` is an endpoint kubeadm takes for `controlPlaneEndpoint`: `host:port`, or a
  /// host alone (kubeadm adds the API server's port).
  public static func isControlPlaneEndpoint(_ text: String) -> Bool {
    if KubeadmJoinCommand.looksLikeEndpoint(text) { return true }
    return !text.isEmpty && !text.contains(":") && !text.contains("/")
      && !text.contains(where: \.isWhitespace)
  }
}

extension Substring {
  /// The pieces between occurrences of `separator` (a string of more than one character).
  fileprivate func components(separatedByString separator: String) -> [Substring] {
    var pieces: [Substring] = []
    var rest = self
    while let range = rest.firstRange(of: separator) {
      pieces.append(rest[..<range.lowerBound])
      rest = rest[range.upperBound...]
    }
    pieces.append(rest)
    return pieces
  }
}
