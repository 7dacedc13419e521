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

  /// Makes a setup from parts already loaded.
  public init(inventory: Inventory, configuration: SSHConfiguration, warnings: [String] = []) {
    self.inventory = inventory
    self.configuration = configuration
    self.warnings = warnings
  }

  /// Loads the inventory at `inventoryPath` (none: no hosts but the implicit `localhost`),
  /// applies the SSH client configuration (`sshConfigPath`, else `$HOME/.ssh/config` when it
  /// exists) to every SSH host, and starts `configuration` from the environment. Throws an
  /// `InventoryError` naming the file and place.
  public static func load(
    inventoryPath: String?, sshConfigPath: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> RemoteSetup {
    var warnings: [String] = []
    var loaded = HostInventory()
    if let inventoryPath {
      loaded = try InventoryLoader.load(path: inventoryPath, warnings: &warnings)
    }
    let sshConfig =
      try sshConfigPath.map { try SSHConfig.load(path: $0, environment: environment) }
      ?? SSHConfig.loadDefault(environment: environment)
    loaded.hosts = loaded.hosts.map { applying(sshConfig, to: $0) }
    return RemoteSetup(
      inventory: InventoryBridge.inventory(loaded),
      configuration: SSHConfiguration(environment: environment), warnings: warnings)
  }

  /// `host` as `ssh` would reach it under `config`: its HostName, User, Port and first
  /// IdentityFile, where the inventory does not set them.
  public static func applying(_ config: SSHConfig, to host: InventoryHost) -> InventoryHost {
    guard host.connection != .local else { return host }
    let settings = config.settings(for: host)
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
      cancellation: cancellation)
  }
}
