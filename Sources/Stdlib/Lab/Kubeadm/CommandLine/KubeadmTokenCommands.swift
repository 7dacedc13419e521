import Foundation

/// `kubeadm token create|list|delete` and `kubeadm init phase upload-certs --upload-certs`:
/// each talks to the API server named by `--kubeconfig` (default
/// `/etc/kubernetes/admin.conf`), with kubeadm's output (LAB-FIDELITY §3.4, §6.2).
extension KubeadmCommandRunner {
  /// `--kubeconfig`, else admin.conf.
  var kubeconfigPath: String {
    flags.string("kubeconfig").flatMap { $0.isEmpty ? nil : $0 } ?? KubeconfigWriter.path(.admin)
  }

  /// The admin client from `--kubeconfig`; kubeadm's `failed to load admin kubeconfig` when
  /// the file cannot be read.
  func adminClient() throws(KubeadmFailure) -> KubeadmClusterClient {
    let path = kubeconfigPath
    guard context.host.exists(path) else {
      throw KubeadmFailure(
        "failed to load admin kubeconfig: open \(path): \(KubeadmHost.readFailure(path))")
    }
    do throws(KubeAPIError) {
      return try KubeadmClusterClient.fromKubeconfig(path, host: context.host)
    } catch {
      throw KubeadmFailure("failed to load admin kubeconfig: \(error)")
    }
  }

  /// `token create [TOKEN] [--ttl] [--description] [--usages] [--groups]
  /// [--print-join-command [--certificate-key K]]`, in kubeadm's order (token.go): the token's
  /// form, the admin client, then `CreateNewTokens` (a token whose ID exists is an error, not
  /// an update), then the output — so `--certificate-key` without `--print-join-command` fails
  /// only after the token was created, and the key is printed as given, unchecked.
  func tokenCreateRun() throws(KubeadmFailure) {
    try checkMixedArguments()
    let text = flags.arguments.first ?? ""
    if !text.isEmpty, BootstrapToken(text) == nil {
      throw KubeadmFailure(BootstrapToken.formatError(text))
    }
    let key = flags.string("certificate-key") ?? ""
    var spec = BootstrapTokenSpec(token: BootstrapToken(text) ?? BootstrapToken.generate())
    if let ttl = flags.string("ttl") {
      switch GoDuration.parse(ttl) {
      case .success(let seconds): spec.ttl = seconds == 0 ? nil : seconds
      case .failure(let error): throw KubeadmFailure(error.message)
      }
    }
    spec.description = flags.string("description") ?? ""
    if flags.changed("usages") { spec.usages = flags.list("usages") }
    if flags.changed("groups") { spec.groups = flags.list("groups") }
    let admin = try adminClient()
    let secret = BootstrapTokenSecret(spec: spec, now: context.clusterNow())
    let id = spec.token.id
    // kubeadm's Get ignores its error: only a token that is there stops the create.
    if (try? blockingAPI { try await admin.token(id: id) }) != nil {
      throw KubeadmFailure("a token with id \(GoQuote.quote(id)) already exists")
    }
    do throws(KubeAPIError) {
      _ = try blockingAPI { try await admin.createOrUpdateToken(secret) }
    } catch {
      throw KubeadmFailure(
        "failed to create or update bootstrap token with name \(spec.token.secretName): \(error)")
    }
    guard flags.bool("print-join-command") else {
      if !key.isEmpty {
        throw KubeadmFailure("cannot use --certificate-key without --print-join-command")
      }
      output.out(spec.token.description + "\n")
      return
    }
    var endpoint = admin.client.server
    if endpoint.hasPrefix("https://") { endpoint.removeFirst(8) }
    let hash: String
    do {
      // The CA of the kubeconfig's cluster, as `GetJoinWorkerCommand` reads it.
      let file = try KubeconfigFile.load(path: context.host.real(kubeconfigPath))
      hash = try DiscoveryHash.of(
        certificatePEM: String(decoding: file.certificateAuthorityPEM ?? [], as: UTF8.self))
    } catch {
      throw KubeadmFailure("failed to get join command: \(error)")
    }
    let command = JoinCommand(
      endpoint: endpoint, token: spec.token.description, caCertHashes: [hash],
      controlPlane: !key.isEmpty, certificateKey: key.isEmpty ? nil : key)
    output.out(command.singleLine + "\n")
  }

  /// `token list`: kubeadm's table (tabwriter: minwidth 10, tabwidth 4, padding 3).
  func tokenListRun() throws(KubeadmFailure) {
    let admin = try adminClient()
    let tokens: [BootstrapTokenSecret]
    do throws(KubeAPIError) {
      tokens = try blockingAPI { try await admin.tokens() }
    } catch {
      throw KubeadmFailure("failed to list bootstrap tokens: \(error)")
    }
    output.out(TokenListText.render(tokens, now: context.clusterNow()))
  }

