import Interpreter

/// One `kubeadm join` command as kubeadm printed it, its continuations joined: what a node
/// needs to join, read flag by flag (hand-written commands order flags freely).
public struct KubeadmJoinCommand: Sendable, Equatable {
  /// The words, `kubeadm` and `join` first, as printed.
  public var words: [String]
  /// The API server, `host:port` (`[v6]:port` for IPv6).
  public var endpoint: String
  /// The bootstrap token.
  public var token: String
  /// The CA pins, `sha256:…`, at least one.
  public var caCertHashes: [String]
  /// Whether it joins a control-plane node (`--control-plane`, v1.14's
  /// `--experimental-control-plane`).
  public var isControlPlane: Bool
  /// The key that decrypts the uploaded certificates, when given.
  public var certificateKey: String?

  /// The command on one line, runs of blanks made one space.
  public var line: String { words.joined(separator: " ") }

  /// The command on one line with the token and the certificate key shown as
  /// `<secret bootstrap-token>` and `<secret certificate-key>`.
  public var redactedLine: String { commandValue.displayText }

  /// The command as a command value: the token and the key are secret words, redacted when
  /// shown and passed in clear when run.
  public var commandValue: CommandValue {
    var pieces: [CommandPiece] = []
    for (index, word) in words.enumerated() {
      if index > 0 { pieces.append(.raw(" ")) }
      if word == token || word == "--token=" + token {
        if word != token { pieces.append(.raw("--token=")) }
        pieces.append(.secretWord(Secret(token, label: KubeadmFormats.tokenLabel)))
      } else if let key = certificateKey, word == key || word == "--certificate-key=" + key {
        if word != key { pieces.append(.raw("--certificate-key=")) }
        pieces.append(.secretWord(Secret(key, label: KubeadmFormats.certificateKeyLabel)))
      } else if index < 2 {
        pieces.append(.raw(word))
      } else {
        pieces.append(.word(word))
      }
    }
    return CommandValue(pieces)
  }

