import Foundation

/// The parts of an OpenSSH client configuration (`~/.ssh/config`) that haflow honours:
/// `Host` blocks (patterns with `*`, `?` and `!negation`), `Match all`/`host`/`originalhost`,
/// `Include`, and the options `HostName`, `User`, `Port` and `IdentityFile`. As in OpenSSH,
/// the first value found for an option wins, in file order, except `IdentityFile`, whose
/// values accumulate. Other options are ignored.
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
  }

  /// An option line: its keyword (lower case), first argument, and the conditions it is
  /// under (the block's and, for an included file, the including block's).
  struct Directive: Sendable {
    var keyword: String
    var value: String
    var conditions: [Condition]
  }

  /// The options, in file order (included files in place).
  var directives: [Directive] = []
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

  /// What the configuration says for `host` (a name as typed after `ssh`).
  public func settings(for host: String) -> SSHHostSettings {
    resolve(host, user: nil, port: nil)
  }

  /// The effective settings for an inventory host: the configuration is looked up by the
  /// host's address (what `ssh` would be given), and whatever the inventory sets wins — an
  /// address other than the host's name, a user, a port, an `identity_file` var.
  public func settings(for host: InventoryHost) -> SSHHostSettings {
    var settings = resolve(host.address, user: host.user, port: host.port)
    if host.address != host.name { settings.hostName = host.address }
    if case .string(let file)? = host.vars["identity_file"], !file.isEmpty {
      settings.identityFiles = [expandTilde(file)]
    }
    return settings
  }

  /// Walks the directives for `host`; `user` and `port` from the inventory take precedence
  /// and are used in `%r` and `%p`.
  private func resolve(_ given: String, user: String?, port: Int?) -> SSHHostSettings {
    let original = given.lowercased()
    var hostName: String?
    var configUser: String?
    var configPort: Int?
    var identities: [String] = []
    for directive in directives {
      let current = hostName.map { expandHost($0, original) } ?? original
      guard directive.conditions.allSatisfy({ holds($0, original: original, current: current) })
      else { continue }
      switch directive.keyword {
      case "hostname": hostName = hostName ?? directive.value
      case "user": configUser = configUser ?? directive.value
      case "port": configPort = configPort ?? Int(directive.value)
      case "identityfile": identities.append(directive.value)
      default: break
      }
    }
    let finalHost = hostName.map { expandHost($0, original).lowercased() } ?? original
    let finalUser = user ?? configUser
    let finalPort = port ?? configPort
    let tokens: [Character: String] = [
      "d": home, "h": finalHost, "n": original, "p": String(finalPort ?? 22),
      "r": finalUser ?? localUser ?? "", "u": localUser ?? "", "%": "%",
    ]
    return SSHHostSettings(
      hostName: finalHost, user: finalUser, port: finalPort,
      identityFiles: identities.filter { $0.lowercased() != "none" }.map {
        expandTokens(expandTilde(expandEnvironment($0)), tokens)
      })
  }

  private func holds(_ condition: Condition, original: String, current: String) -> Bool {
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
