import Foundation

/// The parts of an OpenSSH client configuration (`~/.ssh/config`) that haflow honours:
/// `Host` blocks (patterns with `*`, `?` and `!negation`), `Match all`/`host`/`originalhost`/
/// `user`/`localuser`, `Include`, and the options in `honoured`. As in OpenSSH, the first
/// value found for an option wins, in file order, except `IdentityFile`, whose values
/// accumulate. Other options are ignored, each with one warning (`warnings`) naming the file
/// and line where it first appears.
public struct SSHConfig: Sendable {
  /// A condition a directive is under: a `Host` line or a `Match` line.
  enum Condition: Sendable {
    /// `Host p1 p2 !p3`: matched against the host as given.
    case host([String])
    /// `Match …`: every criterion must hold.
    case match([MatchCriterion])
  }

  /// One criterion of a `Match` line.
  enum MatchCriterion: Sendable {
    /// `all`, or `final` (haflow reads the file once, as OpenSSH's final pass).
    case always
    /// `canonical` and criteria haflow cannot evaluate (`exec`, `user`, …).
    case never
    /// `host LIST`: the host name after `HostName` so far.
    case host(String, negated: Bool)
    /// `originalhost LIST`: the host as given.
    case originalHost(String, negated: Bool)
    /// `user LIST`: the login user so far (the inventory's, else `User` so far, else the
    /// default user).
    case user(String, negated: Bool)
    /// `localuser LIST`: the user running haflow.
    case localUser(String, negated: Bool)
  }

  /// The options haflow reads (lower case); every other one is ignored with a warning.
  static let honoured: Set<String> = [
    "hostname", "user", "port", "identityfile", "identitiesonly", "userknownhostsfile",
    "stricthostkeychecking", "hashknownhosts", "connecttimeout", "serveraliveinterval",
    "proxyjump", "proxycommand",
  ]

  /// The honoured options as the documentation spells them, for the ignored-option hint.
  static let honouredNames = """
    HostName, User, Port, IdentityFile, IdentitiesOnly, UserKnownHostsFile, \
    StrictHostKeyChecking, HashKnownHosts, ConnectTimeout, ServerAliveInterval, ProxyJump \
    (and refuses ProxyCommand); Host, Match and Include
    """

  /// An option haflow ignores: the warning for its first line, and how many lines use it.
  struct IgnoredOption: Sendable {
    var keyword: String
    var warning: String
    var count: Int
  }

  /// An option line: its keyword (lower case), first argument, and the conditions it is
  /// under (the block's and, for an included file, the including block's).
  struct Directive: Sendable {
    var keyword: String
    var values: [String]
    var conditions: [Condition]
    /// The first argument (every honoured option has at least one).
    var value: String { values.first ?? "" }
  }

  /// The options, in file order (included files in place).
  var directives: [Directive] = []
  /// The ignored options, in the order they first appear.
  var ignored: [IgnoredOption] = []
  /// `$HOME`, for `~` and `%d`.
  var home: String
  /// `$USER`, for `%u` and `%r` without a `User`.
  var localUser: String?
  /// The environment, for `${VAR}` in `IdentityFile`.
  var environment: [String: String]

