import Foundation
import Testing

@testable import Inventory

#if canImport(Glibc)
  import Glibc
#endif

/// haflow's reading of ssh client configurations against OpenSSH's own: for every config of
/// `Fixtures/ssh_config/` and a set of host names, the values `SSHConfig` resolves must be what
/// `ssh -G -F FILE HOST` prints (it resolves the configuration and connects nowhere).
@Suite struct InventorySSHConfigOpenSSHTests {
  /// The corpus.
  static let configs = [
    "basic.conf", "knownhosts.conf", "jump.conf", "match.conf", "include.conf", "ignored.conf",
  ]
  /// The names looked up in each.
  static let hosts = [
    "cp1", "cp2", "cp9", "web1", "bastion", "db.example.com", "lab1", "lab7", "other",
  ]
  /// OpenSSH's identity files when the configuration names none.
  static let defaultIdentities = [
    "id_rsa", "id_ecdsa", "id_ecdsa_sk", "id_ed25519", "id_ed25519_sk", "id_xmss", "id_dsa",
  ]

  /// This user's name and home, as `ssh` finds them (`getpwuid`, not `$HOME`).
  static func account() throws -> (user: String, home: String) {
    let entry = try #require(getpwuid(getuid()))
    return (String(cString: entry.pointee.pw_name), String(cString: entry.pointee.pw_dir))
  }

  /// The corpus copied to a temporary directory, `@DIR@` replaced by its path.
  static func corpus() throws -> InventoryDirectory {
    let directory = try InventoryDirectory()
    let root = try #require(InventoryFixtures.root).appendingPathComponent("ssh_config")
    let files = try #require(FileManager.default.subpaths(atPath: root.path))
    for file in files {
      var isDirectory: ObjCBool = false
      let source = root.appendingPathComponent(file)
      guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      else { continue }
      let text = try String(contentsOf: source, encoding: .utf8)
      _ = try directory.write(
        file, text.replacingOccurrences(of: "@DIR@", with: directory.url.path))
    }
    return directory
  }

