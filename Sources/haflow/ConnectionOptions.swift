import ArgumentParser
import Foundation
import Interpreter
import Inventory
import Session

/// The flags that say how to reach hosts, shared by `run`, `exec`, `repl` and `debug`.
struct ConnectionOptions: ParsableArguments {
  /// `-i FILE`.
  @Option(
    name: [.customShort("i"), .customLong("inventory")],
    help: ArgumentHelp(
      "The inventory: haflow syntax, Ansible INI or Ansible YAML (see `haflow inventory`).",
      valueName: "file"))
  var inventory: String?

  /// `--accept-new-host-keys`.
  @Flag(
    help:
      "Record the host key of a host known_hosts does not list, instead of stopping. A changed key still stops the run."
  )
  var acceptNewHostKeys = false

  /// `--known-hosts FILE`.
  @Option(
    help: ArgumentHelp(
      "The known_hosts file host keys are checked against (default ~/.ssh/known_hosts).",
      valueName: "file"))
  var knownHosts: String?

  /// `--identity FILE`, repeatable.
  @Option(
    name: .customLong("identity"),
    help: ArgumentHelp(
      "A private key to try after ssh-agent (repeatable; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa).",
      valueName: "file"))
  var identities: [String] = []

  /// `--ssh-config FILE`.
  @Option(
    help: ArgumentHelp(
      "The ssh client configuration for HostName, User, Port, IdentityFile (default ~/.ssh/config).",
      valueName: "file"))
  var sshConfig: String?

  /// `--connect-timeout SECONDS`.
  @Option(
    help: ArgumentHelp("Seconds allowed to connect to a host.", valueName: "seconds"))
  var connectTimeout: Int = 10

  /// Rejects an empty inventory path and a non-positive timeout.
  func validate() throws {
    if let inventory { try Self.validateInventoryPath(inventory) }
    guard connectTimeout > 0 else {
      throw ValidationError("--connect-timeout must be at least 1 second")
    }
  }

  /// An empty `-i` is what `-i "$(haflow lab up)"` gives when the lab did not start: say so,
  /// rather than that a file with no name cannot be read.
  static func validateInventoryPath(_ path: String) throws {
    guard path.allSatisfy(\.isWhitespace) else { return }
    throw ValidationError(
      "-i was given an empty path; if it came from $(haflow lab up), the lab did not start: its error is printed above"
    )
  }

  /// Loads the inventory and SSH settings, printing inventory warnings; exits 2 when a file
  /// cannot be read and 65 when the inventory is invalid.
  func setup(report: OutcomeReport, environment: [String: String]) throws -> RemoteSetup {
    var setup: RemoteSetup
    do {
      setup = try RemoteSetup.load(
        inventoryPath: inventory, sshConfigPath: sshConfig, environment: environment)
    } catch let error as InventoryError {
      throw report.inventoryFailure(error, warnings: [])
    }
    for warning in setup.warnings { Console.err(report.highlight(warning) + "\n") }
    setup.configuration.acceptNewHostKeys = acceptNewHostKeys
    if let knownHosts { setup.configuration.knownHostsPath = knownHosts }
    if !identities.isEmpty { setup.configuration.identityFiles = identities }
    setup.configuration.connectTimeout = .seconds(connectTimeout)
    setup.configuration.passphrase = { path in Passphrase.ask(forKey: path) }
    return setup
  }
}
