// Target `ssh-config`: the input is `~/.ssh/config`, read by `SSHConfigParser` as
// `SSHConfig.load` reads a file, then looked up for a few hosts (patterns, `Match`, `%`
// tokens, `${VAR}`, `~`). `Include` is served from memory, never from the disk: the home is
// /fuzz-home, whose .ssh/ holds the input itself (`config`) and two small fixed files, and
// /etc/ssh/ssh_config exists too; globs are matched with fnmatch(3).
//
// With HAFLOW_FUZZ_STRICT=1: what is thrown is an `InventoryError` whose line and column lie
// inside the file it names.

import Lexer

@testable import Inventory

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

private let home = "/fuzz-home"
private let configPath = home + "/.ssh/config"

/// The fixed files beside the input.
private let fixedFiles = [
  home + "/.ssh/config.d/cluster": """
  Host cp? !cp9
    HostName %h.cluster.internal
    User root
    IdentityFile ~/.ssh/cp_%r@%h:%p
  Match originalhost web* host *.example.com
    Port 2222
  """,
  home + "/.ssh/config.d/loop": "Include ~/.ssh/config\nHost *\n  User looped\n",
  "/etc/ssh/ssh_config": "Host *\n  IdentityFile ${HOME}/.ssh/id_ed25519\n",
]

func fuzzSSHConfig(_ text: String) {
  let files = SSHConfigParser.Files(
    glob: { pattern in
      (Array(fixedFiles.keys) + [configPath]).filter {
        fnmatch(pattern, $0, FNM_PATHNAME | FNM_PERIOD) == 0
      }.sorted()
    },
    read: { path in
      if path == configPath { return text }
      if let fixed = fixedFiles[path] { return fixed }
      throw InventoryError(path: path, message: "cannot read the file: it does not exist")
    })
  var config = SSHConfig(environment: ["HOME": home, "USER": "fuzz", "KEYS": "/keys"])
  do {
    try SSHConfigParser.read(
      path: configPath, into: &config, conditions: [], depth: 0, files: files)
  } catch let error as InventoryError {
    blackHole &+= error.description.utf8.count
    if strict {
      let erred = error.path == configPath ? text : fixedFiles[error.path] ?? ""
      checkPlace(error, in: SourceFile(name: error.path, text: erred))
    }
    return
  } catch {
    if strict { violation("threw \(type(of: error)), not an InventoryError", Array(text.utf8)) }
    return
  }
  var total = config.directives.count
  let hosts = [
    InventoryHost(name: "cp1"), InventoryHost(name: "web.example.com", port: 2200, user: "deploy"),
    InventoryHost(name: "db", address: "10.0.0.5", vars: ["identity_file": .string("~/db_key")]),
  ]
  for host in hosts {
    total &+= render(config.settings(for: host))
    total &+= render(config.settings(for: host.name.uppercased()))
  }
  blackHole &+= total
}

private func render(_ settings: SSHHostSettings) -> Int {
  var total = settings.hostName.utf8.count &+ (settings.user?.utf8.count ?? 0)
  total &+= settings.port ?? 0
  for file in settings.identityFiles { total &+= file.utf8.count }
  for file in settings.knownHostsFiles ?? [] { total &+= file.utf8.count }
  total &+= (settings.connectTimeout ?? 0) &+ (settings.serverAliveInterval ?? 0)
  total &+= (settings.proxyJump?.utf8.count ?? 0) &+ (settings.proxyCommand?.utf8.count ?? 0)
  total &+= settings.strictHostKeyChecking?.rawValue.utf8.count ?? 0
  return total
}