  /// What `ssh -G` prints, as keyword → values (one per line of that keyword).
  static func openSSH(_ arguments: [String]) throws -> [String: [String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
    process.arguments = ["-G"] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "ssh -G \(arguments) failed")
    var values: [String: [String]] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard let space = line.firstIndex(of: " ") else { continue }
      values[String(line[..<space]), default: []].append(String(line[line.index(after: space)...]))
    }
    return values
  }

  /// `settings` as `ssh -G` would print them, OpenSSH's defaults filling what is unset.
  static func rendered(
    _ settings: SSHHostSettings, original: String, user localUser: String, home: String
  ) -> [String: [String]] {
    let user = settings.user ?? localUser
    var out: [String: [String]] = [
      "user": [user], "hostname": [settings.hostName], "port": [String(settings.port ?? 22)],
      "identitiesonly": [settings.identitiesOnly == true ? "yes" : "no"],
      "hashknownhosts": [settings.hashKnownHosts == true ? "yes" : "no"],
      "connecttimeout": [settings.connectTimeout.map(String.init) ?? "none"],
      "serveraliveinterval": [String(settings.serverAliveInterval ?? 0)],
      "userknownhostsfile": [
        (settings.knownHostsFiles ?? [home + "/.ssh/known_hosts", home + "/.ssh/known_hosts2"])
          .joined(separator: " ")
      ],
      "identityfile":
        settings.identityFiles.isEmpty
        ? defaultIdentities.map { home + "/.ssh/" + $0 } : settings.identityFiles,
    ]
    let strict: String =
      switch settings.strictHostKeyChecking {
      case .yes?: "true"
      case .no?: "false"
      case .acceptNew?: "accept-new"
      case .ask?, nil: "ask"
      }
    out["stricthostkeychecking"] = [strict]
    if let jump = settings.proxyJump { out["proxyjump"] = [jump] }
    if let command = settings.proxyCommand { out["proxycommand"] = [command] }
    return out
  }

  /// OpenSSH's output for the compared keywords, with `~` and `%` tokens of identity files
  /// expanded (`ssh -G` prints them as written).
  static func comparable(
    _ values: [String: [String]], original: String, user localUser: String, home: String
  ) -> [String: [String]] {
    let keys = [
      "user", "hostname", "port", "identitiesonly", "hashknownhosts", "connecttimeout",
      "serveraliveinterval", "userknownhostsfile", "identityfile", "stricthostkeychecking",
      "proxyjump", "proxycommand",
    ]
    var out = values.filter { keys.contains($0.key) }
    let host = values["hostname"]?.first ?? original
    let user = values["user"]?.first ?? localUser
    let port = values["port"]?.first ?? "22"
    out["identityfile"] = out["identityfile"]?.map { raw in
      var path = raw
      if path.hasPrefix("\""), path.hasSuffix("\""), path.count >= 2 {
        path = String(path.dropFirst().dropLast())
      }
      if path.hasPrefix("~/") { path = home + path.dropFirst() }
      for (token, value) in [
        ("%d", home), ("%h", host), ("%r", user), ("%u", localUser), ("%p", port),
        ("%n", original),
      ] {
        path = path.replacingOccurrences(of: token, with: value)
      }
      return path
    }
    return out
  }

  @Test(arguments: configs)
  func resolvesAsOpenSSH(_ name: String) throws {
    let (user, home) = try Self.account()
    let directory = try Self.corpus()
    let path = directory.url.appendingPathComponent(name).path
    let config = try SSHConfig.load(path: path, environment: ["HOME": home, "USER": user])
    for host in Self.hosts {
      let ours = Self.rendered(config.settings(for: host), original: host, user: user, home: home)
      let theirs = Self.comparable(
        try Self.openSSH(["-F", path, host]), original: host, user: user, home: home)
      for key in Set(ours.keys).union(theirs.keys).sorted() {
        #expect(ours[key] == theirs[key], "\(name), host \(host): \(key)")
      }
    }
  }

  /// An inventory user is what `ssh -l USER` gives: it wins over `User`, and `Match user`
  /// sees it.
  @Test func inventoryUserAsDashL() throws {
    let (user, home) = try Self.account()
    let directory = try Self.corpus()
    for name in ["match.conf", "basic.conf"] {
      let path = directory.url.appendingPathComponent(name).path
      let config = try SSHConfig.load(path: path, environment: ["HOME": home, "USER": user])
      for (host, login) in [("web1", "ops"), ("db.example.com", "ops"), ("cp1", "frontend")] {
        let settings = config.settings(for: InventoryHost(name: host, user: login))
        let ours = Self.rendered(settings, original: host, user: user, home: home)
        let theirs = Self.comparable(
          try Self.openSSH(["-F", path, "-l", login, host]), original: host, user: user,
          home: home)
        for key in Set(ours.keys).union(theirs.keys).sorted() {
          #expect(ours[key] == theirs[key], "\(name), \(login)@\(host): \(key)")
        }
      }
    }
  }

  /// Each ignored option gets one warning naming the file and the line where it first
  /// appears, and how many more lines use it.
  @Test func ignoredOptionsWarnOncePerKeyword() throws {
    let (user, home) = try Self.account()
    let directory = try Self.corpus()
    let path = directory.url.appendingPathComponent("ignored.conf").path
    let config = try SSHConfig.load(path: path, environment: ["HOME": home, "USER": user])
    let warnings = config.warnings
    #expect(warnings.count == 5, "\(warnings)")
    let forward = try #require(warnings.first { $0.contains("ForwardAgent") })
    #expect(forward.contains("ignored.conf:3:"), "\(forward)")
    #expect(forward.contains("1 more line with ForwardAgent ignored too"))
    #expect(warnings.contains { $0.contains("ControlPersist") && $0.contains("ignored.conf:6:") })
    #expect(!warnings.contains { $0.contains("option User") || $0.contains("option Port") })
    #expect(
      config.settings(for: "x") == SSHHostSettings(hostName: "x", user: "everyone", port: 2222))
  }

  /// Malformed values of honoured options are refused with the file and line, as OpenSSH
  /// refuses them.
  @Test func malformedValuesAreRefused() throws {
    let directory = try InventoryDirectory()
    for (line, message) in [
      ("StrictHostKeyChecking maybe", "expected yes, accept-new, no or ask"),
      ("IdentitiesOnly sometimes", "expected yes or no"),
      ("ConnectTimeout soon", "expected a number of seconds"),
      ("HashKnownHosts 2", "expected yes or no"),
    ] {
      let path = try directory.write("bad.conf", "Host *\n  \(line)\n")
      #expect {
        _ = try SSHConfig.load(path: path, environment: ["HOME": "/h", "USER": "me"])
      } throws: { error in
        "\(error)".contains(message) && "\(error)".contains("bad.conf:2")
      }
    }
  }
}