  /// `token delete ID|TOKEN…`.
  func tokenDeleteRun() throws(KubeadmFailure) {
    let idPattern = #"\A([a-z0-9]{6})\z"#
    guard !flags.arguments.isEmpty else {
      throw KubeadmFailure(
        "missing argument; 'token delete' is missing token of form \(GoQuote.quote(BootstrapToken.pattern)) or \(GoQuote.quote(idPattern))"
      )
    }
    let admin = try adminClient()
    for argument in flags.arguments {
      let id: String
      if argument.count == 6, argument.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber) })
      {
        id = argument
      } else if let token = BootstrapToken(argument) {
        id = token.id
      } else {
        throw KubeadmFailure(
          "given token didn't match pattern \(GoQuote.quote(idPattern)) or \(GoQuote.quote(BootstrapToken.pattern))"
        )
      }
      do throws(KubeAPIError) {
        try blockingAPI { try await admin.deleteToken(id: id) }
      } catch {
        throw KubeadmFailure("failed to delete bootstrap token \(GoQuote.quote(id)): \(error)")
      }
      output.out("bootstrap token \(GoQuote.quote(id)) deleted\n")
    }
  }

  /// `init phase upload-certs --upload-certs [--certificate-key K]`.
  func uploadCertsPhaseRun(config: InitConfiguration) throws(KubeadmFailure) {
    let key =
      config.certificateKey.isEmpty
      ? CertificateKey.generate()
      : CertificateKey(config.certificateKey) ?? CertificateKey.generate()
    let admin = try adminClient()
    try KubeadmUploadCerts(host: context.host, cluster: config.cluster, now: context.clusterNow)
      .upload(
        client: admin, key: key, printKey: !flags.bool("skip-certificate-key-print"),
        out: { output.out($0 + "\n") })
  }
}

/// `kubeadm token list`'s text: the header, then one row per token, through Go's tabwriter
/// (minwidth 10, tabwidth 4, padding 3, spaces); TTL `%-9s`, USAGES `%-22s`, DESCRIPTION
/// `%-56s` before tabbing; `<forever>`/`<never>` for a token that does not expire, `<none>`
/// for an empty field (LAB-FIDELITY §3.4). No tokens: nothing.
public enum TokenListText {
  /// The table for `tokens` at `now`.
  public static func render(_ tokens: [BootstrapTokenSecret], now: Date) -> String {
    guard !tokens.isEmpty else { return "" }
    var rows = [["TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS"]]
    for token in tokens {
      let ttl =
        token.expiration.map { shortHumanDuration($0.timeIntervalSince(now)) } ?? "<forever>"
      let expires = token.expiration.map(ClusterClock.rfc3339) ?? "<never>"
      // kubeadm sorts the usages it reads back from the Secret.
      let usages = token.usages.isEmpty ? "<none>" : token.usages.sorted().joined(separator: ",")
      let description = token.description.isEmpty ? "<none>" : token.description
      let groups = token.groups.isEmpty ? "<none>" : token.groups.joined(separator: ",")
      rows.append([
        token.token.description, pad(ttl, 9), expires, pad(usages, 22), pad(description, 56),
        groups,
      ])
    }
    return tabwriter(rows)
  }

  /// `%-Ns`.
  static func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  /// Go's tabwriter for rows whose cells but the last end in a tab: each column as wide as
  /// its widest cell plus 3, at least 10.
  static func tabwriter(_ rows: [[String]]) -> String {
    let columns = (rows.map(\.count).max() ?? 1) - 1
    var widths = [Int](repeating: 0, count: max(columns, 0))
    for row in rows {
      for index in 0..<min(columns, row.count - 1) {
        widths[index] = max(widths[index], row[index].count + 3, 10)
      }
    }
    return rows.map { row in
      var line = ""
      for (index, cell) in row.enumerated() {
        line += index < row.count - 1 ? pad(cell, widths[index]) : cell
      }
      return line + "\n"
    }.joined()
  }

  /// apimachinery's `duration.ShortHumanDuration`.
  public static func shortHumanDuration(_ interval: TimeInterval) -> String {
    let seconds = Int(interval)
    if seconds < -1 { return "<invalid>" }
    if seconds < 0 { return "0s" }
    if seconds < 60 { return "\(seconds)s" }
    let minutes = seconds / 60
    if minutes < 60 { return "\(minutes)m" }
    let hours = minutes / 60
    if hours < 24 { return "\(hours)h" }
    if hours < 24 * 365 { return "\(hours / 24)d" }
    return "\(hours / 24 / 365)y"
  }
}
