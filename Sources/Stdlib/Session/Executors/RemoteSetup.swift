import Foundation
import Interpreter
import Inventory
import Remote

import struct Interpreter.Host

/// Everything a command needs to reach the hosts of an inventory: the inventory (with
/// `~/.ssh/config` applied) and the SSH settings. The CLI's `run`, `exec`, `repl` and `debug`
/// build one from their flags.
public struct RemoteSetup: Sendable {
  /// The hosts, each with the address, port, user and identity file it will be reached by.
  public var inventory: Inventory
  /// Host-key policy, credentials, timeouts.
  public var configuration: SSHConfiguration
  /// Inventory warnings, rendered with their places.
  public var warnings: [String]
  /// The sudo password for every sudo of the run that brings none (`--ask-become-pass`,
  /// `--become-password-file`); a secret, never shown.
  public var becomePassword: Secret?

  /// Makes a setup from parts already loaded.
  public init(inventory: Inventory, configuration: SSHConfiguration, warnings: [String] = []) {
    self.inventory = inventory
    self.configuration = configuration
    self.warnings = warnings
  }

  /// Loads the inventory at `inventoryPath` (none: no hosts but the implicit `localhost`),
  /// applies the SSH client configuration (`sshConfigPath`, else `$HOME/.ssh/config` when it
  /// exists) to every SSH host, and starts `configuration` from the environment. The login
  /// user of a host is the inventory's, else the configuration's `User`, else `defaultUser`
  /// (`-u NAME`), else `$USER`. `jump` (`--jump HOST`) is the jump host of every host that
  /// neither the inventory nor the ssh config sends through one. Throws an `InventoryError`
  /// naming the file and place; the configuration's ignored options become warnings.
  public static func load(
    inventoryPath: String?, sshConfigPath: String? = nil, defaultUser: String? = nil,
    jump: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RemoteSetup {
    var warnings: [String] = []
    var loaded = HostInventory()
    if let inventoryPath {
      loaded = try InventoryLoader.load(path: inventoryPath, warnings: &warnings)
    }
    let sshConfig =
      try sshConfigPath.map { try SSHConfig.load(path: $0, environment: environment) }
      ?? SSHConfig.loadDefault(environment: environment)
    var configuration = SSHConfiguration(environment: environment)
    if let defaultUser { configuration.defaultUser = defaultUser }
    for host in loaded.hosts where host.connection != .local {
      let settings = sshConfig.settings(for: host, defaultUser: configuration.defaultUser)
      var options = options(settings)
      if let proxy = InventoryProxy.of(host) {
        if let jump = proxy.jump {
          options.proxyJump = jump.lowercased() == "none" ? nil : jump
          if options.proxyJump != nil { options.proxyCommand = nil }
        }
        if let command = proxy.command, options.proxyJump == nil {
          options.proxyCommand = command.lowercased() == "none" ? nil : command
        }
      }
      // `--jump`: for hosts nothing else sends through a jump host (not the jump host itself).
      if let jump, options.proxyJump == nil, options.proxyCommand == nil,
        (try? JumpSpec.parse(jump)).map({ ![host.name, host.address].contains($0.host) }) ?? true
      {
        options.proxyJump = jump
      }
      configuration.hostOptions[host.name] = options
    }
    resolveJumpHosts(sshConfig, into: &configuration)
    loaded.hosts = loaded.hosts.map {
      applying(sshConfig, to: $0, defaultUser: configuration.defaultUser)
    }
    return RemoteSetup(
      inventory: InventoryBridge.inventory(loaded), configuration: configuration,
      warnings: warnings + sshConfig.warnings)
  }

  /// Resolves every jump host the hosts name (`ProxyJump`, each hop of a chain) through the ssh client
  /// configuration, as `ssh` resolves a jump host: its HostName, User, Port and options; the
  /// user and port written in `ProxyJump` win. A value that cannot be parsed is left for the
  /// connection to refuse with its reason.
  public static func resolveJumpHosts(
    _ sshConfig: SSHConfig, into configuration: inout SSHConfiguration
  ) {
    let jumps = Set(
      configuration.hostOptions.values.compactMap(\.proxyJump).flatMap {
        $0.split(separator: ",").map(String.init)
      })
    for jump in jumps.sorted() where configuration.jumpHosts[jump] == nil {
      guard let spec = try? JumpSpec.parse(jump) else { continue }
      let settings = sshConfig.settings(
        for: InventoryHost(name: spec.host, port: spec.port, user: spec.user),
        defaultUser: configuration.defaultUser)
      configuration.jumpHosts[jump] = RemoteHost(
        name: spec.sessionName, address: settings.hostName, port: settings.port,
        user: settings.user)
      var options = options(settings)
      options.proxyJump = nil
      options.proxyCommand = nil
      configuration.hostOptions[spec.sessionName] = options
    }
  }

  /// The transport's per-host options from resolved ssh client settings.
  public static func options(_ settings: SSHHostSettings) -> SSHHostOptions {
    let policy: HostKeyPolicy? =
      switch settings.strictHostKeyChecking {
      case .yes?, .ask?: .strict
      case .acceptNew?: .acceptNew
      case .no?: .insecure
      case nil: nil
      }
    return SSHHostOptions(
      knownHostsFiles: settings.knownHostsFiles, hostKeyPolicy: policy,
      hashKnownHosts: settings.hashKnownHosts ?? false,
      connectTimeout: settings.connectTimeout.map { .seconds($0) },
      keepaliveInterval: settings.serverAliveInterval.map { .seconds($0) },
      identityFiles: settings.identityFiles, identitiesOnly: settings.identitiesOnly ?? false,
      proxyJump: settings.proxyJump, proxyCommand: settings.proxyCommand)
  }

  /// `host` as `ssh` would reach it under `config`: its HostName, User, Port and first
  /// IdentityFile, where the inventory does not set them.
  public static func applying(
    _ config: SSHConfig, to host: InventoryHost, defaultUser: String? = nil
  ) -> InventoryHost {
    guard host.connection != .local else { return host }
    let settings = config.settings(for: host, defaultUser: defaultUser)
    var host = host
    host.address = settings.hostName
    host.user = host.user ?? settings.user
    host.port = host.port ?? settings.port
    let hasIdentity = TransportBridge.identityKeys.contains { host.vars[$0] != nil }
    if !hasIdentity, let file = settings.identityFiles.first {
      host.vars["identity_file"] = .string(file)
    }
    return host
  }

  /// The executor for this setup: SSH for remote hosts, `LocalExecutor` for local ones.
  /// `cancellation` (the run's) cuts connects, probes and transfers short when cancelled.
  public func makeExecutor(
    sink: (any OutputSink)? = nil, cancellation: Cancellation = Cancellation()
  ) -> SSHExecutor {
    SSHExecutor(
      configuration: configuration, local: LocalExecutor(cancellation: cancellation), sink: sink,
      cancellation: cancellation, becomePassword: becomePassword)
  }
}
