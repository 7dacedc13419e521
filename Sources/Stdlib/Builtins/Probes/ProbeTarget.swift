/// Where a probe goes: a host name or address and a TCP port, read from `host:port`,
/// `[v6]:port`, or a host and a separate port.
public struct ProbeTarget: Sendable, Equatable {
  /// The name or address, without brackets.
  public var host: String
  /// The port, 1–65535.
  public var port: Int

  /// Makes a target; the caller checked the port.
  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// `host:port` or `[v6]:port` for messages (brackets when the host holds a colon).
  public var display: String { ProbeTarget.join(host, port) }

  /// `host:port`, bracketing an IPv6 address.
  static func join(_ host: String, _ port: Int) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }

  /// Reads `text` (`host:port`, `[v6]:port`, or a bare host when `port` is given). The error
  /// says what is wrong, for an argument error.
  public static func parse(_ text: String, port explicit: Int?) throws(ProbeTargetError)
    -> ProbeTarget
  {
    let trimmed = text.trimmingWhitespace
    guard !trimmed.isEmpty else { throw ProbeTargetError("empty address") }
    var host = trimmed
    var portText: String?
    if trimmed.hasPrefix("[") {
      guard let close = trimmed.firstIndex(of: "]") else {
        throw ProbeTargetError("missing ']' in \(quoted(text))")
      }
      host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
      let rest = trimmed[trimmed.index(after: close)...]
      if rest.hasPrefix(":") {
        portText = String(rest.dropFirst())
      } else if !rest.isEmpty {
        throw ProbeTargetError("unexpected text after ']' in \(quoted(text))")
      }
    } else if let colon = trimmed.lastIndex(of: ":") {
      // One colon: host:port. Several: a bare IPv6 address, which needs a separate port.
      if trimmed.firstIndex(of: ":") == colon {
        host = String(trimmed[..<colon])
        portText = String(trimmed[trimmed.index(after: colon)...])
      }
    }
    guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else {
      throw ProbeTargetError("invalid host in \(quoted(text))")
    }
    if let portText {
      guard explicit == nil else {
        throw ProbeTargetError("\(quoted(text)) already names a port; leave out the port argument")
      }
      guard let port = Int(portText), (1...65535).contains(port) else {
        throw ProbeTargetError("invalid port in \(quoted(text)): expected 1–65535")
      }
      return ProbeTarget(host: host, port: port)
    }
    guard let explicit else {
      throw ProbeTargetError(
        "no port in \(quoted(text)): write host:port, [v6]:port, or pass the port")
    }
    guard (1...65535).contains(explicit) else {
      throw ProbeTargetError("invalid port \(explicit): expected 1–65535")
    }
    return ProbeTarget(host: host, port: explicit)
  }

  private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}

/// Why a probe target could not be read.
public struct ProbeTargetError: Error, Sendable, Equatable {
  /// What is wrong.
  public var message: String
  /// Makes an error.
  public init(_ message: String) { self.message = message }
}

extension String {
  /// Without leading and trailing spaces and tabs.
  fileprivate var trimmingWhitespace: String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let first = firstIndex(where: { !isSpace($0) }),
      let last = lastIndex(where: { !isSpace($0) })
    else { return "" }
    return String(self[first...last])
  }
}
