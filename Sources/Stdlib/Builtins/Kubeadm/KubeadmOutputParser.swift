/// What `kubeadm init` printed that a playbook needs to join nodes.
public struct KubeadmInitOutput: Sendable, Equatable {
  /// The API server, `host:port`.
  public var endpoint: String
  /// The bootstrap token.
  public var token: String
  /// The first CA pin, `sha256:…`.
  public var discoveryTokenCACertHash: String
  /// The certificate key (`--upload-certs`), nil without one.
  public var certificateKey: String?
  /// The control-plane join, nil when kubeadm printed none (no `controlPlaneEndpoint`).
  public var controlPlaneJoin: KubeadmJoinCommand?
  /// The worker join, which kubeadm always prints last.
  public var workerJoin: KubeadmJoinCommand
}

/// Reads what kubeadm printed, in every layout it has used since v1.13 (VERSIONS.md in the
/// kubeadm reference): one-line joins, `\`-continued joins indented with tabs, 4 or 8 spaces,
/// other tools' prefixes on every line, text before and after. Whatever is missing or cut
/// short is an error naming it; no result is ever part of a join.
public enum KubeadmOutputParser {
  /// At most this many continuation lines make one command.
  static let maximumContinuations = 32

  /// The join commands and certificate key of `kubeadm init`'s output.
  public static func parseInit(_ text: String) throws(KubeadmParseError) -> KubeadmInitOutput {
    let lines = split(text)
    let joins = try findJoins(lines)
    try checkHeadingsHaveCommands(lines, joins: joins)
    guard let first = joins.first else { throw noJoin(lines, what: "kubeadm init") }
    let controlPlane = joins.first(where: { $0.command.isControlPlane })
    let after = controlPlane?.line ?? first.line
    guard
      let worker = joins.first(where: { !$0.command.isControlPlane && $0.line >= after })
        ?? joins.first(where: { !$0.command.isControlPlane })
    else {
      throw KubeadmParseError(
        "the output has a control-plane join but no worker join: kubeadm init prints the "
          + "worker join last, so the output was cut short")
    }
    if let controlPlane = controlPlane?.command {
      let w = worker.command
      for (name, same) in [
        ("endpoint", controlPlane.endpoint == w.endpoint),
        ("token", controlPlane.token == w.token),
        ("CA cert hash", controlPlane.caCertHashes == w.caCertHashes),
      ] where !same {
        throw KubeadmParseError(
          "the control-plane and worker join commands have different \(name)s: the text holds "
            + "the output of more than one kubeadm init")
      }
    }
    let key = controlPlane?.command.certificateKey ?? (try? parseUploadCerts(lines))
    return KubeadmInitOutput(
      endpoint: worker.command.endpoint, token: worker.command.token,
      discoveryTokenCACertHash: worker.command.caCertHashes[0].lowercased(),
      certificateKey: key, controlPlaneJoin: controlPlane?.command, workerJoin: worker.command)
  }

  /// The first join command in `text` (`kubeadm token create --print-join-command`).
  public static func parseJoinCommand(_ text: String) throws(KubeadmParseError)
    -> KubeadmJoinCommand
  {
    let lines = split(text)
    guard let first = try findJoins(lines).first else {
      throw noJoin(lines, what: "kubeadm token create --print-join-command")
    }
    return first.command
  }

  /// The certificate key `kubeadm init phase upload-certs --upload-certs` printed on the line
  /// after `[upload-certs] Using certificate key:` (or the bare key `kubeadm certs
  /// certificate-key` prints).
  public static func parseUploadCerts(_ text: String) throws(KubeadmParseError) -> String {
    try parseUploadCerts(split(text))
  }

  static func parseUploadCerts(_ lines: [Substring]) throws(KubeadmParseError) -> String {
    let marker = "Using certificate key:"
    if let index = lines.firstIndex(where: { $0.contains(marker) }) {
      guard index + 1 < lines.count else {
        throw KubeadmParseError(
          "the output ends after '\(marker)' without the key: it was cut short")
      }
      let prefix = toolPrefix(of: lines[index], before: "[upload-certs]")
      var next = lines[index + 1]
      if !prefix.isEmpty, next.hasPrefix(prefix) { next = next.dropFirst(prefix.count) }
      let candidate = next.kubeadmTrimmed(" \t")
      guard KubeadmFormats.isCertificateKey(candidate) else {
        throw KubeadmParseError(
          "the line after '\(marker)' is not a certificate key (64 hex digits)"
            + (candidate.contains("withheld")
              ? ": kubeadm ran with --skip-certificate-key-print" : ""))
      }
      return candidate
    }
    if let bare = lines.first(where: {
      KubeadmFormats.isCertificateKey($0.kubeadmTrimmed(" \t"))
    }) {
      return bare.kubeadmTrimmed(" \t")
    }
    if lines.contains(where: { $0.contains("[upload-certs] Skipping phase") }) {
      throw KubeadmParseError(
        "kubeadm skipped the upload-certs phase: run it with --upload-certs to get a certificate key"
      )
    }
    throw KubeadmParseError(
      "no certificate key: expected '[upload-certs] Using certificate key:' and the key on the "
        + "next line (kubeadm init phase upload-certs --upload-certs prints them)")
  }

  /// A join command found in the text, with the line it starts on.
  struct Found {
    var line: Int
    var command: KubeadmJoinCommand
  }