  /// An empty configuration: every host is reached as named, with no user, port or key.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
    home = environment["HOME"] ?? NSHomeDirectory()
    localUser = environment["USER"] ?? environment["LOGNAME"]
  }

  /// Reads the configuration at `path` (and the files it includes); throws an
  /// `InventoryError` when it cannot be read or an option is malformed.
  public static func load(path: String) throws -> SSHConfig {
    try load(path: path, environment: ProcessInfo.processInfo.environment)
  }

  /// Reads the configuration at `path`, with `environment` giving `HOME` and `USER`.
  public static func load(path: String, environment: [String: String]) throws -> SSHConfig {
    var config = SSHConfig(environment: environment)
    try SSHConfigParser.read(path: path, into: &config, conditions: [], depth: 0)
    return config
  }

  /// Reads `$HOME/.ssh/config`, or returns an empty configuration when there is none.
  public static func loadDefault(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> SSHConfig {
    let config = SSHConfig(environment: environment)
    let path = config.home + "/.ssh/config"
    guard FileManager.default.fileExists(atPath: path) else { return config }
    return try load(path: path, environment: environment)
  }

  /// One warning per ignored option (`ForwardAgent`, `ControlMaster`, …): the file and line
  /// of its first use, and how many other lines use it. Shown once per run.
  public var warnings: [String] {
    ignored.map { option in
      option.count == 1
        ? option.warning
        : option.warning
          + "\n(\(option.count - 1) more line\(option.count == 2 ? "" : "s") with \(option.keyword) ignored too)"
    }
  }

  /// Records an ignored option's line: the first one's warning is kept, later ones counted.
  mutating func noteIgnored(keyword: String, warning: @autoclosure () -> String) {
    if let index = ignored.firstIndex(where: { $0.keyword.lowercased() == keyword.lowercased() }) {
      ignored[index].count += 1
    } else {
      ignored.append(IgnoredOption(keyword: keyword, warning: warning(), count: 1))
    }
  }

  /// `yes`/`true` or `no`/`false`, as OpenSSH reads a flag; nil for anything else.
  static func flag(_ value: String) -> Bool? {
    switch value.lowercased() {
    case "yes", "true": true
    case "no", "false": false
    default: nil
    }
  }

  /// A time as OpenSSH's `convtime` reads it: `30`, `30s`, `5m`, `1h30m` (s, m, h, d, w);
  /// nil when malformed.
  static func seconds(_ value: String) -> Int? {
    var total = 0
    var number: Int?
    for c in value.lowercased() {
      if let digit = c.wholeNumberValue, c.isASCII {
        let (times, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
        guard !overflow, times <= Int(Int32.max) else { return nil }
        number = times + digit
        continue
      }
      let unit: Int
      switch c {
      case "s": unit = 1
      case "m": unit = 60
      case "h": unit = 3600
      case "d": unit = 86_400
      case "w": unit = 604_800
      default: return nil
      }
      guard let n = number else { return nil }
      total += n * unit
      number = nil
      guard total <= Int(Int32.max) else { return nil }
    }
    total += number ?? 0
    return value.isEmpty || total > Int(Int32.max) ? nil : total
  }

  /// What the configuration says for `host` (a name as typed after `ssh`).
  public func settings(for host: String) -> SSHHostSettings {
    resolve(host, user: nil, port: nil)
  }

  /// The effective settings for an inventory host: the configuration is looked up by the
  /// host's address (what `ssh` would be given), and whatever the inventory sets wins — an
  /// address other than the host's name, a user, a port, an `identity_file` var.
  /// `defaultUser` (`-u NAME`) is the login user `Match user` sees when neither the inventory
  /// nor a `User` line set one.
  public func settings(for host: InventoryHost, defaultUser: String? = nil) -> SSHHostSettings {
    var settings = resolve(
      host.address, user: host.user, port: host.port, defaultUser: defaultUser)
    if host.address != host.name { settings.hostName = host.address }
    if case .string(let file)? = host.vars["identity_file"], !file.isEmpty {
      settings.identityFiles = [expandTilde(file)]
    }
    return settings
  }

  /// Walks the directives for `host`; `user` and `port` from the inventory take precedence
  /// and are used in `%r` and `%p`.
  private func resolve(_ given: String, user: String?, port: Int?, defaultUser: String? = nil)
    -> SSHHostSettings
  {
    let original = given.lowercased()
    var found: [String: [String]] = [:]
    var identities: [String] = []
    for directive in directives {
      let current = found["hostname"].map { expandHost($0[0], original) } ?? original
      let loginUser = user ?? found["user"]?[0] ?? defaultUser ?? localUser ?? ""
      guard
        directive.conditions.allSatisfy({
          holds($0, original: original, current: current, user: loginUser)
        })
      else { continue }
      switch directive.keyword {
      case "identityfile": identities.append(directive.value)
      // ProxyJump and ProxyCommand exclude each other, the first one found winning, except
      // that `ProxyJump none` leaves room for a later ProxyCommand (as `ssh -G` shows).
      case "proxyjump":
        if found["proxyjump"] == nil && found["proxycommand"] == nil {
          found["proxyjump"] = directive.values
        }
      case "proxycommand":
        if found["proxycommand"] == nil && (found["proxyjump"]?[0].lowercased() ?? "none") == "none"
        {
          found["proxycommand"] = directive.values
        }
      default: found[directive.keyword] = found[directive.keyword] ?? directive.values
      }
    }
    let finalHost = found["hostname"].map { expandHost($0[0], original).lowercased() } ?? original
    let finalUser = user ?? found["user"]?[0]
    let finalPort = port ?? found["port"].flatMap { Int($0[0]) }
    let tokens: [Character: String] = [
      "d": home, "h": finalHost, "n": original, "p": String(finalPort ?? 22),
      "r": finalUser ?? defaultUser ?? localUser ?? "", "u": localUser ?? "", "%": "%",
    ]
    let path = { (text: String) in self.expandTokens(self.expandTilde(text), tokens) }
    let proxyJump = found["proxyjump"]?[0]
    let proxyCommand = found["proxycommand"]?.joined(separator: " ")
    return SSHHostSettings(
      hostName: finalHost, user: finalUser, port: finalPort,
      identityFiles: identities.filter { $0.lowercased() != "none" }.map {
        expandTokens(expandTilde(expandEnvironment($0)), tokens)
      },
      identitiesOnly: found["identitiesonly"].flatMap { Self.flag($0[0]) },
      knownHostsFiles: found["userknownhostsfile"].map(knownHostsFiles(path)),
      strictHostKeyChecking: found["stricthostkeychecking"].flatMap {
        StrictHostKeyChecking(configValue: $0[0])
      },
      hashKnownHosts: found["hashknownhosts"].flatMap { Self.flag($0[0]) },
      connectTimeout: found["connecttimeout"].flatMap { Self.seconds($0[0]) },
      serverAliveInterval: found["serveraliveinterval"].flatMap { Self.seconds($0[0]) },
      proxyJump: proxyJump?.lowercased() == "none" ? nil : proxyJump,
      proxyCommand: proxyCommand?.lowercased() == "none" ? nil : proxyCommand)
  }

  /// `UserKnownHostsFile` values as paths; `none` names no file, and a list of nothing but
  /// `none` becomes `/dev/null` (keys are checked against nothing and recorded nowhere).
  private func knownHostsFiles(_ path: @escaping (String) -> String) -> ([String]) -> [String] {
    { values in
      let files = values.filter { $0.lowercased() != "none" }.map(path)
      return files.isEmpty ? ["/dev/null"] : files
    }
  }

  private func holds(_ condition: Condition, original: String, current: String, user: String)
    -> Bool
  {
    switch condition {
    case .host(let patterns): return SSHPattern.matchesHostLine(original, patterns)
    case .match(let criteria):
      return criteria.allSatisfy { criterion in
        switch criterion {
        case .always: true
        case .never: false
        case .host(let list, let negated): SSHPattern.matchesList(current, list) != negated
        case .originalHost(let list, let negated):
          SSHPattern.matchesList(original, list) != negated
        case .user(let list, let negated): SSHPattern.matchesList(user, list) != negated
        case .localUser(let list, let negated):
          SSHPattern.matchesList(localUser ?? "", list) != negated
        }
      }
    }
  }
  /// `%h` (the host as given) and `%%` in a `HostName`.
  private func expandHost(_ text: String, _ original: String) -> String {
    expandTokens(text, ["h": original, "%": "%"])
  }

  /// `~` or `~/…` at the start: the home directory.
  func expandTilde(_ path: String) -> String {
    if path == "~" { return home }
    if path.hasPrefix("~/") { return home + path.dropFirst() }
    return path
  }

  /// `%x` tokens from `tokens`; unknown ones are left as written.
  private func expandTokens(_ text: String, _ tokens: [Character: String]) -> String {
    var out = ""
    var iterator = text.makeIterator()
    while let c = iterator.next() {
      guard c == "%", let next = iterator.next() else {
        out.append(c)
        continue
      }
      if let value = tokens[next] {
        out += value
      } else {
        out.append(c)
        out.append(next)
      }
    }
    return out
  }

  /// `${NAME}` from the environment (unset: left as written).
  private func expandEnvironment(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let start = rest.range(of: "${") {
      out += rest[..<start.lowerBound]
      guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
        return out + rest[start.lowerBound...]
      }
      let name = String(rest[start.upperBound..<end])
      out += environment[name] ?? "${\(name)}"
      rest = rest[rest.index(after: end)...]
    }
    return out + rest
  }
}