  /// Reads the words of one command (`kubeadm join …`); throws naming what is missing or
  /// malformed, never returning part of a join.
  public static func parse(words all: [String]) throws(KubeadmParseError) -> KubeadmJoinCommand {
    var words: [String] = []
    for word in all {
      if [";", "&&", "||", "|", "&"].contains(word) || word.hasPrefix(">") || word.hasPrefix("2>") {
        break
      }
      words.append(word)
    }
    let text = words.joined(separator: " ")
    if text.contains("<value withheld>") || text.contains("<value") {
      throw KubeadmParseError(
        "kubeadm withheld a value of the join command (it ran with --skip-token-print or "
          + "--skip-certificate-key-print): there is nothing to join with")
    }
    if text.contains("<secret") {
      throw KubeadmParseError(
        "the join command was redacted (it holds <secret …>): give the parser the result of the "
          + "kubeadm command itself, whose values the run kept")
    }
    if let placeholder = words.first(where: { $0.contains("<") && $0.contains(">") }) {
      throw KubeadmParseError(
        "the join command holds the placeholder '\(placeholder)', not a value: this is an "
          + "example from the documentation, not what kubeadm printed")
    }
    var endpoint: String?
    var token: String?
    var hashes: [String] = []
    var isControlPlane = false
    var key: String?
    var index = 2
    func value(of flag: String) throws(KubeadmParseError) -> String {
      guard index + 1 < words.count, !words[index + 1].hasPrefix("--") else {
        throw KubeadmParseError(
          "the join command ends at '\(flag)' without its value: it was cut short")
      }
      index += 1
      return words[index]
    }
    while index < words.count {
      let word = words[index]
      let (flag, inline): (String, String?) =
        if word.hasPrefix("--"), let equals = word.firstIndex(of: "=") {
          (String(word[..<equals]), String(word[word.index(after: equals)...]))
        } else {
          (word, nil)
        }
      func argument() throws(KubeadmParseError) -> String {
        if let inline { return inline }
        return try value(of: flag)
      }
      switch flag {
      case "--token": token = try argument()
      case "--discovery-token-ca-cert-hash": hashes.append(try argument())
      case "--control-plane", "--experimental-control-plane": isControlPlane = true
      case "--certificate-key": key = try argument()
      default:
        if !word.hasPrefix("-") {
          guard endpoint == nil else {
            throw KubeadmParseError("unexpected '\(word)' in the join command after its endpoint")
          }
          endpoint = word
        } else if valuedFlags.contains(flag) {
          if inline == nil {
            _ = try value(of: flag)  // another flag's value (`--node-name n1`)
          }
        } else if !otherFlags.contains(flag) {
          throw KubeadmParseError(
            "the join command has '\(word)', which is no flag of kubeadm join: it was cut short "
              + "or mistyped")
        }
      }
      index += 1
    }
    guard let endpoint else {
      throw KubeadmParseError("the join command has no API server endpoint (host:port)")
    }
    guard looksLikeEndpoint(endpoint) else {
      throw KubeadmParseError("the join command's endpoint '\(endpoint)' is not host:port")
    }
    guard let token else { throw KubeadmParseError("the join command has no --token") }
    guard KubeadmFormats.isToken(token) else {
      throw KubeadmParseError(
        "the join command's --token (\(token.count) characters) is not a bootstrap token "
          + "([a-z0-9]{6}.[a-z0-9]{16})")
    }
    guard !hashes.isEmpty else {
      throw KubeadmParseError("the join command has no --discovery-token-ca-cert-hash")
    }
    if let bad = hashes.first(where: { !KubeadmFormats.isDiscoveryHash($0) }) {
      throw KubeadmParseError(
        "the join command's --discovery-token-ca-cert-hash '\(bad)' is not sha256: and 64 hex "
          + "digits")
    }
    if let key {
      guard KubeadmFormats.isCertificateKey(key) else {
        throw KubeadmParseError(
          "the join command's --certificate-key (\(key.count) characters) is not 64 hex digits")
      }
      guard isControlPlane else {
        throw KubeadmParseError("the join command has --certificate-key without --control-plane")
      }
    }
    return KubeadmJoinCommand(
      words: words, endpoint: endpoint, token: token, caCertHashes: hashes,
      isControlPlane: isControlPlane, certificateKey: key)
  }

  /// The flags of `kubeadm join` (v1.13 to v1.33) that take a value, besides those read above.
  static let valuedFlags: Set<String> = [
    "--apiserver-advertise-address", "--apiserver-bind-port", "--config", "--cri-socket",
    "--discovery-file", "--discovery-token", "--ignore-preflight-errors", "--node-name",
    "--patches", "--experimental-patches", "--skip-phases", "--tls-bootstrap-token", "--v", "-v",
    "--rootfs", "--kubeconfig",
  ]

  /// The flags of `kubeadm join` that take none.
  static let otherFlags: Set<String> = [
    "--dry-run", "--discovery-token-unsafe-skip-ca-verification", "--help", "-h",
  ]

  /// Whether `text` is `host:port` or `[v6]:port` with a port from 1 to 65535.
  public static func looksLikeEndpoint(_ text: String) -> Bool {
    let host: Substring
    let port: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else {
        return false
      }
      host = text[text.index(after: text.startIndex)..<close]
      port = text[text.index(close, offsetBy: 2)...]
      guard host.contains(":") else { return false }
    } else {
      guard let colon = text.lastIndex(of: ":") else { return false }
      host = text[..<colon]
      port = text[text.index(after: colon)...]
      guard !host.contains(":") else { return false }
    }
    guard !host.isEmpty, !host.contains(where: { $0 == "/" || $0 == "@" || $0.isWhitespace }),
      !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
      let number = Int(port), (1...65535).contains(number)
    else { return false }
    return true
  }
}

/// Why kubeadm's output could not be read: what is missing or malformed, in words an operator
/// can act on.
public struct KubeadmParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The message.
  public var message: String
  /// Makes an error.
  public init(_ message: String) { self.message = message }
  /// The message.
  public var description: String { message }
}