  /// The lines of `text`, carriage returns dropped.
  static func split(_ text: String) -> [Substring] {
    // "\r\n" is one Character: split on both.
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map { line in line.last == "\r" ? line.dropLast() : line }
  }

  /// Every `kubeadm join` command, its continuation lines joined; throws for the first one
  /// that is malformed or cut short.
  static func findJoins(_ lines: [Substring]) throws(KubeadmParseError) -> [Found] {
    var found: [Found] = []
    var index = 0
    while index < lines.count {
      guard let start = joinStart(in: lines[index]) else {
        index += 1
        continue
      }
      let first = index
      let prefix = String(lines[index][..<start]).kubeadmTrimmed(" \t")
      var text = String(lines[index][start...])
      var continuations = 0
      while let body = continued(text) {
        index += 1
        continuations += 1
        guard index < lines.count, continuations <= maximumContinuations else {
          throw KubeadmParseError(
            "the join command on line \(first + 1) ends with '\\' and nothing after it: the "
              + "output was cut short")
        }
        var next = lines[index]
        if !prefix.isEmpty, next.hasPrefix(prefix) { next = next.dropFirst(prefix.count) }
        guard !next.kubeadmTrimmed(" \t").isEmpty else {
          throw KubeadmParseError(
            "the join command on line \(first + 1) continues onto a blank line: the output was "
              + "cut short")
        }
        text = body + " " + next
      }
      let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
      do {
        found.append(Found(line: first, command: try KubeadmJoinCommand.parse(words: words)))
      } catch {
        throw KubeadmParseError("line \(first + 1): \(error.message)")
      }
      index += 1
    }
    return found
  }

  /// Where `kubeadm join` starts in a line, as a command (after a blank, a prompt or a path),
  /// not inside quotes.
  static func joinStart(in line: Substring) -> Substring.Index? {
    var search = line[...]
    while let range = search.firstRange(of: "kubeadm join") {
      let before =
        range.lowerBound == line.startIndex ? nil : line[line.index(before: range.lowerBound)]
      let after = range.upperBound == line.endIndex ? nil : line[range.upperBound]
      let startsCommand = before == nil || before == " " || before == "\t" || before == "/"
      let endsWord = after == nil || after == " " || after == "\t"
      if startsCommand && endsWord {
        // `/usr/bin/kubeadm join`: the command starts at the path.
        var begin = range.lowerBound
        while begin > line.startIndex, !" \t".contains(line[line.index(before: begin)]) {
          begin = line.index(before: begin)
        }
        return begin
      }
      search = line[range.upperBound...]
    }
    return nil
  }

  /// The text without its trailing `\` when it ends with one (blanks after it allowed).
  static func continued(_ text: String) -> String? {
    let trimmed = text.kubeadmTrimmedTrailing(" \t")
    guard trimmed.hasSuffix("\\") else { return nil }
    return String(trimmed.dropLast())
  }

  /// What another tool put before kubeadm's text on a line (`172.16.0.5:22: `).
  static func toolPrefix(of line: Substring, before marker: String) -> String {
    guard let range = line.firstRange(of: marker) else { return "" }
    return String(line[..<range.lowerBound])
  }

  /// Each heading kubeadm prints above a join command must have its command before the next
  /// heading: a heading without one means the text was cut short.
  static func checkHeadingsHaveCommands(_ lines: [Substring], joins: [Found])
    throws(KubeadmParseError)
  {
    let headings = lines.indices.filter { index in
      lines[index].contains("You can now join any number of")
        || lines[index].contains("Then you can join any number of worker nodes")
    }
    for (position, heading) in headings.enumerated() {
      let end = position + 1 < headings.count ? headings[position + 1] : lines.count
      let text = lines[heading].kubeadmTrimmed(" \t")
      guard let join = joins.first(where: { $0.line > heading && $0.line < end }) else {
        throw KubeadmParseError(
          "the output stops after '\(text)' without its join command: it was cut short")
      }
      if text.contains("control-plane"), !join.command.isControlPlane {
        throw KubeadmParseError(
          "the join command after '\(text)' has no --control-plane: it was cut short")
      }
    }
  }

  /// The error for text without a join command, saying what the text is instead.
  static func noJoin(_ lines: [Substring], what: String) -> KubeadmParseError {
    if let failure = lines.first(where: {
      $0.contains("error execution phase") || $0.contains("can not mix")
    }) {
      return KubeadmParseError(
        "no join command: \(what) failed: \(failure.kubeadmTrimmed(" \t"))")
    }
    if lines.contains(where: { $0.contains("has initialized successfully") }) {
      return KubeadmParseError(
        "no join command: the init succeeded but its join commands are not in the text (cut "
          + "short, or run with --skip-phases=show-join-command?)")
    }
    return KubeadmParseError(
      "no join command: expected 'kubeadm join <host:port> --token … "
        + "--discovery-token-ca-cert-hash sha256:…' in the output of \(what)")
  }
}

extension StringProtocol {
  /// The text without leading and trailing characters of `set`.
  func kubeadmTrimmed(_ set: String) -> String {
    guard let first = firstIndex(where: { !set.contains($0) }),
      let last = lastIndex(where: { !set.contains($0) })
    else { return "" }
    return String(self[first...last])
  }

  /// The text without trailing characters of `set`.
  func kubeadmTrimmedTrailing(_ set: String) -> String {
    guard let last = lastIndex(where: { !set.contains($0) }) else { return "" }
    return String(self[...last])
  }
}
